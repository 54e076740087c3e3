from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opora.tickets.demo.requests import seed_requests
from opora.tickets.demo.school import DEMO_PASSWORD, PEOPLE, create_school, create_staff
from opora.tickets.models import Ticket


class Command(BaseCommand):
    help = "Create the demo school, one login per role of the Service and about 50 requests (only when empty)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", type=int, default=50)
        parser.add_argument("--force", action="store_true", help="Seed even if not in demo mode.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEMO_MODE or settings.DEBUG or options["force"]):
            raise CommandError("seed_demo creates logins with a known password: set OPORA_DEMO=true.")
        org = create_school()
        people = create_staff(org)
        if not Ticket.objects.filter(organisation=org).exists():
            made = seed_requests(org, people, timezone.now(), count=options["count"])
            self.stdout.write(f"Создано обращений: {made}")
        self.stdout.write(f"Демо-школа: {org.name} — /o/{org.slug}/")
        self.stdout.write(f"Пароль всех демо-пользователей: {DEMO_PASSWORD}")
        for person in PEOPLE:
            roles = ", ".join(str(r) for r in person.roles)
            self.stdout.write(f"  {person.username:<14} {person.last_name} {person.first_name} ({roles})")
