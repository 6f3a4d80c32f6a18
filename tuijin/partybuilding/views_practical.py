"""办实事 lists: the office's and lead units' page per list, and the public page anyone can open without signing in.

The items themselves are tasks of a plan of kind "practical": they are created, imported, assigned, reported
and closed on the task pages like any other task."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.tasks.access import get_visible_task
from tuijin.tasks.models import Plan, Task

from . import practical
from .access import require_entry, require_supervisor
from .forms import PracticalListForm, PublicUpdateForm
from .models import PracticalList, PublicUpdate
from .services import PartyError


def _practical_plans():
    return Plan.objects.filter(kind=Plan.Kind.PRACTICAL)


@login_required
def practical_list(request):
    scope = require_entry(request.user)
    visible = Task.objects.visible_to(request.user)
    plans = (
        _practical_plans()
        .annotate(
            n=Count("tasks", filter=Q(tasks__in=visible)),
            done=Count("tasks", filter=Q(tasks__in=visible, tasks__state="closed")),
        )  # fmt: skip
        .select_related("practical_list")
        .order_by("-year", "name")
    )
    if not request.user.sees_all_tasks:
        plans = plans.filter(n__gt=0)
    return render(request, "partybuilding/practical_list.html", {"plans": plans, "scope": scope})


def _plan_with_settings(code) -> tuple[Plan, PracticalList | None]:
    plan = get_object_or_404(_practical_plans(), code=code)
    try:
        settings = plan.practical_list
    except PracticalList.DoesNotExist:
        settings = None
    return plan, settings


@login_required
def practical_manage(request, code, settings_form=None):
    require_entry(request.user)
    plan, settings = _plan_with_settings(code)
    tasks = (
        Task.objects.visible_to(request.user)
        .filter(plan=plan)
        .for_list()
        .prefetch_related(
            Prefetch(
                "public_updates",
                queryset=PublicUpdate.objects.select_related("written_by").order_by("-written_at", "-id"),
            )
        )  # fmt: skip
        .order_by("sort_key", "id")
    )
    if not request.user.sees_all_tasks and not tasks.exists():
        raise Http404
    rows = []
    for task in tasks:
        updates = list(task.public_updates.all())
        published = next((u for u in updates if u.published_at), None)
        rows.append({"task": task, "status": practical.plain_status(task),
                     "status_label": practical.PLAIN_STATUS[practical.plain_status(task)],
                     "published": published, "drafts": [u for u in updates if not u.published_at],
                     "can_write": practical.may_write_update(request.user, task)})  # fmt: skip
    context = {
        "plan": plan, "settings": settings, "rows": rows,
        "settings_form": settings_form or PracticalListForm(instance=settings),
        "update_form": PublicUpdateForm(),
    }  # fmt: skip
    return render(
        request, "partybuilding/practical_manage.html", context, status=400 if settings_form else 200
    )


@login_required
@require_POST
def practical_settings(request, code):
    require_supervisor(request.user)
    plan, settings = _plan_with_settings(code)
    form = PracticalListForm(request.POST, instance=settings)
    if not form.is_valid():
        return practical_manage(request, code, settings_form=form)
    try:
        practical.save_practical_list(actor=request.user, plan=plan, **form.cleaned_data)
    except PartyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Settings saved."))
    return redirect("party_practical_manage", code=plan.code)


@login_required
@require_POST
def public_update_create(request, task_code):
    require_entry(request.user)
    task = get_visible_task(request.user, task_code)
    if task.plan.kind != Plan.Kind.PRACTICAL:
        raise Http404
    if not practical.may_write_update(request.user, task):
        raise PermissionDenied
    form = PublicUpdateForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    else:
        try:
            update = practical.write_public_update(actor=request.user, task=task, **form.cleaned_data)
        except PartyError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Summary published.") if update.published_at
                             else _("Summary saved; the supervision office will publish it."))  # fmt: skip
    return redirect(f"{_manage_url(task.plan)}#item-{task.code}")


def _manage_url(plan: Plan) -> str:
    return reverse("party_practical_manage", args=[plan.code])


@login_required
@require_POST
def public_update_action(request, code, action):
    require_supervisor(request.user)
    update = get_object_or_404(PublicUpdate.objects.select_related("task__plan"), code=code)
    if action not in ("publish", "unpublish"):
        raise Http404
    practical.set_published(actor=request.user, update=update, published=action == "publish")
    messages.success(request, _("Summary published.") if action == "publish" else _("Summary withdrawn."))
    return redirect(f"{_manage_url(update.task.plan)}#item-{update.task.code}")


def practical_public(request, code):
    """The public page: no sign-in; only lists the office has made public; nothing internal."""
    plan, settings = _plan_with_settings(code)
    if settings is None or not settings.is_public:
        raise Http404
    items = practical.public_items(plan)
    return render(request, "partybuilding/practical_public.html",
                  {"plan": plan, "settings": settings, "items": items, "counts": practical.counts(items),
                   "today": timezone.localdate()})  # fmt: skip
