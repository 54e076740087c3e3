from django.utils import timezone
from django_tasks import task

from opora.accounts.models import Organisation

from .rollup import roll_up_due


@task()
def roll_up_reports() -> dict[str, int]:
    """Every school's missing and stale settled days, rolled up for the per-clause report."""
    done: dict[str, int] = {}
    for org in Organisation.objects.all():
        done[org.slug] = len(roll_up_due(org, timezone.now()))
    return done
