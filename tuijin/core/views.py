"""Platform pages: health, the working-day calendar, the audit log."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.org.models import Role

from . import services
from .calendar import get_calendar, missing_next_year
from .forms import AuditFilterForm, CalendarDayForm
from .models import AuditEvent, CalendarDay, CalendarYear


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def home(request):
    from tuijin.tasks.views import dashboard

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


@login_required
def audit_log(request):
    if not request.user.has_role(Role.AUDITOR):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.all()
    if form.is_valid():
        events = form.filter(events)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    template = "core/audit_log.html#rows" if request.htmx else "core/audit_log.html"
    return render(request, template, {"form": form, "page": page})
