from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "opora.intake"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from opora.accounts.models import ConsentText, Organisation

        from .services import forget_consent, forget_school

        def consent_changed(sender: type, instance: ConsentText, **kwargs: object) -> None:
            forget_consent(instance.organisation_id)

        def school_changed(sender: type, instance: Organisation, **kwargs: object) -> None:
            forget_school(instance.slug)

        for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(consent_changed, sender=ConsentText, dispatch_uid=f"intake-consent-{name}", weak=False)
            signal.connect(school_changed, sender=Organisation, dispatch_uid=f"intake-school-{name}", weak=False)
