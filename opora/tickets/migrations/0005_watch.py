"""The watcher's columns move to a narrow table of their own, copied row for row."""

import django.db.models.deletion
from django.db import migrations, models

COLUMNS = [
    "watch_at",
    *(f"{clock}_{stamp}_at" for clock in ("dispatch", "take", "resolve") for stamp in ("warned", "breached")),
]
COPY = (
    f"INSERT INTO tickets_ticketwatch (ticket_id, {', '.join(COLUMNS)}) "  # noqa: S608 (fixed names)
    f"SELECT id, {', '.join(COLUMNS)} FROM tickets_ticket"
)
COPY_BACK = (
    f"UPDATE tickets_ticket SET {', '.join(f'{c} = w.{c}' for c in COLUMNS)} "  # noqa: S608 (fixed names)
    "FROM tickets_ticketwatch AS w WHERE w.ticket_id = tickets_ticket.id"
)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0004_changed_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="TicketWatch",
            fields=[
                (
                    "ticket",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="watch",
                        serialize=False,
                        to="tickets.ticket",
                    ),
                ),
                ("watch_at", models.DateTimeField(blank=True, null=True)),
                ("dispatch_warned_at", models.DateTimeField(blank=True, null=True)),
                ("dispatch_breached_at", models.DateTimeField(blank=True, null=True)),
                ("take_warned_at", models.DateTimeField(blank=True, null=True)),
                ("take_breached_at", models.DateTimeField(blank=True, null=True)),
                ("resolve_warned_at", models.DateTimeField(blank=True, null=True)),
                ("resolve_breached_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.RunSQL(COPY, COPY_BACK),
        migrations.RemoveIndex(
            model_name="ticket",
            name="ticket_watch_idx",
        ),
        migrations.RemoveField(
            model_name="ticket",
            name="dispatch_breached_at",
        ),
        migrations.RemoveField(
            model_name="ticket",
            name="dispatch_warned_at",
        ),
        migrations.RemoveField(
            model_name="ticket",
            name="resolve_breached_at",
        ),
        migrations.RemoveField(
            model_name="ticket",
            name="resolve_warned_at",
        ),
        migrations.RemoveField(
            model_name="ticket",
            name="take_breached_at",
        ),
        migrations.RemoveField(
            model_name="ticket",
            name="take_warned_at",
        ),
        migrations.RemoveField(
            model_name="ticket",
            name="watch_at",
        ),
        migrations.AddIndex(
            model_name="ticketwatch",
            index=models.Index(
                condition=models.Q(("watch_at__isnull", False)), fields=["watch_at"], name="watch_due_idx"
            ),
        ),
    ]
