import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .roles import current_organisation


class SchoolTimezoneMiddleware:
    """Staff see times in their school's own zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        org = current_organisation(request) if request.user.is_authenticated else None
        if org is not None:
            timezone.activate(org.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class PermissionsPolicyMiddleware:
    """Opora needs no camera, microphone or location: say so to the browser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SlidingSessionMiddleware:
    """Activity moves an idle session's expiry on, but at most once a minute. Saving on every request would
    write the session row each time a queue refreshes itself, for every member of staff."""

    TOUCH_EVERY = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            now = int(time.time())
            if now - int(session.get("touched_at", 0)) >= self.TOUCH_EVERY:
                session["touched_at"] = now  # marks the session modified: SessionMiddleware saves it
        return response
