"""The roll-up also sums each day by class and by specialist. Days rolled up before have no such rows, so they
are forgotten: the reports count them live (the same figures, more slowly) until the worker rolls the last
40 days up again on its own, and `manage.py roll_up_reports --since …` does older history."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def forget_rolled_days(apps: Any, schema_editor: Any) -> None:
    apps.get_model("reports", "RolledDay").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_daily_rollup"),
    ]

    operations = [
        migrations.CreateModel(
            name="DayBreakdown",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("field", models.CharField(max_length=16)),
                ("key", models.CharField(max_length=32)),
                ("request_type", models.CharField(max_length=32)),
                ("channel", models.CharField(max_length=16)),
                ("author_role", models.CharField(max_length=16)),
                ("total", models.PositiveIntegerField(default=0)),
                ("resolved", models.PositiveIntegerField(default=0)),
                ("breached", models.PositiveIntegerField(default=0)),
                (
                    "rolled_day",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="breakdowns", to="reports.rolledday"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("rolled_day", "field", "key", "request_type", "channel", "author_role"),
                        name="day_breakdown_unique",
                    )
                ],
            },
        ),
        migrations.RunPython(forget_rolled_days, migrations.RunPython.noop),
    ]
