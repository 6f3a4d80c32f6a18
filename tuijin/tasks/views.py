"""Pages for plans and tasks: the dashboard, lists, a task's page with its actions, reports and evidence."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.core.audit import record
from tuijin.core.calendar import missing_next_year
from tuijin.org.models import Role

from . import services
from .access import allowed_actions, get_visible_task, unit_roles, user_units_on
from .evidence import stored_content_type
from .forms import (
    AttachmentForm,
    CloseForm,
    ClosureForm,
    DecideExtensionForm,
    ExtensionForm,
    PlanForm,
    ReportForm,
    ReturnForm,
    TaskFilterForm,
    TaskForm,
)
from .models import Evidence, ExtensionRequest, Plan, Report, Task, TaskEvent, TaskState, TaskStatus
from .rows import ROW_FIELDS, code_url, filter_options, rows_from_values


def _require_supervisor(user) -> None:
    if not user.is_supervisor:
        raise PermissionDenied


def status_counts(tasks) -> dict[str, int]:
    counts = dict(tasks.order_by().values_list("status").annotate(n=Count("id")))
    return {s: counts.get(s, 0) for s in TaskStatus.values} | {"total": sum(counts.values())}


@login_required
def dashboard(request):
    user = request.user
    tasks = Task.objects.visible_to(user)
    todo = []
    if user.is_supervisor:
        todo = list(tasks.filter(state=TaskState.CLOSURE_REQUESTED).for_list()[:10])
    elif user.unit_ids():
        todo = list(
            tasks.filter(Q(state=TaskState.ASSIGNED) | Q(status__in=[TaskStatus.WARNING, TaskStatus.OVERDUE]))
            .exclude(state=TaskState.CLOSED)
            .for_list()
            .order_by("deadline")[:10]
        )
    extensions = (
        ExtensionRequest.objects.filter(state=ExtensionRequest.State.PENDING, task__in=tasks).select_related(
            "task", "requested_by"
        )[:10]
        if user.is_supervisor
        else []
    )
    plans = (
        Plan.objects.filter(tasks__in=tasks)
        .annotate(
            n=Count("tasks", distinct=True),
            overdue=Count("tasks", filter=Q(tasks__status=TaskStatus.OVERDUE), distinct=True),
            warning=Count("tasks", filter=Q(tasks__status=TaskStatus.WARNING), distinct=True),
            closed=Count("tasks", filter=Q(tasks__status=TaskStatus.CLOSED), distinct=True),
        )
        .order_by("-year", "name")
    )
    red_list = tasks.filter(status=TaskStatus.OVERDUE).for_list().order_by("deadline")[:10]
    show_calendar = user.has_role(Role.SYSADMIN, Role.SUPERVISOR)
    return render(
        request,
        "tasks/dashboard.html",
        {
            "counts": status_counts(tasks),
            "todo": todo,
            "extensions": extensions,
            "plans": plans,
            "red_list": red_list,
            "missing_year": missing_next_year() if show_calendar else None,
            "today": timezone.localdate(),
        },
    )


# ——— plans ———


@login_required
def plan_list(request):
    tasks = Task.objects.visible_to(request.user)
    plans = Plan.objects.annotate(
        n=Count("tasks", filter=Q(tasks__in=tasks)),
        overdue=Count("tasks", filter=Q(tasks__in=tasks, tasks__status=TaskStatus.OVERDUE)),
        warning=Count("tasks", filter=Q(tasks__in=tasks, tasks__status=TaskStatus.WARNING)),
        closed=Count("tasks", filter=Q(tasks__in=tasks, tasks__status=TaskStatus.CLOSED)),
    )
    if not request.user.sees_all_tasks:
        plans = plans.filter(n__gt=0)
    return render(request, "tasks/plan_list.html", {"plans": plans})


@login_required
def plan_form(request, code=None):
    _require_supervisor(request.user)
    plan = get_object_or_404(Plan, code=code) if code else None
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if plan:
            plan = services.update_plan(actor=request.user, plan=plan, **fields)
        else:
            plan = services.create_plan(actor=request.user, **fields)
        messages.success(request, _("Plan saved."))
        return redirect("plan_detail", code=plan.code)
    return render(request, "tasks/plan_form.html", {"form": form, "plan": plan})


@login_required
def plan_detail(request, code):
    plan = get_object_or_404(Plan, code=code)
    tasks = Task.objects.visible_to(request.user).filter(plan=plan)
    if not request.user.sees_all_tasks and not tasks.exists():
        raise Http404
    return task_list(request, plan=plan)


# ——— tasks ———


PAGE_SIZE = 50


@login_required
def task_list(request, plan=None):
    form = TaskFilterForm(request.GET or None)
    tasks = Task.objects.visible_to(request.user)
    if plan is not None:
        tasks = tasks.filter(plan=plan)
    if form.is_valid():
        tasks = form.filter(tasks)
    tasks = tasks.order_by("plan__year", "plan__name", "sort_key", "id")
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    # The page's rows as plain values (tasks/rows.py): model instances and per-row lookups in the template cost ten
    # times the page's SQL. Counted above without the plan, which only the rows join.
    start = (page.number - 1) * PAGE_SIZE
    page.object_list = rows_from_values(tasks.values(*ROW_FIELDS)[start : start + PAGE_SIZE])
    context = {"form": form, "page": page, "plan": plan, "counts": status_counts(tasks) if plan else None}
    if request.htmx and not request.htmx.boosted:
        return render(request, "tasks/task_list.html#table", context)
    context["filters"] = filter_options(form, with_plans=plan is None)
    return render(request, "tasks/task_list.html", context)


@login_required
def task_form(request, plan_code, code=None):
    _require_supervisor(request.user)
    plan = get_object_or_404(Plan, code=plan_code)
    task = get_visible_task(request.user, code) if code else None
    form = TaskForm(request.POST or None, instance=task, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        lead, support, limit = data.pop("lead_units"), data.pop("supporting_units"), data.pop("limit_text")
        try:
            if task:
                task = services.update_task(
                    actor=request.user, task=task, lead_units=list(lead), supporting_units=list(support),
                    limit_text=limit, **data,
                )  # fmt: skip
            else:
                task = services.create_task(
                    actor=request.user, plan=plan, lead_units=list(lead), supporting_units=list(support),
                    limit_text=limit, **data,
                )  # fmt: skip
        except services.TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            if task.limit_kind == "unknown":
                messages.warning(
                    request, _("The time limit was not understood: %(msg)s") % {"msg": task.limit_note}
                )
            messages.success(request, _("Task saved."))
            return redirect("task_detail", code=task.code)
    return render(request, "tasks/task_form.html", {"form": form, "plan": plan, "task": task})


def _detail_context(request, task, **forms):
    extensions = list(task.extensions.all())
    # Whether one is pending (allowed_actions asks) is read from the list the page shows: one query less.
    task.extensions_pending = any(e.state == ExtensionRequest.State.PENDING for e in extensions)
    actions = allowed_actions(request.user, task)
    reports, attachments = _reports_and_attachments(task)
    context = {
        "task": task,
        "actions": actions,
        "my_roles": unit_roles(request.user, task),
        "milestones": task.milestones.all(),
        "reports": reports,
        "attachments": attachments,
        "events": _timeline(task),
        "extensions": extensions,
        "children": task.children.all(),  # shown by number, title, progress and status only
        "closure_form": forms.get("closure_form") or ClosureForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "extension_form": forms.get("extension_form") or ExtensionForm(),
        "decide_form": forms.get("decide_form") or DecideExtensionForm(),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "can_attach": _may("attach", actions),
    }
    return context


def _reports_and_attachments(task) -> tuple[list[Report], list[Evidence]]:
    """The task's reports, each with its files (`evidence_items`), and the files attached to the task itself.

    All the task's evidence comes in one query (a report's files belong to the report's task), with the links to
    each file built without a reverse() per file: a task page shows tens of reports and files."""
    reports = list(task.reports.select_related("unit", "author"))
    file_url, thumb_url = code_url("evidence_file"), code_url("evidence_thumb")
    by_report: dict[int, list[Evidence]] = defaultdict(list)
    attachments = []
    for evidence in task.evidence.all():
        evidence.file_url, evidence.thumb_url = file_url(evidence.code), thumb_url(evidence.code)
        (attachments if evidence.report_id is None else by_report[evidence.report_id]).append(evidence)
    for report in reports:
        report.evidence_items = by_report.get(report.pk, [])
    return reports, attachments


def _timeline(task) -> list[TaskEvent]:
    """The latest 100 entries of the task's timeline, each with its kind's label (`kind_label`), looked up once
    rather than by get_kind_display(), which rebuilds the choices for every entry."""
    events = list(task.events.select_related("actor", "unit")[:100])
    labels = {value: str(label) for value, label in TaskEvent.Kind.choices}
    for event in events:
        event.kind_label = labels.get(event.kind, event.kind)
    return events


@login_required
def task_detail(request, code):
    task = get_visible_task(request.user, code)
    return render(request, "tasks/task_detail.html", _detail_context(request, task))


ATTACHERS = {"edit", "report", "request_closure"}


def _may(action: str, actions: set[str]) -> bool:
    """Whether `action` is among the user's allowed actions; attaching files goes with editing or reporting."""
    return bool(ATTACHERS & actions) if action == "attach" else action in actions


