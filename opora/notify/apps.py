from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "opora.notify"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects to tickets' event_recorded)
