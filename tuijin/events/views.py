"""Pages of event programmes: the list, a programme with its timeline, readiness and countdown, an activity with
its preparation tasks and checklist, and the organiser's forms."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.tasks.models import Task, TaskUnit

from . import access, services
from .checklist import waiting_for
from .forms import ActivityForm, ChecklistItemForm, LinkTaskForm, PrepTaskForm, ProgrammeForm, UndoForm
from .models import Activity, ActivityTask, ChecklistEvent, ChecklistItem
from .summary import percent, readiness_by_activity, readiness_by_programme, task_counts


@login_required
def programme_list(request):
    access.require_use(request.user)
    today = timezone.localdate()
    programmes = list(
        access.visible_programmes(request.user)
        .select_related("organiser", "plan")
        .annotate(n_activities=Count("activities", distinct=True))
        .order_by("-end_date", "name")
    )
    readiness = readiness_by_programme([p.pk for p in programmes])
    for p in programmes:
        p.signed, p.items = readiness.get(p.pk, (0, 0))
        p.readiness = percent(p.signed, p.items)
        p.is_over = p.end_date < today
    return render(request, "events/programme_list.html", {"programmes": programmes, "today": today})


@login_required
def programme_detail(request, code):
    user = request.user
    programme = access.get_programme(user, code)
    today = timezone.localdate()
    activities = list(
        programme.activities.select_related("lead_unit")
        .prefetch_related("supporting_units")
        .order_by("date", "start_time", "id")
    )
    readiness = readiness_by_activity([a.pk for a in activities])
    counts = task_counts(user, programme)
    mine = user.unit_ids()
    for a in activities:
        a.signed, a.items = readiness.get(a.pk, (0, 0))
        a.readiness = percent(a.signed, a.items)
        a.counts = counts["by_activity"].get(a.pk, {})
        a.concerns_me = a.lead_unit_id in mine or any(u.pk in mine for u in a.supporting_units.all())
    signed = sum(a.signed for a in activities)
    items = sum(a.items for a in activities)
    context = {
        "programme": programme,
        "timeline": [(day, list(group)) for day, group in groupby(activities, key=lambda a: a.date)],
        "countdowns": services.countdowns(activities, timezone.now()),
        "signed": signed,
        "items": items,
        "readiness": percent(signed, items),
        "counts": counts,
        "categories": [(name, c) for name, c in counts["by_category"].items()],
        "sees_all": access.sees_all(user),
        "can_edit": user.is_supervisor,
        "today": today,
    }
    return render(request, "events/programme_detail.html", context)


@login_required
def programme_form(request, code=None):
    access.require_organiser(request.user)
    programme = access.get_programme(request.user, code) if code else None
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.cleaned_data}
        data["categories"] = form.cleaned_data["categories_text"]
        try:
            if programme:
                data.pop("plan", None)
                programme = services.update_programme(actor=request.user, programme=programme, **data)
            else:
                programme = services.create_programme(actor=request.user, **data)
        except services.EventError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Programme saved."))
            return redirect("events_programme_detail", code=programme.code)
    return render(request, "events/programme_form.html", {"form": form, "programme": programme},
                  status=400 if form.errors else 200)  # fmt: skip


# ——— activities ———


def activity_context(request, activity: Activity, **forms) -> dict:
    user = request.user
    visible = Task.objects.visible_to(user)
    prep = list(
        ActivityTask.objects.filter(activity=activity, task__in=visible)
        .select_related("task__plan")
        .prefetch_related(
            Prefetch(
                "task__task_units",
                queryset=TaskUnit.objects.select_related("unit").order_by("role", "position"),
            )
        )
        .order_by("category", "task__deadline", "task__sort_key", "id")
    )
    order = {name: i for i, name in enumerate(activity.programme.categories or [])}
    prep.sort(key=lambda link: (order.get(link.category, len(order)), link.task.deadline or activity.date))
    items = list(
        activity.checklist.select_related("unit", "signed_by", "task").prefetch_related(
            Prefetch("events", queryset=ChecklistEvent.objects.select_related("actor"))
        )
    )
    for item in items:
        item.can_sign = access.may_sign(user, item) and not item.is_signed
        item.waits_for = waiting_for(item)
        item.undo = next((e for e in item.events.all() if e.kind == ChecklistEvent.Kind.UNDONE), None)
    signed = sum(1 for i in items if i.is_signed)
    organiser = user.is_supervisor
    return {
        "activity": activity,
        "programme": activity.programme,
        "supporting": list(activity.supporting_units.all()),
        "prep_groups": [(cat, list(group)) for cat, group in groupby(prep, key=lambda link: link.category)],
        "items": items,
        "signed": signed,
        "readiness": percent(signed, len(items)),
        "can_edit": organiser,
        "can_undo": access.may_undo(user),
        "task_form": forms.get("task_form") or (PrepTaskForm(activity=activity) if organiser else None),
        "link_form": forms.get("link_form") or (LinkTaskForm(activity=activity) if organiser else None),
        "item_form": forms.get("item_form") or (ChecklistItemForm(activity=activity) if organiser else None),
        "undo_form": UndoForm(),
        "today": timezone.localdate(),
    }


@login_required
def activity_detail(request, code):
    activity = access.get_activity(request.user, code)
    return render(request, "events/activity_detail.html", activity_context(request, activity))


@login_required
def activity_form(request, programme_code=None, code=None):
    access.require_organiser(request.user)
    activity = access.get_activity(request.user, code) if code else None
    programme = activity.programme if activity else access.get_programme(request.user, programme_code)
    form = ActivityForm(request.POST or None, instance=activity, programme=programme, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ActivityForm.Meta.fields}
        supporting = list(data.pop("supporting_units"))
        moved = activity is not None and activity.date != data["date"] and activity.prep_tasks.exists()
        try:
            if activity:
                activity = services.update_activity(
                    actor=request.user, activity=activity, supporting_units=supporting, **data
                )
            else:
                activity = services.create_activity(
                    actor=request.user, programme=programme, supporting_units=supporting, **data
                )
        except services.EventError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Activity saved."))
            if form.clashes:
                messages.warning(request, _("Saved although the venue is booked at an overlapping time."))
            if moved:
                messages.warning(request, _("The day changed: the preparation tasks keep their deadlines; "
                                            "adjust them on the task pages if needed."))  # fmt: skip
            return redirect("events_activity_detail", code=activity.code)
    return render(
        request, "events/activity_form.html",
        {"form": form, "activity": activity, "programme": programme},
        status=400 if form.errors else 200,
    )  # fmt: skip


@login_required
@require_POST
def activity_delete(request, code):
    access.require_organiser(request.user)
    activity = access.get_activity(request.user, code)
    programme = activity.programme
    try:
        services.delete_activity(actor=request.user, activity=activity)
    except services.EventError as exc:
        messages.error(request, str(exc))
        return redirect("events_activity_detail", code=activity.code)
    messages.success(request, _("Activity deleted."))
    return redirect("events_programme_detail", code=programme.code)


def get_item(user, code) -> ChecklistItem:
    """A checklist item of an activity the user may see, else 404."""
    access.require_use(user)
    item = ChecklistItem.objects.select_related("activity", "unit").filter(code=code).first()
    if item is None or not access.visible_programmes(user).filter(pk=item.activity.programme_id).exists():
        raise Http404
    return item