@login_required
@require_POST
def task_action(request, code, action):
    task = get_visible_task(request.user, code)
    user = request.user
    if not _may(action, allowed_actions(user, task)):
        # Not this person's move on this task (now): refused as a permission denial, which is audited.
        raise PermissionDenied
    forms = {}
    try:
        if action == "acknowledge":
            services.acknowledge(actor=user, task=task)
            messages.success(request, _("Acknowledged. The task is now in progress."))
        elif action == "request_closure":
            form = forms["closure_form"] = ClosureForm(request.POST, request.FILES)
            if form.is_valid():
                services.request_closure(actor=user, task=task, **form.cleaned_data)
                messages.success(
                    request, _("Closure requested. The supervision office will verify and close it.")
                )
        elif action == "close":
            form = forms["close_form"] = CloseForm(request.POST)
            if form.is_valid():
                services.close_task(actor=user, task=task, note=form.cleaned_data["note"])
                messages.success(request, _("Task closed (销号)."))
        elif action == "return":
            form = forms["return_form"] = ReturnForm(request.POST)
            if form.is_valid():
                services.return_task(actor=user, task=task, reason=form.cleaned_data["reason"])
                messages.success(request, _("Task returned to the unit."))
        elif action == "request_extension":
            form = forms["extension_form"] = ExtensionForm(request.POST)
            if form.is_valid():
                services.request_extension(actor=user, task=task, **form.cleaned_data)
                messages.success(request, _("Extension requested."))
        elif action == "decide_extension":
            form = forms["decide_form"] = DecideExtensionForm(request.POST)
            extension = get_object_or_404(ExtensionRequest, pk=request.POST.get("extension"), task=task)
            if form.is_valid():
                services.decide_extension(actor=user, extension=extension, **form.cleaned_data)
                messages.success(request, _("Decision recorded."))
        elif action == "attach":
            form = forms["attachment_form"] = AttachmentForm(request.POST, request.FILES)
            if form.is_valid():
                for checked in form.cleaned_data["files"]:
                    services.add_attachment(actor=user, task=task, checked=checked)
                messages.success(request, _("Files attached."))
        else:
            raise Http404
    except services.TransitionError as exc:
        messages.error(request, str(exc))
        return redirect("task_detail", code=task.code)
    if any(f.errors for f in forms.values()):
        messages.error(request, _("Please correct the errors below."))
        return render(request, "tasks/task_detail.html", _detail_context(request, task, **forms), status=400)
    return redirect("task_detail", code=task.code)


