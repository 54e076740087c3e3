from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opora.accounts"
    verbose_name = "Школы и сотрудники"
