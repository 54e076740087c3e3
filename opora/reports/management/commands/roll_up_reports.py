from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opora.accounts.models import Organisation
from opora.reports.rollup import backfill


class Command(BaseCommand):
    help = "Roll up the per-clause report's settled days from a date until yesterday (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--since", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--until", help="Last day, YYYY-MM-DD (default: yesterday in each school's zone).")
        parser.add_argument("--school", help="Only this school's slug.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            since = date.fromisoformat(options["since"])
            until = date.fromisoformat(options["until"]) if options["until"] else None
        except ValueError as exc:
            raise CommandError(f"Dates are YYYY-MM-DD: {exc}") from exc
        schools = Organisation.objects.all()
        if options["school"]:
            schools = schools.filter(slug=options["school"])
        now = timezone.now()
        for org in schools:
            made = backfill(org, since, now, until)
            self.stdout.write(f"{org.slug}: {made} days rolled up")
