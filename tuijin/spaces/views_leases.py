"""Leases: the list of a manager's buildings, one lease's page (also the tenant's), check-in and check-out with the
furnishing checklist, notice to leave, renewal after re-qualification, rent payments and arrears."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .access import manages_lease, require_manager, visible_leases
from .forms import ChecklistForm, NoticeForm, PaymentForm, RenewForm
from .models import Lease


def _lease(request, code) -> Lease:
    return get_object_or_404(
        visible_leases(request.user).select_related("space__building", "application__policy", "tenant"),
        code=code,
    )


def _managed(request, code) -> Lease:
    lease = _lease(request, code)
    if not manages_lease(request.user, lease):
        raise PermissionDenied
    return lease


@login_required
def lease_list(request):
    require_manager(request.user)
    leases = (
        visible_leases(request.user).select_related("space__building", "application").order_by("state", "end")
    )
    state = request.GET.get("state")
    if state in Lease.State.values:
        leases = leases.filter(state=state)
    page = Paginator(leases, 50).get_page(request.GET.get("page"))
    return render(request, "spaces/lease_list.html", {"page": page, "states": Lease.State.choices, "state": state,
                                                       "today": timezone.localdate()})  # fmt: skip


@login_required
def lease_detail(request, code):
    lease = _lease(request, code)
    manages = manages_lease(request.user, lease)
    today = timezone.localdate()
    return render(request, "spaces/lease_detail.html", {
        "lease": lease, "manages": manages, "is_tenant": lease.tenant_id == request.user.pk,
        "arrears": services.arrears(lease, today), "due": services.rent_due(lease, today),
        "payments": lease.payments.all(), "notice_form": NoticeForm(), "renew_form": RenewForm(),
        "payment_form": PaymentForm(initial={"paid_on": today}),
        "checkin_items": (lease.check_in_checklist or {}).get("items", {}),
        "checkout_items": (lease.check_out_checklist or {}).get("items", {}),
    })  # fmt: skip


def _checklist(request, code, *, step: str):
    lease = _managed(request, code)
    form = ChecklistForm(request.POST or None, space=lease.space)
    if request.method == "POST" and form.is_valid():
        action = services.check_in if step == "in" else services.check_out
        try:
            action(actor=request.user, lease=lease, present=form.present(), note=form.cleaned_data["note"])
        except services.SpacesError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Checked in.") if step == "in" else _("Checked out."))
            return redirect("spaces_lease_detail", code=lease.code)
    return render(request, "spaces/checklist.html", {"lease": lease, "form": form, "step": step})


@login_required
def lease_check_in(request, code):
    return _checklist(request, code, step="in")


@login_required
def lease_check_out(request, code):
    return _checklist(request, code, step="out")


@login_required
@require_POST
def lease_notice(request, code):
    """Notice to leave, by the tenant or the operator."""
    lease = _lease(request, code)
    if not (manages_lease(request.user, lease) or lease.tenant_id == request.user.pk):
        raise PermissionDenied
    form = NoticeForm(request.POST)
    if form.is_valid():
        try:
            services.give_notice(
                actor=request.user, lease=lease, move_out_on=form.cleaned_data["move_out_on"]
            )
        except services.SpacesError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Notice recorded."))
    else:
        messages.error(request, _("Enter the day of moving out."))
    return redirect("spaces_lease_detail", code=lease.code)


@login_required
@require_POST
def lease_renew(request, code):
    lease = _managed(request, code)
    form = RenewForm(request.POST)
    try:
        services.renew(actor=request.user, lease=lease, requalified=form.is_valid())
    except services.SpacesError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Lease renewed."))
    return redirect("spaces_lease_detail", code=lease.code)


@login_required
@require_POST
def lease_payment(request, code):
    lease = _managed(request, code)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.record_payment(actor=request.user, lease=lease, **form.cleaned_data)
        except services.SpacesError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Payment recorded."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("spaces_lease_detail", code=lease.code)
