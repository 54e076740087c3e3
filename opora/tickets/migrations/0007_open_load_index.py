"""The open-requests index also carries the assignee, so the head's list counts the school and each
specialist's load in one pass over the index alone. The new index is built without blocking the requests
table on PostgreSQL before the old one goes."""

from django.conf import settings
from django.db import migrations, models

from opora.common.migration_ops import AddIndexWithoutBlocking


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("accounts", "0001_initial"),
        ("tickets", "0006_resolved_by_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexWithoutBlocking(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("state__in", ["received", "routed", "in_work"])),
                fields=["organisation", "state", "routed_role"],
                include=(
                    "urgent",
                    "assignee",
                    "dispatch_due_at",
                    "dispatch_met_at",
                    "take_due_at",
                    "take_met_at",
                    "resolve_due_at",
                    "resolve_met_at",
                ),
                name="ticket_open_load_idx",
            ),
        ),
        migrations.RemoveIndex(model_name="ticket", name="ticket_open_idx"),
    ]
