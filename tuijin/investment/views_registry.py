"""Registries kept beside the pipeline: target categories, venture-capital firms and their funds, the classified
policies — and the binding of a task's measure to the pipeline (自动统计)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.tasks.access import get_visible_task

from . import access, measures, services
from .forms import CategoryForm, FundForm, MeasureBindingForm, PolicyForm, VentureFirmForm
from .models import Channel, MeasureBinding, Origin, Policy, ProjectCategory, VentureFirm


def _require_registry(user) -> None:
    access.require_pipeline(user)
    if not access.can_manage_registries(user):
        raise PermissionDenied


def _save(request, form, save, success: str):
    """Validate, call the service, map its error to the form; a redirect on success, None otherwise."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except services.PipelineError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, success)
            return True
    return False


# ——— categories ———


@login_required
def category_list(request, code=None):
    user = request.user
    access.require_pipeline(user)
    category = get_object_or_404(ProjectCategory, code=code) if code else None
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST":
        _require_registry(user)
        if _save(request, form, lambda d: services.save_category(actor=user, category=category, **d),
                 _("Category saved.")):  # fmt: skip
            return redirect("investment_category_list")
    categories = ProjectCategory.objects.annotate(n=Count("projects"))
    return render(request, "investment/category_list.html", {
        "categories": categories, "form": form, "category": category,
        "can_edit": access.can_manage_registries(user)}, status=400 if form.errors else 200)  # fmt: skip


# ——— venture-capital firms ———


@login_required
def firm_list(request):
    user = request.user
    access.require_pipeline(user)
    form = VentureFirmForm(request.POST or None)
    if request.method == "POST":
        _require_registry(user)
        if _save(request, form, lambda d: services.save_venture_firm(actor=user, **d), _("Firm saved.")):
            return redirect("investment_firm_list")
    firms = VentureFirm.objects.prefetch_related("funds").annotate(n=Count("projects"))
    return render(request, "investment/firm_list.html", {
        "firms": firms, "form": form, "fund_form": FundForm(),
        "can_edit": access.can_manage_registries(user)}, status=400 if form.errors else 200)  # fmt: skip


@login_required
def firm_form(request, code):
    user = request.user
    _require_registry(user)
    firm = get_object_or_404(VentureFirm, code=code)
    form = VentureFirmForm(request.POST or None, instance=firm)
    if _save(
        request, form, lambda d: services.save_venture_firm(actor=user, firm=firm, **d), _("Firm saved.")
    ):
        return redirect("investment_firm_list")
    return render(request, "investment/simple_form.html", {
        "form": form, "title": _("Venture-capital firm"), "subtitle": firm.name,
        "back": reverse("investment_firm_list")}, status=400 if form.errors else 200)  # fmt: skip


@login_required
def fund_create(request, code):
    user = request.user
    _require_registry(user)
    firm = get_object_or_404(VentureFirm, code=code)
    form = FundForm(request.POST or None)
    if _save(request, form, lambda d: services.save_fund(actor=user, firm=firm, **d), _("Fund added.")):
        return redirect("investment_firm_list")
    return render(request, "investment/simple_form.html", {
        "form": form, "title": _("Fund"), "subtitle": firm.name,
        "back": reverse("investment_firm_list")}, status=400 if form.errors else 200)  # fmt: skip


# ——— policies ———


@login_required
def policy_list(request):
    user = request.user
    access.require_pipeline(user)
    policies = Policy.objects.prefetch_related("categories")
    origins, channels = dict(Origin.choices), dict(Channel.choices)
    for policy in policies:
        policy.origin_labels = [origins.get(o, o) for o in policy.origins]
        policy.channel_labels = [channels.get(c, c) for c in policy.channels]
    return render(request, "investment/policy_list.html", {
        "policies": policies, "can_edit": access.can_manage_registries(user)})  # fmt: skip


@login_required
def policy_form(request, code=None):
    user = request.user
    _require_registry(user)
    policy = get_object_or_404(Policy, code=code) if code else None
    form = PolicyForm(request.POST or None, instance=policy)

    def save(data):
        data = dict(data)
        categories = data.pop("categories")
        services.save_policy(actor=user, policy=policy, categories=categories, **data)

    if _save(request, form, save, _("Policy saved.")):
        return redirect("investment_policy_list")
    return render(request, "investment/simple_form.html", {
        "form": form, "title": _("Investment policy"), "subtitle": policy.title if policy else "",
        "back": reverse("investment_policy_list")}, status=400 if form.errors else 200)  # fmt: skip


# ——— task measures ———


@login_required
def measure_form(request, task_code):
    """Bind (or rebind) a task's measure to the pipeline; the supervision office only."""
    user = request.user
    task = get_visible_task(user, task_code)
    if not access.can_bind_measures(user):
        raise PermissionDenied
    binding = measures.binding_for(task)
    form = MeasureBindingForm(request.POST or None, instance=binding)
    if _save(request, form, lambda d: services.bind_measure(actor=user, task=task, **d),
             _("The task's measure is now computed from the investment pipeline.")):  # fmt: skip
        return redirect("task_detail", code=task.code)
    return render(request, "investment/measure_form.html", {"form": form, "task": task, "binding": binding},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_POST
def measure_unbind(request, task_code):
    user = request.user
    task = get_visible_task(user, task_code)
    if not access.can_bind_measures(user):
        raise PermissionDenied
    binding = get_object_or_404(MeasureBinding, task=task)
    services.unbind_measure(actor=user, binding=binding)
    messages.success(request, _("The task's measure is reported by the units again."))
    return redirect("task_detail", code=task.code)
