"""Sending one message: claim it, send it, mark it; retry with backoff; never twice for one key."""

import contextlib
import logging
import smtplib
import time
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Q, QuerySet

from .kinds import FAN_OUT
from .models import Outbox, OutboxState

logger = logging.getLogger(__name__)


def lease() -> timedelta:
    """How long a worker may hold a message before another may take it over (a crashed worker's rows)."""
    return timedelta(seconds=settings.OPORA_MAIL_LEASE_SECONDS)


def backoff(attempts: int) -> timedelta:
    base = settings.OPORA_MAIL_BACKOFF_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def _unclaimed(now: datetime) -> Q:
    """Held by no worker: never claimed, or its claim has run out."""
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def claim(outbox_id: int, now: datetime) -> Outbox | None:
    """Only one worker at a time may hold a message; a lease that expires frees a crashed worker's rows."""
    claimed = Outbox.objects.filter(
        _unclaimed(now),
        pk=outbox_id,
        state=OutboxState.PENDING,
        next_attempt_at__lte=now,
    ).update(claimed_until=now + lease(), attempts=F("attempts") + 1)
    # With its school and request: rendering and expanding need both, and read one at a time they were two more
    # statements for each of a surge's tens of thousands of messages.
    return Outbox.objects.select_related("organisation", "ticket").get(pk=outbox_id) if claimed else None


def _gathers(row: Outbox) -> bool:
    """A role's fan-out that may go with others of its window: not the watcher's (its clock events), and
    without extra context (a reopened request)."""
    return "roles" in row.render_context and not row.render_context.get("extra")


def _alike(row: Outbox, now: datetime) -> QuerySet[Outbox]:
    """Fan-outs of `row`'s school, kind and roles waiting for a worker now (but `row`)."""
    context = row.render_context
    return (
        Outbox.objects.filter(
            _unclaimed(now), kind=FAN_OUT, state=OutboxState.PENDING, organisation_id=row.organisation_id
        )
        .filter(next_attempt_at__lte=now, render_context__kind=context["kind"], render_context__roles=context["roles"])
        .exclude(pk=row.pk)
        .order_by("pk")
    )


def companions(row: Outbox, now: datetime) -> list[Outbox]:
    """Other fan-outs of `row`'s school, kind and roles that wait with it (its gathering window, or a surge that
    outran the workers), claimed for this worker's transaction, so their people hear of them all in one message.
    Their own tasks, if any, then find them done. Fan-outs with extra context (a reopened request) and the
    watcher's go alone."""
    limit = settings.OPORA_MAIL_TOGETHER - 1
    if limit <= 0 or not _gathers(row):
        return []
    waiting = _alike(row, now).select_for_update(skip_locked=True, of=("self",))[:limit]
    found = {r.pk: r for r in waiting if _gathers(r)}
    if not found:
        return []
    # Without row locks (SQLite) two workers may have read the same rows: only those this one's claim reached,
    # marked with its own moment, are its to expand.
    mine = now + lease()
    Outbox.objects.filter(_unclaimed(now), pk__in=found, state=OutboxState.PENDING).update(claimed_until=mine)
    ours = Outbox.objects.filter(pk__in=found, state=OutboxState.PENDING, claimed_until=mine)
    return [found[pk] for pk in sorted(ours.values_list("pk", flat=True))]


def _first_waiting(row: Outbox, now: datetime) -> Outbox | None:
    """The oldest of `row`'s window never tried yet (a row in its retry's backoff waits for that retry)."""
    return _alike(row, now).filter(attempts=0).first()


def _next_of_window(row: Outbox, now: datetime) -> None:
    """After a full message: the window's rows still waiting have no task of their own (only the window's first
    had one), so the next of them gets one, which takes the rest with it in turn."""
    from .outbox import enqueue

    following = _first_waiting(row, now)
    if following is not None:
        enqueue(following, now)


