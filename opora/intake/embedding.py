"""Framing: the form may sit in an iframe only on the school's own listed sites."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from opora.accounts.models import Organisation

View = Callable[..., HttpResponse]


def frame_ancestors(organisation: Organisation) -> list[str]:
    return ["'self'", *organisation.origins()]


def framable_by_school(view: View) -> View:
    """Lets the school's sites embed the view; X-Frame-Options can't list origins, so CSP decides."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        organisation = getattr(request, "intake_organisation", None)
        if organisation is not None and request.GET.get("embed") == "1":
            response.xframe_options_exempt = True  # type: ignore[attr-defined]
            # The site-wide policy stays; only its frame-ancestors opens to the school's own sites.
            response._csp_replace = {"frame-ancestors": frame_ancestors(organisation)}  # type: ignore[attr-defined]
        return response

    return wrapped
