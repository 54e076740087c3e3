"""The Content-Security-Policy header: django-csp's policy, built once per distinct policy and reused."""

from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from opora.common.csp import CSPMiddleware


def _through(view: Any, path: str = "/o/school5/") -> HttpResponse:
    request = RequestFactory().get(path)
    middleware = CSPMiddleware(view)
    middleware.process_request(request)
    return middleware.process_response(request, view(request))  # type: ignore[return-value]


def test_a_page_gets_the_policy_django_csp_builds(client, school) -> None:
    expected = build_policy()  # from the settings, as django-csp's own middleware calls it
    for _ in range(2):  # built the first time, reused the second
        assert client.get("/o/school5/")[HEADER] == expected
    assert HEADER_REPORT_ONLY not in client.get("/o/school5/")


def test_each_schools_frame_ancestors_are_its_own(client, school, other_school) -> None:
    school.site_origins = "https://school5.example.ru"
    school.save()
    other_school.site_origins = "https://gymnasium.example.ru"
    other_school.save()
    first = client.get("/o/school5/?embed=1")[HEADER]
    second = client.get(f"/o/{other_school.slug}/?embed=1")[HEADER]
    assert "frame-ancestors 'self' https://school5.example.ru;" in first + ";"
    assert "frame-ancestors 'self' https://gymnasium.example.ru;" in second + ";"
    assert "frame-ancestors 'none'" in client.get("/o/school5/")[HEADER]


def test_a_changed_setting_is_honoured(client, school) -> None:
    client.get("/o/school5/")
    changed = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'", "blob:"]}}
    with override_settings(CONTENT_SECURITY_POLICY=changed, CONTENT_SECURITY_POLICY_REPORT_ONLY=changed):
        response = client.get("/o/school5/")
        assert "img-src 'self' blob:" in response[HEADER]
        assert "img-src 'self' blob:" in response[HEADER_REPORT_ONLY]
    assert "img-src 'self' data:" in client.get("/o/school5/")[HEADER]


def test_an_exempt_response_gets_none() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("ok")
        response._csp_exempt = True  # type: ignore[attr-defined]
        return response

    assert HEADER not in _through(view)


def test_a_header_the_view_set_is_kept() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("ok")
        response[HEADER] = "default-src 'none'"
        return response

    assert _through(view)[HEADER] == "default-src 'none'"


def test_a_nonce_asked_for_is_in_the_policy() -> None:
    """Opora uses none, but a policy that names one gets each response's own."""
    nonces: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        nonces.append(str(request.csp_nonce))  # type: ignore[attr-defined]
        return HttpResponse("ok")

    with_nonce = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "script-src": ["'self'", NONCE]}}
    with override_settings(CONTENT_SECURITY_POLICY=with_nonce):
        first, second = _through(view)[HEADER], _through(view)[HEADER]
    assert nonces[0] != nonces[1]
    assert f"'nonce-{nonces[0]}'" in first and f"'nonce-{nonces[1]}'" in second