def _message(row: Outbox) -> EmailMultiAlternatives:
    mail = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.recipient],
        headers={"X-Opora-Message": row.dedupe_key[:180], "Auto-Submitted": "auto-generated"},
    )
    if row.body_html:
        mail.attach_alternative(row.body_html, "text/html")
    return mail


class Conversation:
    """One conversation with the mail server for a batch of messages while it goes well, opened when the first
    message is ready to go. When the server does not answer, every message of the batch waits for its own retry
    without calling it again; when it turns a message away, the rest each get a connection of their own, so one
    bad message does not fail the others."""

    def __init__(self) -> None:
        self._session: BaseEmailBackend | None = None
        self._tried = False
        self._away: Exception | None = None

    @property
    def session(self) -> BaseEmailBackend | None:
        if not self._tried:
            self._tried = True
            session = mail.get_connection(fail_silently=False)
            try:
                session.open()
                self._session = session
            except (OSError, smtplib.SMTPException) as exc:
                _close(session)
                self._away = exc
        if self._away is not None:
            raise self._away.with_traceback(None)
        return self._session

    def broken(self) -> None:
        self._tried = True
        if self._session is not None:
            _close(self._session)
            self._session = None

    def close(self) -> None:
        self.broken()


def _close(session: BaseEmailBackend) -> None:
    """Every message is already marked by now; a mail server that fumbles its goodbye changes nothing."""
    with contextlib.suppress(OSError, smtplib.SMTPException):
        session.close()


@contextlib.contextmanager
def conversation(talk: Conversation | None = None) -> Iterator[Conversation]:
    """`talk` when the caller has one open already; otherwise a new one, closed at the end."""
    if talk is not None:
        yield talk
        return
    talk = Conversation()
    try:
        yield talk
    finally:
        talk.close()


def deliver(outbox_id: int, now: datetime, talk: Conversation | None = None) -> str:
    """`talk`: a batch's conversation with the mail server to send through; else a connection of its own."""
    row = claim(outbox_id, now)
    if row is None:
        return _not_claimed(outbox_id, now, talk)
    if row.kind == FAN_OUT:
        return _expand(row, now, talk)
    return send_claimed(row, now, talk)


def send_claimed(row: Outbox, now: datetime, talk: Conversation | None = None) -> str:
    """Sends a message this worker holds the claim on, and marks it. A message kept as ids is rendered first;
    its text is written with the mark (sent, or left for a retry), so the outbox shows what was sent."""
    text: dict[str, str] = {}
    try:
        if row.render_context and not row.subject:
            text = _fill(row)
        message = _message(row)
        message.connection = talk.session if talk is not None else None
        message.send(fail_silently=False)
    except Exception as exc:
        if talk is not None:
            talk.broken()
        return _failed(row, exc, now, text)
    Outbox.objects.filter(pk=row.pk).update(
        state=OutboxState.SENT, sent_at=now, claimed_until=None, last_error="", **text
    )
    return "sent"


def _expand(row: Outbox, now: datetime, talk: Conversation | None) -> str:
    """The messages and the end of the fan-out row commit together, so a crash leaves either both or neither.
    A role's messages are then sent by this same worker, in one conversation: they were written already rendered
    and claimed by it, so a worker that dies before sending them leaves them to the sweep once the claim runs
    out, and nobody else sends them meanwhile."""
    try:
        messages = _expand_with_companions(row, now)
    except Exception as exc:
        return _failed(row, exc, now)
    if messages:
        started = time.monotonic()
        with conversation(talk) as batch:
            for message in messages:
                if time.monotonic() - started > lease().total_seconds() / 2:
                    break  # a mail server this slow outlasts the claims: the sweep hands the rest on
                send_claimed(message, now, batch)
    return "expanded"


def _expand_with_companions(row: Outbox, now: datetime) -> list[Outbox]:
    """With the fan-outs waiting beside it, if any; should that fail, alone, so one bad row is not a whole
    surge's."""
    from .outbox import expand, expand_together

    group = [row]
    try:
        with transaction.atomic():
            group = [row, *companions(row, now)]
            messages = _expanded(group, expand_together(group, now) if len(group) > 1 else expand(row, now), now)
            if len(group) >= settings.OPORA_MAIL_TOGETHER > 1:
                _next_of_window(row, now)
            return messages
    except Exception:
        if len(group) == 1:
            raise
        logger.exception("fan-outs %s expanded together failed; expanding %s alone", [r.pk for r in group], row.pk)
    with transaction.atomic():
        return _expanded([row], expand(row, now), now)


