"""Platform pages: health, the working-day calendar, the audit log."""

import datetime
import io
import logging
import os
import time
from tempfile import mkstemp

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tuijin.org.models import Role

from . import audit_display, audit_verify, services
from .audit import record
from .calendar import get_calendar, missing_next_year
from .forms import AuditFilterForm, CalendarDayForm
from .models import AuditEvent, AuditVerification, CalendarDay, CalendarYear

logger = logging.getLogger(__name__)
# Seconds: loading the migration graph is costly, and it changes only with a deploy.
HEALTH_MIGRATIONS_TTL = 60
_migrations_checked: dict[str, tuple[float, bool]] = {}


def _database_ok() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def _migrations_ok() -> bool:
    cached = _migrations_checked.get(connection.alias)
    if cached and time.monotonic() - cached[0] < HEALTH_MIGRATIONS_TTL:
        return cached[1]
    executor = MigrationExecutor(connection)
    ok = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    _migrations_checked[connection.alias] = (time.monotonic(), ok)
    return ok


def _storage_ok() -> bool:
    fd, name = mkstemp(prefix=".healthz-", dir=settings.MEDIA_ROOT)
    try:
        os.write(fd, b"ok")
    finally:
        os.close(fd)
        os.unlink(name)
    return True


HEALTH_CHECKS = {"database": _database_ok, "migrations": _migrations_ok, "storage": _storage_ok}


@never_cache
def healthz(request):
    """For the proxy or load balancer: 200 when the database answers, the schema is current and uploads can be
    stored, else 503 naming the failing check. Public, so it says nothing more: no versions, no error text."""
    checks: dict[str, str] = {}
    for name, check in HEALTH_CHECKS.items():
        if name == "migrations" and checks["database"] != "ok":
            checks[name] = "fail"  # cannot be known without the database
            continue
        try:
            ok = check()
        except Exception:
            logger.warning("healthz: the %s check failed", name, exc_info=True)
            ok = False
        checks[name] = "ok" if ok else "fail"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503
    )


def home(request):
    """Staff land on their task dashboard; outside applicants (talents, enterprises) on their own portal."""
    from tuijin.tasks.views import dashboard

    if request.user.is_authenticated and request.user.role_codes() == {Role.APPLICANT}:
        from tuijin.servicedesk.models import EnterpriseAccount

        if EnterpriseAccount.objects.filter(user=request.user).exists():
            return redirect("servicedesk_portal")
        return redirect("spaces_portal")
    return dashboard(request)


@login_required
def calendar(request):
    if not request.user.has_role(Role.SYSADMIN, Role.SUPERVISOR):
        raise PermissionDenied
    year = int(request.GET.get("year") or timezone.localdate().year)
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "complete":
        services.mark_year_complete(actor=request.user, year=int(request.POST["year"]))
        messages.success(
            request, _("Calendar marked complete for %(year)s.") % {"year": request.POST["year"]}
        )
        return redirect(f"{request.path}?year={request.POST['year']}")
    if request.method == "POST" and request.POST.get("action") == "delete":
        services.delete_calendar_day(actor=request.user, day_id=int(request.POST["day"]))
        return redirect(f"{request.path}?year={year}")
    if request.method == "POST" and form.is_valid():
        services.set_calendar_day(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect(f"{request.path}?year={form.cleaned_data['date'].year}")
    cal = get_calendar()
    try:
        covered = cal.has_year(year)
    except Exception:  # pragma: no cover - has_year never raises, defensive for odd years
        covered = False
    months = []
    if covered:
        for month in range(1, 13):
            first = datetime.date(year, month, 1)
            days = []
            d = first
            while d.month == month:
                days.append((d, cal.is_workday(d)))
                d += datetime.timedelta(days=1)
            months.append({"month": month, "lead": first.weekday(), "days": days})
    return render(
        request,
        "core/calendar.html",
        {
            "year": year,
            "form": form,
            "covered": covered,
            "months": months,
            "entries": CalendarDay.objects.filter(date__year=year),
            "complete_years": CalendarYear.objects.values_list("year", flat=True),
            "missing_year": missing_next_year(),
        },
    )


AUDIT_PAGE_SIZE = 50
AUDIT_EXPORT_LIMIT = 100_000  # rows in one spreadsheet; narrow the filters for more
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def audit_log(request):
    """The auditor's screen: filters, before → after, the state of the hash chain. POST runs a verification and
    `?export=xlsx` downloads the filtered log; both are audited."""
    if not request.user.has_role(Role.AUDITOR):
        raise PermissionDenied
    if request.method == "POST":
        return _audit_verify(request)
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.all()
    if form.is_valid():
        events = form.filter(events)
    if request.GET.get("export") == "xlsx" and form.is_valid():
        return _audit_export(request, form, events)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params["export"] = "xlsx"
    context = {
        "form": form,
        "page": page,
        "rows": [audit_display.row(event) for event in page],
        "verification": AuditVerification.objects.select_related("actor").first(),
        "export_url": f"{request.path}?{params.urlencode()}",
    }
    template = "core/audit_log.html#rows" if request.htmx else "core/audit_log.html"
    return render(request, template, context)


def _audit_verify(request):
    result = audit_verify.verify()
    audit_verify.store(result, actor=request.user)
    if result.ok:
        messages.success(request, _("The audit log is intact: %(summary)s.") % {"summary": result.summary()})
    else:
        messages.error(
            request, _("The audit log failed verification: %(summary)s") % {"summary": result.summary()}
        )
    return redirect("audit_log")


def _audit_export(request, form, events):
    buffer = io.BytesIO()
    stamp = timezone.localtime()
    title = _("Audit log exported %(date)s by %(user)s") % {
        "date": f"{stamp.year}年{stamp.month}月{stamp.day}日 {stamp:%H:%M}",
        "user": request.user.display_name or request.user.username,
    }
    count = audit_display.write_xlsx(buffer, events, title=title, limit=AUDIT_EXPORT_LIMIT)
    filename = f"audit-log-{stamp:%Y%m%d-%H%M}.xlsx"
    filters = {name: str(value) for name, value in form.cleaned_data.items() if value not in (None, "")}
    record(
        actor=request.user,
        action="audit.export",
        object_type="core.auditevent",
        object_repr=filename,
        after={"filters": filters, "rows": count, "file": filename},
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
