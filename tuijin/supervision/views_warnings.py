"""The warning board: open (or resolved) warnings on the tasks the user may see, with filters and counts."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Value, When
from django.shortcuts import render
from django.utils import timezone

from tuijin.servicedesk.models import ServiceRequest
from tuijin.tasks.models import Task, TaskUnit

from .forms_warnings import RESOLVED, WarningFilterForm
from .models import Warning
from .warnings import may_read_warnings, visible_warnings

PAGE_SIZE = 50
RED_FIRST = Case(When(level=Warning.Level.RED, then=Value(0)), default=Value(1), output_field=IntegerField())


@login_required
def warning_board(request):
    user = request.user
    if not may_read_warnings(user):
        raise PermissionDenied
    now = timezone.now()
    form = WarningFilterForm(request.GET or None, tasks=Task.objects.visible_to(user))
    warnings = form.filter(visible_warnings(user), now=now, with_level=False)
    by_level = dict(warnings.order_by().values_list("level").annotate(n=Count("id")))
    counts = [
        (level, level.label, by_level.get(level, 0)) for level in (Warning.Level.RED, Warning.Level.YELLOW)
    ]
    warnings = form.filter(warnings, now=now)
    if form.state_value == RESOLVED:
        warnings = warnings.order_by("-resolved_at", "-id")
    else:
        warnings = warnings.order_by(RED_FIRST, "first_seen", "id")  # the reddest and oldest first
    warnings = warnings.select_related("task__plan").prefetch_related(
        Prefetch(
            "task__task_units",
            queryset=TaskUnit.objects.select_related("unit").order_by("role", "position"),
        )
    )
    page = Paginator(warnings, PAGE_SIZE).get_page(request.GET.get("page"))
    for warning in page.object_list:
        warning.age_days = ((warning.resolved_at or now) - warning.first_seen).days
    # 企业诉求 past their clocks sit beside the tasks' warnings
    overdue_requests = ServiceRequest.objects.visible_to(user).overdue(now).count()
    context = {
        "form": form, "page": page, "counts": counts, "level": form.data.get("level", ""),
        "overdue_requests": overdue_requests,
    }  # fmt: skip
    template = (
        "supervision/warning_board.html#table"
        if request.htmx and not request.htmx.boosted
        else "supervision/warning_board.html"
    )
    return render(request, template, context)
