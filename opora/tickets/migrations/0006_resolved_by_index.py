"""Each specialist's requests resolved this week, read by the dashboard through an index of their own. Built
without blocking the requests table on PostgreSQL."""

from django.conf import settings
from django.db import migrations, models

from opora.common.migration_ops import AddIndexWithoutBlocking


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("accounts", "0001_initial"),
        ("tickets", "0005_watch"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexWithoutBlocking(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("resolved_at__isnull", False)),
                fields=["assignee", "resolved_at"],
                name="ticket_resolved_by_idx",
            ),
        ),
    ]
