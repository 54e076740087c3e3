from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "opora.common"
    verbose_name = "Общее"

    def ready(self) -> None:
        from . import database

        database.connect()
