import hashlib
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from opora.accounts.models import Organisation
from opora.audit.log import log_view
from opora.tickets import access
from opora.tickets.services import ServiceError, author_message
from opora.tickets.services.intake import DOUBLE_SUBMIT_WINDOW, ticket_by_token

from . import abuse, services
from .embedding import framable_by_school
from .forms import PublicRequestForm, sign_started
from .models import Attachment
from .status import status_context

MAX_REQUEST_BYTES = 16 * 1024 * 1024
TOKENS_MAX_AGE = int(DOUBLE_SUBMIT_WINDOW.total_seconds())
_DONE_SALT = "opora.intake.done"
TOKENS_COOKIE = "opora_sent"
_TOKENS_SALT = "opora.intake.sent"


def home(request: HttpRequest) -> HttpResponse:
    schools = Organisation.objects.order_by("name")
    if settings.DEFAULT_SCHOOL_SLUG:
        return form(request, settings.DEFAULT_SCHOOL_SLUG)
    if len(schools[:2]) == 1:
        return form(request, schools[0].slug)
    return render(request, "intake/home.html", {"schools": schools})


def _school(request: HttpRequest, slug: str) -> Organisation:
    organisation = services.school(slug)
    if organisation is None:
        raise Http404
    timezone.activate(organisation.zone)
    request.intake_organisation = organisation  # type: ignore[attr-defined]
    return organisation


def _sent_tokens(request: HttpRequest) -> dict[str, str]:
    """The status links of what this browser sent lately, so a second press of «Отправить» shows the same link.
    A signed cookie rather than the session: an anonymous submit then writes no session row."""
    try:
        tokens = signing.loads(request.COOKIES.get(TOKENS_COOKIE, ""), salt=_TOKENS_SALT, max_age=TOKENS_MAX_AGE)
    except signing.BadSignature:
        return {}
    return tokens if isinstance(tokens, dict) else {}


