"""Editing a plan's supervision policy: reminder lead time, order response times, suggestions, escalation."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from tuijin.core.audit import record, snapshot
from tuijin.tasks.models import Plan

from .models import Policy


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = ["remind_workdays_before", "blue_response_workdays", "orange_response_workdays",
                  "red_response_workdays", "suggest_order_after_red_days", "auto_escalate"]  # fmt: skip

    def clean(self):
        data = super().clean()
        for name in ("blue_response_workdays", "orange_response_workdays", "red_response_workdays"):
            if data.get(name) == 0:
                self.add_error(name, _("Give at least one working day to respond."))
        return data


@transaction.atomic
def save_policy(*, actor, plan: Plan, form: PolicyForm) -> Policy:
    existing = Policy.objects.filter(plan=plan).first()
    before = snapshot(existing) if existing else None
    policy = form.save(commit=False)
    policy.plan = plan
    policy.save()
    record(actor=actor, action="supervision.policy", obj=policy, before=before, after=snapshot(policy))
    return policy


@login_required
def plan_policy(request, code):
    if not request.user.is_supervisor:
        raise PermissionDenied
    plan = get_object_or_404(Plan, code=code)
    instance = Policy.objects.filter(plan=plan).first() or Policy(plan=plan)
    form = PolicyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        save_policy(actor=request.user, plan=plan, form=form)
        messages.success(request, _("Supervision rules saved."))
        return redirect("plan_detail", code=plan.code)
    return render(request, "supervision/plan_policy.html", {"plan": plan, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


urlpatterns = [path("plans/<uuid:code>/policy/", plan_policy, name="plan_policy")]
