from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from opora.notify.periodic import after_sweep
from opora.tickets.watcher import prepare_process, run_forever, sweep


class Command(BaseCommand):
    help = "Record clock warnings and breaches as they come due, and keep the mail outbox moving."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="One pass, then exit (for cron).")
        parser.add_argument("--interval", type=float, default=10.0, help="Seconds between passes (default 10).")

    def handle(self, *args: Any, **options: Any) -> None:
        prepare_process()
        if options["once"]:
            now = timezone.now()
            result = sweep(now)
            after_sweep(result, now)
            self.stdout.write(f"checked {result.checked}, recorded {len(result.news)}")
            return
        self.stdout.write(f"watching deadlines every {options['interval']} s")
        run_forever(options["interval"], after_sweep)
