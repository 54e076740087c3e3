import pytest

from opora.domain.enums import RequestType, ServiceRole
from opora.domain.routing import routes_at_receipt, suggest_role


@pytest.mark.parametrize(
    ("request_type", "role"),
    [
        (RequestType.EJOURNAL, ServiceRole.EJOURNAL_ADMIN),
        (RequestType.TECHNICAL, ServiceRole.TECHNICIAN),
        (RequestType.LESSON_QUALITY, ServiceRole.HEAD),
        (RequestType.PSYCHOLOGIST, ServiceRole.PSYCHOLOGIST),
        (RequestType.OTHER, ServiceRole.HEAD),
    ],
)
def test_default_table_follows_clause_3_1_3(request_type: RequestType, role: ServiceRole) -> None:
    assert suggest_role(request_type) == role


def test_a_school_may_edit_the_table() -> None:
    table = {RequestType.OTHER: ServiceRole.SITE_ADMIN}
    assert suggest_role(RequestType.OTHER, table) == ServiceRole.SITE_ADMIN
    assert suggest_role(RequestType.TECHNICAL, table) == ServiceRole.TECHNICIAN


def test_psychologist_requests_cannot_be_rerouted_by_the_table() -> None:
    table = {RequestType.PSYCHOLOGIST: ServiceRole.HEAD}
    assert suggest_role(RequestType.PSYCHOLOGIST, table) == ServiceRole.PSYCHOLOGIST


@pytest.mark.parametrize("auto", [True, False])
def test_psychologist_requests_route_at_receipt_whatever_the_setting(auto: bool) -> None:
    assert routes_at_receipt(RequestType.PSYCHOLOGIST, auto)
    assert routes_at_receipt(RequestType.TECHNICAL, auto) is auto
