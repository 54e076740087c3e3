from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "opora.audit"
    verbose_name = "Персональные данные и аудит"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (flags urgent psychologist requests on receipt)
