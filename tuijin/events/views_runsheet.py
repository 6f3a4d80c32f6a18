"""The day's run sheet of a programme: on screen, as .docx (GB/T 9704) and as .xlsx."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tuijin.core import privacy

from . import access, runsheet
from .models import Activity

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _day(request, programme) -> tuple[datetime.date | None, list[datetime.date]]:
    """The chosen day (?date=YYYY-MM-DD), else today if it has activities, else the first day that has."""
    days = runsheet.days(programme)
    wanted = request.GET.get("date")
    if wanted:
        try:
            day = datetime.date.fromisoformat(wanted)
        except ValueError:
            day = None
        if day is not None:
            return day, days
    today = timezone.localdate()
    if today in days:
        return today, days
    upcoming = [d for d in days if d >= today]
    return (upcoming[0] if upcoming else (days[0] if days else None)), days


@login_required
@require_GET
def run_sheet(request, code):
    programme = access.get_programme(request.user, code)
    day, days = _day(request, programme)
    rows = runsheet.rows(programme, day, viewer=request.user) if day else []
    return render(request, "events/run_sheet.html", {
        "programme": programme, "day": day, "days": days, "rows": rows,
        "full_exports": any(r.full for r in rows),
        "bad_date": bool(request.GET.get("date")) and day is None,
    })  # fmt: skip


@login_required
@require_GET
def run_sheet_export(request, code, fmt):
    programme = access.get_programme(request.user, code)
    day, _days = _day(request, programme)
    if day is None:
        day = programme.start_date
    rows = runsheet.rows(programme, day, viewer=request.user)
    if fmt == "docx":
        content = runsheet.docx_bytes(programme, day, rows, issued=timezone.localdate())
        response = HttpResponse(content, content_type=DOCX)
    else:
        response = HttpResponse(runsheet.xlsx_bytes(programme, day, rows), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{runsheet.filename(programme, day, fmt)}"
    privacy.record_export(
        actor=request.user, model=Activity, names=["contact_name", "contact_phone"], rows=len(rows),
        full=any(r.full for r in rows), description=f"{programme.name} {day:%Y-%m-%d} 运行表 .{fmt}",
    )  # fmt: skip
    return response
