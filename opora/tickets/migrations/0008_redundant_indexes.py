"""Three foreign keys lose their own indexes, which wider indexes starting with the same column already
serve: the school (every requests index starts with it), the specialist (`assignee, state`) and an event's
request (`ticket, at`). Each submit writes one index fewer per row, and a watcher sweep that records 20,000
clock events writes 20,000 fewer index entries. The constraints stay; the indexes go without blocking writes on PostgreSQL."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from opora.common.migration_ops import DropForeignKeyIndex


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("accounts", "0001_initial"),
        ("tickets", "0007_open_load_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        DropForeignKeyIndex(
            model_name="ticket",
            name="assignee",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="assigned_tickets",
                to=settings.AUTH_USER_MODEL,
                verbose_name="исполнитель",
            ),
        ),
        DropForeignKeyIndex(
            model_name="ticket",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tickets",
                to="accounts.organisation",
            ),
        ),
        DropForeignKeyIndex(
            model_name="ticketevent",
            name="ticket",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="tickets.ticket",
            ),
        ),
    ]
