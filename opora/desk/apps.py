from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "opora.desk"
