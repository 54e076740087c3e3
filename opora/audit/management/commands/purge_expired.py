from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from opora.accounts.models import Organisation
from opora.audit.acts import RETENTION_RULE, destroy, expired


class Command(BaseCommand):
    help = "Anonymise requests whose retention period has passed, with a destruction act per school."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        for org in Organisation.objects.all():
            act = destroy(org, expired(org, now), rule=RETENTION_RULE.format(days=org.retention_days), now=now)
            if act:
                self.stdout.write(f"{org.slug}: акт {act.number}, обращений: {len(act.tickets)}")
