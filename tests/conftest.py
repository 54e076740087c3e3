"""Personas: who is who at School No. 5, and one outsider from another school."""

import faulthandler
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from opora.accounts.models import Organisation
from opora.domain.enums import ServiceRole

from .factories import make_school, make_staff

# A test that runs this long is stuck: the process prints every thread's stack and exits, so the run fails
# with the place it hung instead of waiting for the CI's own limit. faulthandler's watchdog is a C thread, so
# it fires even when the stuck threads hold the interpreter lock.
HANG_LIMIT_S = 300
_hang_report: list[TextIO] = []


def pytest_configure(config: pytest.Config) -> None:
    # Hashing passwords properly is slow by design; tests don't need that.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    _forget_last_test_database()
    # pytest captures descriptor 2 during each test; the report goes to the terminal's own copy of it.
    _hang_report.append(os.fdopen(os.dup(2), "w"))


def _forget_last_test_database() -> None:
    """A SQLite test database left from an earlier run may keep its write-ahead log beside it; a new
    database of the same name must not start from that log."""
    name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" or not name:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    base = f"{name}_{worker}" if worker else str(name)
    for leftover in (base, f"{base}-wal", f"{base}-shm"):
        Path(leftover).unlink(missing_ok=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    faulthandler.dump_traceback_later(HANG_LIMIT_S, exit=True, file=_hang_report[0])
    try:
        return (yield)
    finally:
        faulthandler.cancel_dump_traceback_later()


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    """Each test starts with an empty process cache: ids repeat from test to test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def school(db: Any) -> Organisation:
    return make_school("school5")


@pytest.fixture
def other_school(db: Any) -> Organisation:
    return make_school("school7")


@pytest.fixture
def dina(school: Organisation) -> User:
    """Site administrator: a dispatcher."""
    return make_staff(school, "dina", ServiceRole.SITE_ADMIN)


@pytest.fixture
def galya(school: Organisation) -> User:
    """Hotline specialist: records calls and dispatches."""
    return make_staff(school, "galya", ServiceRole.HOTLINE)


@pytest.fixture
def egor(school: Organisation) -> User:
    """E-journal administrator."""
    return make_staff(school, "egor", ServiceRole.EJOURNAL_ADMIN)


@pytest.fixture
def tolya(school: Organisation) -> User:
    """Technical specialist."""
    return make_staff(school, "tolya", ServiceRole.TECHNICIAN)


@pytest.fixture
def tima(school: Organisation) -> User:
    """A second technical specialist, sharing the role with tolya."""
    return make_staff(school, "tima", ServiceRole.TECHNICIAN)


@pytest.fixture
def polina(school: Organisation) -> User:
    """Teacher-psychologist."""
    return make_staff(school, "polina", ServiceRole.PSYCHOLOGIST)


@pytest.fixture
def elena(school: Organisation) -> User:
    """Head of the Service (deputy director)."""
    return make_staff(school, "elena", ServiceRole.HEAD)


@pytest.fixture
def dmitry(school: Organisation) -> User:
    """The director: reads everything, changes nothing."""
    return make_staff(school, "dmitry", ServiceRole.DIRECTOR)


@pytest.fixture
def oscar(other_school: Organisation) -> User:
    """Head of another school: must never see School No. 5."""
    return make_staff(other_school, "oscar", ServiceRole.HEAD)
