"""Personas: who is who at School No. 5, and one outsider from another school."""

from typing import Any

import pytest
from django.contrib.auth.models import User

from opora.accounts.models import Organisation
from opora.domain.enums import ServiceRole

from .factories import make_school, make_staff


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


def pytest_configure(config: Any) -> None:
    from django.conf import settings

    # Hashing passwords properly is slow by design; tests don't need that.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
