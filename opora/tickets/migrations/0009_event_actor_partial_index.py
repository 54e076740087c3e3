"""An event's actor is indexed only where there is one. Clock events and the families' own requests have no
actor, so a watcher sweep recording thousands of clock events and every submit from the form skip that index,
while deleting a person (their events keep the event, lose the name) and looking up what someone did still
find their rows through it. The partial index is built before the full one goes, without blocking writes on
PostgreSQL."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from opora.common.migration_ops import AddIndexWithoutBlocking, DropForeignKeyIndex


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("tickets", "0008_redundant_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexWithoutBlocking(
            model_name="ticketevent",
            index=models.Index(
                condition=models.Q(("actor__isnull", False)), fields=["actor"], name="event_actor_idx"
            ),
        ),
        DropForeignKeyIndex(
            model_name="ticketevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
