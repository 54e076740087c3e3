"""The Content-Security-Policy header, as django-csp builds it, built once per distinct policy.

django-csp builds both headers (enforced and report-only) from the settings on every response. Opora's policy
only changes where a view replaces a directive (the form's frame-ancestors inside a school's site) and uses no
nonces, so each distinct policy is built once per process and reused; a response with a nonce is left to
django-csp as it is."""

from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as LibraryMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

_ENFORCED = (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt")
_REPORT_ONLY = (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro")


class CSPMiddleware(LibraryMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if settings.DEBUG or getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)
        for report_only, (header, setting, exempt) in ((False, _ENFORCED), (True, _REPORT_ONLY)):
            if header in response or getattr(response, exempt, False):
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if request.path_info.startswith(tuple(prefixes)):
                continue
            parts = self.get_policy_parts(request=request, response=response, report_only=report_only)
            key = (repr(parts), report_only)
            if key not in _BUILT:
                if len(_BUILT) >= _KEPT:
                    _BUILT.clear()
                _BUILT[key] = build_policy(
                    config=parts.config, update=parts.update, replace=parts.replace, report_only=report_only
                )
            policy = _BUILT[key]
            if policy:
                response[header] = policy
        # As django-csp does: asking for a nonce once the header is written is an error, not a silent miss.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


# (the parts' repr, report-only) -> the header; a view's replaced directives are a handful of schools' sites.
_BUILT: dict[tuple[str, bool], str] = {}
_KEPT = 4096


@receiver(setting_changed)
def _forget(setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _BUILT.clear()
