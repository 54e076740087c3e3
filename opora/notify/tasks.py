import contextlib
import smtplib

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks import task

from .delivery import deliver


@task()
def send_message(outbox_id: int) -> str:
    return deliver(outbox_id, timezone.now())


@task()
def send_messages(outbox_ids: list[int]) -> dict[str, int]:
    """A batch (a role's staff, the watcher's warnings): one task instead of one per message, each still
    claimed on its own, and one conversation with the mail server for all of them while it goes well."""
    outcomes: dict[str, int] = {}
    session = _open_session()
    try:
        for outbox_id in outbox_ids:
            outcome = deliver(outbox_id, timezone.now(), session)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if session is not None and outcome not in _WENT_WELL:
                # The conversation may be broken: the rest of the batch each get a connection of their own,
                # so one bad message does not fail the others.
                _close(session)
                session = None
    finally:
        if session is not None:
            _close(session)
    return outcomes


_WENT_WELL = {"sent", "expanded", "skipped", "deferred"}


def _open_session() -> BaseEmailBackend | None:
    """None when the mail server does not answer: each message then tries on its own and, failing, is
    retried with its own backoff, as when sent alone."""
    session = mail.get_connection(fail_silently=False)
    try:
        session.open()
    except (OSError, smtplib.SMTPException):
        _close(session)
        return None
    return session


def _close(session: BaseEmailBackend) -> None:
    """Every message is already marked by now; a mail server that fumbles its goodbye changes nothing."""
    with contextlib.suppress(OSError, smtplib.SMTPException):
        session.close()
