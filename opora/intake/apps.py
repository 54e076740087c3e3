from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "opora.intake"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from opora.accounts.models import ConsentText

        from .services import forget_consent

        def changed(sender: type, instance: ConsentText, **kwargs: object) -> None:
            forget_consent(instance.organisation_id)

        post_save.connect(changed, sender=ConsentText, dispatch_uid="intake-consent-saved", weak=False)
        post_delete.connect(changed, sender=ConsentText, dispatch_uid="intake-consent-deleted", weak=False)
