"""The organiser's pages for preparation work: add or file a task under an activity, generate the standard
tasks from a template, keep the templates; and the checklist actions (add, sign off, undo, delete)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, checklist, preparation
from .forms import (
    ChecklistItemForm,
    GenerateForm,
    LinkTaskForm,
    PrepTaskForm,
    SignOffForm,
    TemplateForm,
    TemplateItemForm,
    UndoForm,
)
from .models import PrepTemplate, PrepTemplateItem
from .services import EventError
from .views import activity_context, get_item


def _activity_page(request, activity, status=400, **forms):
    messages.error(request, _("Please correct the errors below."))
    return render(
        request, "events/activity_detail.html", activity_context(request, activity, **forms), status=status
    )


@login_required
@require_POST
def prep_task_add(request, code):
    access.require_organiser(request.user)
    activity = access.get_activity(request.user, code)
    form = PrepTaskForm(request.POST, activity=activity)
    if form.is_valid():
        try:
            link = preparation.add_prep_task(actor=request.user, activity=activity, **form.cleaned_data)
        except EventError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Preparation task %(n)s created.") % {"n": link.task.number})
            return redirect("events_activity_detail", code=activity.code)
    return _activity_page(request, activity, task_form=form)


@login_required
@require_POST
def prep_task_link(request, code):
    access.require_organiser(request.user)
    activity = access.get_activity(request.user, code)
    form = LinkTaskForm(request.POST, activity=activity)
    if form.is_valid():
        try:
            preparation.link_task(actor=request.user, activity=activity, **form.cleaned_data)
        except EventError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Task filed under this activity."))
            return redirect("events_activity_detail", code=activity.code)
    return _activity_page(request, activity, link_form=form)


@login_required
def generate(request, code):
    """Preview the template's tasks and checklist items with their deadlines, then create them in one step."""
    access.require_organiser(request.user)
    activity = access.get_activity(request.user, code)
    templates = list(PrepTemplate.objects.order_by("name"))
    template = None
    wanted = request.POST.get("template") or request.GET.get("template")
    if wanted:
        template = next((t for t in templates if str(t.code) == wanted), None)
    elif templates:
        template = templates[0]
    today = timezone.localdate()
    rows = preparation.plan_template(activity, template, today) if template else []
    form = GenerateForm(request.POST or None, rows=rows)
    if request.method == "POST" and template is not None and form.is_valid():
        try:
            links, checks = preparation.apply_template(
                actor=request.user, activity=activity, template=template, item_codes=form.cleaned_data["items"],
                today=today,
            )  # fmt: skip
        except EventError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(t)s preparation tasks and %(c)s checklist items created.")
                             % {"t": len(links), "c": len(checks)})  # fmt: skip
            return redirect("events_activity_detail", code=activity.code)
    context = {"activity": activity, "programme": activity.programme, "templates": templates,
               "template": template, "rows": rows, "form": form, "chosen": set(form["items"].value() or [])}  # fmt: skip
    return render(request, "events/generate.html", context, status=400 if form.errors else 200)


# ——— templates ———


@login_required
def template_list(request):
    access.require_organiser(request.user)
    templates = PrepTemplate.objects.order_by("name").prefetch_related("items")
    return render(request, "events/template_list.html", {"templates": templates})


@login_required
@require_POST
def template_standard(request):
    access.require_organiser(request.user)
    if PrepTemplate.objects.filter(name=preparation.STANDARD_NAME).exists():
        messages.info(request, _("The standard template exists already."))
        template = PrepTemplate.objects.get(name=preparation.STANDARD_NAME)
    else:
        template = preparation.standard_template(actor=request.user)
        messages.success(request, _("Standard template created; adjust it to your units."))
    return redirect("events_template_detail", code=template.code)


@login_required
def template_form(request, code=None):
    access.require_organiser(request.user)
    template = get_object_or_404(PrepTemplate, code=code) if code else None
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        if template:
            template = preparation.update_template(actor=request.user, template=template, **form.cleaned_data)
        else:
            template = preparation.create_template(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Template saved."))
        return redirect("events_template_detail", code=template.code)
    title = _("Edit template") if template else _("New preparation template")
    return render(request, "events/form.html", {"form": form, "title": title, "back": template},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def template_detail(request, code):
    access.require_organiser(request.user)
    template = get_object_or_404(PrepTemplate, code=code)
    form = TemplateItemForm(request.POST or None, template=template)
    if request.method == "POST" and form.is_valid():
        try:
            preparation.add_template_item(actor=request.user, template=template, **form.cleaned_data)
        except EventError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Item added."))
            return redirect("events_template_detail", code=template.code)
    items = template.items.select_related("unit", "needs_task")
    return render(request, "events/template_detail.html", {"template": template, "items": items, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_POST
def template_item_delete(request, code):
    access.require_organiser(request.user)
    item = get_object_or_404(PrepTemplateItem.objects.select_related("template"), code=code)
    preparation.delete_template_item(actor=request.user, item=item)
    messages.success(request, _("Item removed."))
    return redirect("events_template_detail", code=item.template.code)


# ——— the checklist ———


@login_required
@require_POST
def check_add(request, code):
    access.require_organiser(request.user)
    activity = access.get_activity(request.user, code)
    form = ChecklistItemForm(request.POST, activity=activity)
    if form.is_valid():
        try:
            checklist.add_item(actor=request.user, activity=activity, **form.cleaned_data)
        except EventError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Checklist item added."))
            return redirect("events_activity_detail", code=activity.code)
    return _activity_page(request, activity, item_form=form)


def _checklist_answer(request, activity):
    """The checklist fragment for htmx, else back to the activity page."""
    if request.htmx:
        context = activity_context(request, activity)
        return render(request, "events/activity_detail.html#checklist", context)
    return redirect("events_activity_detail", code=activity.code)


@login_required
@require_POST
def check_sign(request, code):
    item = get_item(request.user, code)
    if not access.may_sign(request.user, item):
        raise PermissionDenied
    form = SignOffForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        checklist.sign_off(actor=request.user, item=item, note=note)
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("“%(item)s” signed off.") % {"item": item.title})
    return _checklist_answer(request, item.activity)


@login_required
@require_POST
def check_undo(request, code):
    item = get_item(request.user, code)
    if not access.may_undo(request.user):
        raise PermissionDenied
    form = UndoForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the sign-off is undone."))
        return _checklist_answer(request, item.activity)
    try:
        checklist.undo_sign_off(actor=request.user, item=item, reason=form.cleaned_data["reason"])
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Sign-off of “%(item)s” undone.") % {"item": item.title})
    return _checklist_answer(request, item.activity)


@login_required
@require_POST
def check_delete(request, code):
    access.require_organiser(request.user)
    item = get_item(request.user, code)
    try:
        checklist.delete_item(actor=request.user, item=item)
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Checklist item removed."))
    return redirect("events_activity_detail", code=item.activity.code)
