"""Pipeline pages: the board by stage, the filterable list, a project's page with its timeline, and the forms that
create, edit, move, re-sign and follow up a project."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import access, services
from .forms import FollowUpForm, ProjectFilterForm, ProjectForm, SignAgainForm, StageMoveForm
from .models import COUNTING_RULES, STAGE_ORDER, Policy, Project, Stage, investment_scope
from .timeline import project_timeline

PAGE_SIZE = 50
BOARD_COLUMN_LIMIT = 60


def _apply_error(form, exc: services.PipelineError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _counting_context(rows, year: int) -> dict:
    return {"year_total": rows.counted_signings(year=year).signed_total(), "year": year,
            "counting_rules": COUNTING_RULES}  # fmt: skip


# ——— board and list ———


@login_required
def board(request):
    """Columns per stage with the open projects; dropped ones are counted and linked, not shown."""
    user = request.user
    access.require_pipeline(user)
    today = timezone.localdate()
    form = ProjectFilterForm(request.GET or None)
    visible = Project.objects.visible_to(user)
    projects = form.filter(visible) if form.is_valid() else visible
    columns = {stage: [] for stage in STAGE_ORDER}
    counts = dict.fromkeys(STAGE_ORDER, 0)
    for project in projects.exclude(stage=Stage.DROPPED).for_list().order_by("stage_since", "id"):
        counts[project.stage] += 1
        if len(columns[project.stage]) < BOARD_COLUMN_LIMIT:
            project.overdue = project.next_step_overdue(today)
            project.days = project.days_in_stage(today)
            columns[project.stage].append(project)
    context = {
        "form": form,
        "columns": [(Stage(stage), columns[stage], counts[stage]) for stage in STAGE_ORDER],
        "dropped": projects.filter(stage=Stage.DROPPED).count(),
        "overdue_count": projects.overdue_next_steps(today).count(),
        "can_create": access.is_officer(user),
        "editable": _editable_ids(user, [p for cards in columns.values() for p in cards]),
        "today": today,
        "column_limit": BOARD_COLUMN_LIMIT,
        **_counting_context(projects, today.year),
    }
    return render(request, "investment/board.html", context)


def _editable_ids(user, projects) -> set[int]:
    """Which of these projects the user may move, without a query per card."""
    if not access.is_officer(user):
        return set()
    if access.is_city_wide_officer(user):
        return {p.pk for p in projects}
    sectors = investment_scope(user)[1]
    mine = {p.pk for p in projects if p.sector_id in sectors or p.officer_id == user.pk}
    others = [p.pk for p in projects if p.pk not in mine]
    if others:
        mine |= set(Project.service_team.through.objects.filter(user_id=user.pk, project_id__in=others)
                    .values_list("project_id", flat=True))  # fmt: skip
    return mine


@login_required
def project_list(request):
    user = request.user
    access.require_pipeline(user)
    today = timezone.localdate()
    form = ProjectFilterForm(request.GET or None)
    projects = Project.objects.visible_to(user)
    if form.is_valid():
        projects = form.filter(projects)
    page = Paginator(projects.for_list().order_by("-stage_since", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for project in page.object_list:
        project.overdue = project.next_step_overdue(today)
    context = {
        "form": form,
        "page": page,
        "filtered_total": projects.counted_signings().signed_total(),
        "can_create": access.is_officer(user),
        "counting_rules": COUNTING_RULES,
        "today": today,
    }
    template = "investment/project_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#table"
    return render(request, template, context)


# ——— one project ———


@login_required
def project_detail(request, code):
    user = request.user
    project = access.get_visible_project(user, code)
    today = timezone.localdate()
    policies = [p for p in Policy.objects.filter(is_active=True).prefetch_related("categories")
                if p.applies_to(project, today)]  # fmt: skip
    can_edit = access.can_edit_project(user, project)
    context = {
        "project": project,
        "can_edit": can_edit,
        "timeline": project_timeline(project),
        "agreements": project.agreements.all(),
        "policies": policies,
        "stages": [
            (Stage(s), getattr(project, f"{_date_field(s)}", None) if _date_field(s) else None)
            for s in STAGE_ORDER
        ],  # fmt: skip
        "current_rank": project.stage_rank,
        "overdue": project.next_step_overdue(today),
        "follow_up_form": FollowUpForm() if can_edit else None,
        "sign_again_form": SignAgainForm(project=project) if can_edit and project.first_signed_on else None,
        "move_targets": [Stage(s) for s in services.all_stages() if s != project.stage] if can_edit else [],
        "related": project.attracted_projects.select_related("enterprise"),
        "follow_ons": project.follow_on_projects.select_related("enterprise"),
        "service_team": project.service_team.all(),
        "counting_rules": COUNTING_RULES,
        "today": today,
    }
    return render(request, "investment/project_detail.html", context)


def _date_field(stage: str) -> str | None:
    from .models import STAGE_DATE_FIELDS

    if stage == Stage.LEAD:
        return None
    return STAGE_DATE_FIELDS.get(stage)


@login_required
def project_form(request, code=None):
    user = request.user
    access.require_pipeline(user)
    project = access.get_visible_project(user, code) if code else None
    if project is not None:
        access.require_edit(user, project)
    elif not access.is_officer(user):
        raise PermissionDenied
    initial = {"enterprise": _enterprise_pk(request.GET["enterprise"])} if request.GET.get("enterprise") else {}
    form = ProjectForm(request.POST or None, instance=project, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team = data.pop("service_team")
        try:
            if project is None:
                project = services.create_project(actor=user, service_team=team, **data)
            else:
                project = services.update_project(actor=user, project=project, service_team=team, **data)
        except services.PipelineError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Project saved."))
            return redirect("investment_project_detail", code=project.code)
    return render(request, "investment/project_form.html", {"form": form, "project": project},
                  status=400 if form.errors else 200)  # fmt: skip


def _enterprise_pk(code: str):
    from django.core.exceptions import ValidationError

    from .models import Enterprise

    try:
        return Enterprise.objects.filter(code=code).values_list("pk", flat=True).first()
    except (ValueError, TypeError, ValidationError):
        return None


@login_required
def project_move(request, code):
    """GET: the form for moving to `?to=stage` (a partial for htmx, a page otherwise); POST: the move."""
    user = request.user
    project = access.get_visible_project(user, code)
    access.require_edit(user, project)
    to_stage = request.POST.get("to") or request.GET.get("to") or project.next_stage or ""
    if to_stage not in Stage.values or to_stage == project.stage:
        return render(request, "investment/project_move.html" + ("#form" if request.htmx else ""),
                      {"project": project, "form": None, "to_stage": None, "next": _safe_next(request, "")},
                      status=400)  # fmt: skip
    form = StageMoveForm(request.POST or None, project=project, to_stage=to_stage)
    default_next = reverse("investment_project_detail", args=[project.code])
    if request.method == "POST" and form.is_valid():
        try:
            services.move_stage(actor=user, project=project, to_stage=to_stage, **form.move_kwargs())
        except services.PipelineError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("%(project)s moved to %(stage)s.") % {
                "project": project.name, "stage": Stage(to_stage).label})  # fmt: skip
            target = _safe_next(request, default_next)
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
    context = {"project": project, "form": form, "to_stage": Stage(to_stage),
               "backward": services.is_backward(project, to_stage), "next": _safe_next(request, "")}  # fmt: skip
    if request.htmx:
        # htmx swaps 2xx answers only: a form with errors comes back as 200 into the dialog.
        return render(request, "investment/project_move.html#form", context)
    return render(request, "investment/project_move.html", context, status=400 if form.errors else 200)


@login_required
def project_sign_again(request, code):
    user = request.user
    project = access.get_visible_project(user, code)
    access.require_edit(user, project)
    form = SignAgainForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_again(actor=user, project=project, **form.cleaned_data)
        except services.PipelineError as exc:
            _apply_error(form, exc)
        else:
            messages.success(
                request, _("Agreement recorded. The project still counts once, at its first signing.")
            )
            return redirect("investment_project_detail", code=project.code)
    return render(request, "investment/simple_form.html", {
        "form": form, "title": _("Another agreement"), "back": reverse("investment_project_detail", args=[project.code]),
        "subtitle": project.name}, status=400 if form.errors else 200)  # fmt: skip


@login_required
def project_follow_up(request, code):
    user = request.user
    project = access.get_visible_project(user, code)
    access.require_edit(user, project)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_follow_up(actor=user, project=project, **form.cleaned_data)
        except services.PipelineError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect("investment_project_detail", code=project.code)
    return render(request, "investment/simple_form.html", {
        "form": form, "title": _("Follow-up"), "back": reverse("investment_project_detail", args=[project.code]),
        "subtitle": project.name}, status=400 if form.errors else 200)  # fmt: skip
