from django.db import models

from opora.accounts.models import Organisation

# The per-clause report's counts over closed requests, named as `figures.clause_report` names them.
TICKET_COUNTS = (
    "total",
    "routed",
    "routed_in_time",
    "dispatch_breached",
    "take_total",
    "take_met",
    "take_breached",
    "resolve_met",
    "resolve_extended",
    "resolve_breached",
    "resolved",
    "by_preferred",
    "by_phone",
    "by_email",
    "returned",
    "reopened",
    "withdrawn",
)
EXTENSION_COUNTS = ("requested", "approved", "rejected")


class RolledDay(models.Model):
    """One school's local day whose closed requests are summed up in `DayFigures`.

    The sums are exact for every change stamped up to `computed_at`; a request of the day stamped later makes the
    day stale. The zone and the dispatch limit the sums were made with are kept, since both shape them.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    computed_at = models.DateTimeField()
    timezone = models.CharField(max_length=64)
    dispatch_minutes = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "day"], name="rolled_day_unique")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.day}"


class DayFigures(models.Model):
    """The closed requests of one day of one type, channel and author role."""

    rolled_day = models.ForeignKey(RolledDay, on_delete=models.CASCADE, related_name="figures")
    request_type = models.CharField(max_length=32)
    channel = models.CharField(max_length=16)
    author_role = models.CharField(max_length=16)
    total = models.PositiveIntegerField(default=0)
    routed = models.PositiveIntegerField(default=0)
    routed_in_time = models.PositiveIntegerField(default=0)
    dispatch_breached = models.PositiveIntegerField(default=0)
    take_total = models.PositiveIntegerField(default=0)
    take_met = models.PositiveIntegerField(default=0)
    take_breached = models.PositiveIntegerField(default=0)
    resolve_met = models.PositiveIntegerField(default=0)
    resolve_extended = models.PositiveIntegerField(default=0)
    resolve_breached = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    by_preferred = models.PositiveIntegerField(default=0)
    by_phone = models.PositiveIntegerField(default=0)
    by_email = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    requested = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # How many requests took each whole second from receipt to the first routing, grouped by whole minute
    # ({"12": {"725": 3}}), with the minutes' totals beside: a percentile finds its minute from the totals and
    # then reads the seconds of that minute only.
    route_minutes = models.JSONField(default=dict)
    route_seconds = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rolled_day", "request_type", "channel", "author_role"], name="day_figures_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rolled_day} {self.request_type} {self.channel} {self.author_role}"


class DayBreakdown(models.Model):
    """The closed requests of one day by class or by specialist, and by the same type, channel and author role as
    `DayFigures`: the reports page's two breakdowns that the figures' own dimensions cannot give."""

    rolled_day = models.ForeignKey(RolledDay, on_delete=models.CASCADE, related_name="breakdowns")
    field = models.CharField(max_length=16)  # school_class | assignee
    key = models.CharField(max_length=32)  # the class as written, or the specialist's user id
    request_type = models.CharField(max_length=32)
    channel = models.CharField(max_length=16)
    author_role = models.CharField(max_length=16)
    total = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    breached = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rolled_day", "field", "key", "request_type", "channel", "author_role"],
                name="day_breakdown_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rolled_day} {self.field}={self.key}"