def _remember_token(response: HttpResponse, tokens: dict[str, str], number: str, token: str) -> None:
    kept = {**tokens, number: token}
    response.set_cookie(
        TOKENS_COOKIE,
        signing.dumps(dict(list(kept.items())[-3:]), salt=_TOKENS_SALT, compress=True),
        max_age=TOKENS_MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def _render_form(
    request: HttpRequest, organisation: Organisation, form: PublicRequestForm, status: int = 200, blocked: bool = False
) -> HttpResponse:
    context = {
        "school": organisation,
        "form": form,
        "consent": services.consent_text(organisation),
        "blocked": blocked,
        "embed": request.GET.get("embed") == "1",
    }
    return render(request, "intake/form.html", context, status=status)


PAGE_CACHE_SECONDS = 60
_STARTED_SLOT = "opora-form-started-slot"


def _blank_page(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The blank form is the same page for every family but for its signed start time. On the first day of
    distance learning thousands open it at once, so it is rendered once a minute per school (in its current
    state), language and consent text, and each visit only writes its own start time in. Someone signed in,
    or with a message waiting, gets a page of their own."""
    consent = services.consent_text(organisation)
    version = consent.version if consent else ""
    if request.user.is_authenticated or get_messages(request):
        return _render_form(request, organisation, PublicRequestForm(consent_version=version))
    embed = "embed" if request.GET.get("embed") == "1" else "page"
    school = f"{organisation.pk}:{_stamp(organisation)}"
    key = f"intake-page:{school}:{get_language()}:{embed}:{consent.pk if consent else 0}"
    page: str | None = cache.get(key)
    if page is None:
        blank = PublicRequestForm()
        blank.initial["started"] = _STARTED_SLOT
        page = _render_form(request, organisation, blank).content.decode()
        cache.set(key, page, PAGE_CACHE_SECONDS)
    return HttpResponse(page.replace(_STARTED_SLOT, sign_started(timezone.now(), version), 1))


def _stamp(organisation: Organisation) -> str:
    """Changes with anything about the school, so a page showing its old name or phone is never served."""
    values = repr([getattr(organisation, f.attname) for f in organisation._meta.concrete_fields])
    return hashlib.blake2b(values.encode(), digest_size=8).hexdigest()


# The public form has no login to protect, and inside a school site's iframe browsers withhold
# our cookies (SameSite), so CSRF tokens can't work there; the signed start time and the honeypot
# stand in for them, and the confirmation travels in a signed query string instead of the session.
@csrf_exempt
@framable_by_school
@require_http_methods(["GET", "POST"])
def form(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _school(request, slug)
    if request.method == "GET":
        return _blank_page(request, organisation)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES:
        return render(request, "intake/too_big.html", {"school": organisation}, status=413)
    now = timezone.now()
    bound = PublicRequestForm(request.POST, request.FILES)
    if bound.looks_automated(now):
        bound.is_valid()
        return _render_form(request, organisation, bound, status=400, blocked=True)
    if not bound.is_valid():
        return _render_form(request, organisation, bound, status=400)
    ip = abuse.client_ip(request)
    version = bound.consent_shown()
    if version is None:  # a form opened before versions were signed into it
        consent = services.consent_text(organisation)
        version = consent.version if consent else ""
    data = bound.intake_data(consent_version=version or "0", consent_ip=ip)
    screening = abuse.screen(organisation, data, ip, now)
    # «Отправить» pressed twice shows the request already sent, even to a family at its hourly limit.
    if screening.double_of is None and screening.over_limit:
        return _render_form(request, organisation, bound, status=429, blocked=True)
    try:
        received = services.submit(
            organisation, data, files=bound.cleaned_data["attachments"], now=now, double_of=screening.double_of
        )
    except ServiceError as exc:
        for field, errors in exc.message_dict.items():
            bound.add_error(field if field in bound.fields else None, errors)
        return _render_form(request, organisation, bound, status=400)
    sent = _sent_tokens(request)
    token = received.status_token or sent.get(received.ticket.number, "")
    query = {"r": signing.dumps({"n": received.ticket.number, "t": token}, salt=_DONE_SALT)}
    if request.GET.get("embed") == "1":
        query["embed"] = "1"
    response = redirect(reverse("intake:done", args=[organisation.slug]) + "?" + urlencode(query))
    if received.status_token:
        _remember_token(response, sent, received.ticket.number, received.status_token)
    return response


@framable_by_school
@require_GET
def done(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _school(request, slug)
    try:
        receipt = signing.loads(request.GET.get("r", ""), salt=_DONE_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return redirect("intake:form", slug=organisation.slug)
    ticket = organisation.tickets.filter(number=receipt["n"]).first()
    if ticket is None:
        raise Http404
    token = receipt["t"]
    status_url = request.build_absolute_uri(reverse("intake:status", args=[token])) if token else ""
    context = {
        "school": organisation,
        "ticket": ticket,
        "status_url": status_url,
        "embed": request.GET.get("embed") == "1",
    }
    return render(request, "intake/done.html", context)


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest, token: str) -> HttpResponse:
    ticket = ticket_by_token(token)
    if ticket is None or ticket.anonymised_at is not None:
        raise Http404
    timezone.activate(ticket.organisation.zone)
    error = ""
    if request.method == "POST":
        try:
            author_message(ticket, text=request.POST.get("text", ""), now=timezone.now())
        except ServiceError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Спасибо, мы передали Ваше сообщение специалисту."))
            return redirect("intake:status", token=token)
    context = status_context(ticket, timezone.now())
    context.update(error=error, text=request.POST.get("text", "") if error else "")
    response = render(request, "intake/status.html", context, status=400 if error else 200)
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(Attachment.objects.select_related("ticket__organisation"), pk=pk)
    ticket = access.ticket_for(request.user, item.ticket.organisation, item.ticket.number)
    if not access.can_see_content(request.user, ticket):
        raise PermissionDenied
    log_view(request.user, ticket, f"скачивание вложения «{item.original_name}»")
    response = FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def widget_config(request: HttpRequest, slug: str) -> JsonResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    payload: dict[str, Any] = {
        "label": "Поддержка обучения в дистанционный период",
        "hotline": organisation.hotline_phone,
        "form": request.build_absolute_uri(reverse("intake:form", args=[organisation.slug])),
        "school": organisation.name,
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def widget_js(request: HttpRequest) -> HttpResponse:
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import staticfiles_storage

    path = finders.find("opora/widget.js")
    if path is None:
        with staticfiles_storage.open("opora/widget.js") as fh:
            body = fh.read()
    else:
        with open(path, "rb") as fh:
            body = fh.read()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def widget_demo(request: HttpRequest) -> HttpResponse:
    organisation = Organisation.objects.order_by("pk").first()
    if organisation is None:
        raise Http404
    slug = request.GET.get("school", organisation.slug)
    return render(request, "intake/widget_demo.html", {"school": get_object_or_404(Organisation, slug=slug)})
