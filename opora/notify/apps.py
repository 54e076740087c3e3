from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "opora.notify"

    def ready(self) -> None:
        from . import batch, receivers  # noqa: F401  (connect to tickets' event_recorded and clocks_recorded)