def _expanded(group: list[Outbox], messages: list[Outbox], now: datetime) -> list[Outbox]:
    Outbox.objects.filter(pk__in=[r.pk for r in group]).update(state=OutboxState.SENT, sent_at=now, claimed_until=None)
    return messages


def _fill(row: Outbox) -> dict[str, str]:
    from .outbox import fill

    fill(row)
    return {"subject": row.subject, "body_text": row.body_text, "body_html": row.body_html}


def _not_claimed(outbox_id: int, now: datetime, talk: Conversation | None = None) -> str:
    """Sent already, not due yet, or held by another worker. If that worker dies, its lease runs out:
    look again then, rather than wait for the sweep."""
    row = Outbox.objects.filter(pk=outbox_id).first()
    if row is None:
        return "skipped"
    if row.state == OutboxState.SENT and row.kind == FAN_OUT:
        return _take_over(row, now, talk)
    if row.state != OutboxState.PENDING or row.claimed_until is None or row.claimed_until <= now:
        return "skipped"
    if row.kind == FAN_OUT:
        # Being expanded by the worker that holds it (its window's task, or one taking its window over): should
        # that worker die, the sweep hands the row on, and a second task waiting meanwhile would only skip it.
        return "skipped"
    from .outbox import enqueue

    enqueue(row, now, run_after=row.claimed_until + timedelta(seconds=1))
    return "deferred"


def _take_over(row: Outbox, now: datetime, talk: Conversation | None) -> str:
    """A window's task whose own fan-out went out with an earlier one: the rest of its window has no task but
    this one, so it takes the first of them that still waits, and the others with it."""
    if not _gathers(row):
        return "skipped"
    waiting = _first_waiting(row, now)
    following = claim(waiting.pk, now) if waiting is not None else None
    return _expand(following, now, talk) if following is not None else "skipped"


def _failed(row: Outbox, exc: Exception, now: datetime, text: dict[str, str] | None = None) -> str:
    """`text`: the message as just rendered, kept with the failure (the head's list of failed mail shows it)."""
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if row.attempts >= settings.OPORA_MAIL_MAX_ATTEMPTS:
        with transaction.atomic():
            Outbox.objects.filter(pk=row.pk).update(
                state=OutboxState.FAILED, claimed_until=None, last_error=error, **(text or {})
            )
            from .receivers import failed_message

            failed_message(row, now)
        return "failed"
    retry_at = now + backoff(row.attempts)
    with transaction.atomic():
        Outbox.objects.filter(pk=row.pk).update(
            next_attempt_at=retry_at, claimed_until=None, last_error=error, **(text or {})
        )
        from .outbox import enqueue

        enqueue(row, now, run_after=retry_at)
    return "retry"


def sweep(now: datetime, stuck_after: timedelta = timedelta(minutes=3), limit: int = 500) -> int:
    """Re-queue messages whose task is gone (a killed worker) or never ran; claims keep it safe."""
    from .outbox import enqueue

    due = (
        Outbox.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
        .filter(_unclaimed(now))
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - stuck_after))
        .order_by("next_attempt_at")[:limit]
    )
    count = 0
    for row in due:
        enqueue(row, now)
        count += 1
    return count


def retry(row: Outbox, now: datetime) -> None:
    """The head's "retry" on a failed message: a fresh set of attempts."""
    from .outbox import enqueue

    with transaction.atomic():
        updated = Outbox.objects.filter(pk=row.pk, state=OutboxState.FAILED).update(
            state=OutboxState.PENDING, attempts=0, next_attempt_at=now, claimed_until=None
        )
        if updated:
            enqueue(row, now)