@login_required
def report_form(request, code):
    task = get_visible_task(request.user, code)
    if "report" not in allowed_actions(request.user, task):
        if task.state == TaskState.ASSIGNED and "acknowledge" in allowed_actions(request.user, task):
            messages.warning(request, _("Acknowledge the task before reporting progress."))
            return redirect("task_detail", code=task.code)
        raise PermissionDenied
    is_lead = "lead" in unit_roles(request.user, task)
    my_unit = (user_units_on(request.user, task, "lead") or user_units_on(request.user, task))[0]
    periods = services.reportable_periods(task, my_unit, timezone.localdate())
    form = ReportForm(
        request.POST or None, request.FILES or None, task=task, is_lead=is_lead, periods=periods
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_report(actor=request.user, task=task, **form.cleaned_data)
        except services.TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Progress reported."))
            return redirect("task_detail", code=task.code)
    period = services.current_period(task.plan.cadence, timezone.localdate())
    # The lead unit consolidates: show it what the supporting units reported this period.
    support_reports = (
        task.reports.filter(period=period).exclude(unit__in=task.lead_units).select_related("unit", "author")
        if is_lead
        else []
    )
    return render(
        request,
        "tasks/report_form.html",
        {
            "task": task,
            "form": form,
            "period": period,
            "due": services.period_due(task.plan, period),
            "support_reports": support_reports,
        },  # fmt: skip
        status=400 if form.errors else 200,
    )


@login_required
def evidence_file(request, code, variant="file"):
    evidence = get_object_or_404(Evidence.objects.select_related("task"), code=code)
    # Scoped like the task: a file of a task you cannot see does not exist for you.
    if not Task.objects.visible_to(request.user).filter(pk=evidence.task_id).exists():
        raise Http404
    thumb = bool(variant == "thumb" and evidence.thumbnail)
    field = evidence.thumbnail if thumb else evidence.file
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # The type comes from what the upload check found in the bytes, never from the name or the client.
    head = handle.read(16)
    handle.seek(0)
    content_type = "image/jpeg" if thumb else stored_content_type(evidence.kind, head)
    # Photos (decoded and saved again without metadata on upload) and thumbnails may show in the page;
    # PDF and Office files are always downloaded, never opened by the browser on our origin.
    inline = thumb or evidence.kind == Evidence.Kind.PHOTO
    if not thumb:  # thumbnails show on every task page; the file itself is the download
        record(actor=request.user, action="evidence.download", obj=evidence, object_repr=evidence.original_name)
    response = FileResponse(
        handle, as_attachment=not inline, filename=evidence.original_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    return response


@login_required
def plan_reporting(request, code):
    """The reporting grid: for each task, whether the lead unit's report for each recent period is in."""
    from .reporting import reporting_grid

    plan = get_object_or_404(Plan, code=code)
    tasks = Task.objects.visible_to(request.user).filter(plan=plan).for_list().order_by("sort_key", "id")
    if not request.user.sees_all_tasks and not tasks.exists():
        raise Http404
    today = timezone.localdate()
    periods, rows, totals = reporting_grid(plan, tasks, today)
    return render(
        request,
        "tasks/plan_reporting.html",
        {"plan": plan, "periods": periods, "rows": rows, "totals": totals, "today": today},
    )
