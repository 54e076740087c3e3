"""The reports' roll-up asks which requests changed since a day was summed up. Built without blocking the
requests table on PostgreSQL, where it may hold millions of rows that families keep adding to."""

from django.conf import settings
from django.db import migrations, models

from opora.common.migration_ops import AddIndexWithoutBlocking


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("accounts", "0001_initial"),
        ("tickets", "0003_intake_ip_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexWithoutBlocking(
            model_name="ticket",
            index=models.Index(fields=["organisation", "updated_at"], name="ticket_changed_idx"),
        ),
    ]
