from datetime import date, datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from opora.accounts.models import Organisation
from opora.accounts.roles import current_organisation
from opora.audit.log import log_export
from opora.desk.filters import PARAMS, filter_tickets
from opora.desk.forms import HANDLING_ROLES
from opora.desk.queries import staff_of
from opora.tickets import access
from opora.tickets.labels import AUTHOR_ROLE, CHANNEL, REQUEST_TYPE, choices
from opora.tickets.models import Ticket

from . import charts, dashboard, exports, figures, rolled
from .register import register_pdf


def _org(request: HttpRequest) -> Organisation:
    org = current_organisation(request)
    if org is None or not access.can_view_reports(request.user, org):
        raise PermissionDenied
    return org


def _tickets(request: HttpRequest, org: Organisation, now: datetime) -> QuerySet[Ticket]:
    return filter_tickets(Ticket.objects.filter(organisation=org), request.GET, now, org)


@login_required
@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    now = timezone.now()
    week = dashboard.period_start(org, now, 7)
    since = datetime.combine(now.astimezone(org.zone).date() - timedelta(days=13), time.min, org.zone)
    daily, compliance, heat = dashboard.activity(org, since, now)
    context = {
        "counts": dashboard.now_counts(org, now),
        "today": dashboard.period_figures(org, dashboard.period_start(org, now, 1), now),
        "week": dashboard.period_figures(org, week, now),
        "load": dashboard.specialist_load(org, now, week),
        "daily": daily,
        "compliance": compliance,
        "heat": heat,
        "hours": range(24),
        "type_labels": dict(choices(REQUEST_TYPE)),
        "now": now,
    }
    template = "reports/_counts.html" if request.htmx else "reports/dashboard.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_GET
def chart(request: HttpRequest, name: str) -> HttpResponse:
    org = _org(request)
    now = timezone.now()
    since = datetime.combine(now.astimezone(org.zone).date() - timedelta(days=13), time.min, org.zone)
    if name == "by-day":
        svg = charts.requests_by_day(dashboard.daily_figures(org, since, now)[0])
    elif name == "compliance":
        svg = charts.compliance_by_day(dashboard.daily_figures(org, since, now)[1])
    else:
        raise PermissionDenied
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=60"
    return response


def _period(request: HttpRequest, org: Organisation, now: datetime) -> tuple[date, date]:
    today = now.astimezone(org.zone).date()
    try:
        start = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today.replace(day=1)
    try:
        end = date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        end = today
    return start, end


@login_required
@require_GET
def clauses(request: HttpRequest) -> HttpResponseBase:
    org = _org(request)
    now = timezone.now()
    start, end = _period(request, org, now)
    params = request.GET.copy()
    params.setdefault("from", start.isoformat())
    params.setdefault("to", end.isoformat())
    found = rolled.split(params, org, now)
    report = rolled.clause_report_for(params, org, now, found)
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        rows = report_rows(report)
        name = f"otchet-{start:%Y%m%d}-{end:%Y%m%d}"
        if fmt == "csv":
            return exports.csv_response(["Показатель", "Значение"], rows, name)
        return exports.xlsx_response(["Показатель", "Значение"], rows, name, "Отчёт")
    query = params.urlencode()
    by = {**rolled.breakdowns_for(found, now), **rolled.details_for(found, now)}
    context = {
        "report": report,
        "start": start,
        "end": end,
        "query": query,
        "filters": {key: params.get(key, "") for key in PARAMS},
        "by_type": by["request_type"],
        "by_role": by["author_role"],
        "by_class": by["school_class"],
        "by_channel": by["channel"],
        "by_specialist": by["assignee"],
        "staff_labels": {u.pk: u.get_full_name() or u.username for u in staff_of(org)},
        "type_labels": dict(choices(REQUEST_TYPE)),  # keys are the stored values
        "role_labels": dict(choices(AUTHOR_ROLE)),
        "channel_labels": dict(choices(CHANNEL)),
        "type_choices": choices(REQUEST_TYPE),
        "channel_choices": choices(CHANNEL),
        "author_role_choices": choices(AUTHOR_ROLE),
        "role_choices": HANDLING_ROLES,
    }
    return render(request, "reports/clauses.html", context)


def report_rows(report: figures.ClauseReport) -> list[list[object]]:
    d, t, r, p, q = report.dispatch, report.take, report.resolve, report.reply, report.quality
    return [
        ["п. 3.1.1–3.1.2: поступило", d["total"]],
        ["распределено", d["routed"]],
        ["распределено в течение 30 минут", d["met"]],
        ["доля, %", d["share"]],
        ["медиана времени распределения", str(d["median"] or "")],
        ["90-й процентиль", str(d["p90"] or "")],
        ["п. 3.2.1: взято в работу в срок", t["met"]],
        ["взято с нарушением срока", t["breached"]],
        ["доля, %", t["share"]],
        ["п. 3.2.2: отработано в срок", r["met"]],
        ["в срок после согласованного продления", r["extended"]],
        ["срок нарушен", r["breached"]],
        ["доля в срок (с продлением), %", r["share"]],
        ["продлений запрошено", r["requested"]],
        ["согласовано", r["approved"]],
        ["отказано", r["rejected"]],
        ["п. 3.2.3: ответов дано", p["resolved"]],
        ["по выбранному автором каналу", p["preferred"]],
        ["доля, %", p["share"]],
        ["по телефону", p["phone"]],
        ["по электронной почте", p["email"]],
        ["возвращено диспетчеру", q["returned"]],
        ["открыто повторно", q["reopened"]],
        ["снято", q["withdrawn"]],
    ]


@login_required
@require_GET
def export_tickets(request: HttpRequest) -> HttpResponseBase:
    org = _org(request)
    now = timezone.now()
    qs = _tickets(request, org, now)
    name = f"obrashcheniya-{now.astimezone(org.zone):%Y%m%d-%H%M}"
    log_export(request.user, org.pk, f"выгрузка списка обращений ({request.GET.urlencode() or 'все'})")
    rows = exports.ticket_rows(qs, org)
    if request.GET.get("format") == "xlsx":
        return exports.xlsx_response(exports.HEADERS, rows, name, "Обращения")
    return exports.csv_response(exports.HEADERS, rows, name)


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    now = timezone.now()
    start, end = _period(request, org, now)
    params = {"from": start.isoformat(), "to": end.isoformat()}
    qs = filter_tickets(Ticket.objects.filter(organisation=org), params, now, org)
    response = HttpResponse(register_pdf(qs, org, start, end), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="zhurnal-{start:%Y%m%d}-{end:%Y%m%d}.pdf"'
    return response
