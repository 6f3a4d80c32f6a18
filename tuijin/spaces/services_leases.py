"""Writes of the spaces app for allocation and leases: letting a space without double-booking, check-in and
check-out against the furnishing list, notice, yearly renewal, rent payments and arrears, renewal reminders.
Reached through `services` as well (services.allocate, …)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import record
from tuijin.notifications.services import notify

from .models import Application, Lease, Payment, Space
from .queue import queue_of
from .services import SpacesError, _lock, _managers, _tell_applicant, add_years, lease_snapshot, snapshot


@transaction.atomic
def allocate(
    *, actor, application: Application, space: Space, start: datetime.date, reason: str = ""
) -> Lease:
    """Let `space` to a waiting applicant. The space row is locked, and a partial unique constraint allows one
    current lease per space: two managers (or twenty requests) allocating the same space at once produce one
    lease; the others are told the space is taken."""
    space = Space.objects.select_for_update().select_related("building").get(pk=space.pk)
    application = _lock(application)
    if space.building_id not in set(actor.managed_buildings.values_list("pk", flat=True)):
        raise SpacesError(_("You do not manage this building."))
    if application.state != Application.State.QUEUED:
        raise SpacesError(_("Only an application waiting in the queue can be allocated a space."))
    if space.kind != application.kind:
        raise SpacesError(_("This space is not of the kind applied for."))
    if space.status != Space.Status.AVAILABLE:
        raise SpacesError(_("%(space)s is not available (%(status)s).") % {
            "space": space, "status": space.get_status_display()})  # fmt: skip
    queue = queue_of(application.kind, application.policy)
    if queue and queue[0].pk != application.pk and not reason.strip():
        raise SpacesError(_("%(n)s is not at the head of the queue; say why it is allocated out of turn.") % {
            "n": application.number})  # fmt: skip
    policy = application.policy
    rent = policy.monthly_rent(category=application.category, market_rent=space.market_rent, area=space.area)
    lease = Lease(
        application=application, space=space, tenant=application.applicant, start=start,
        end=add_years(start, 1) - datetime.timedelta(days=1),
        term_ends=add_years(start, policy.term_years) - datetime.timedelta(days=1),
        market_rent=space.market_rent, monthly_rent=rent, rent_rule=policy.rent_rule_text(application.category),
        out_of_turn_reason=reason.strip() if queue and queue[0].pk != application.pk else "", allocated_by=actor,
    )  # fmt: skip
    try:
        with transaction.atomic():
            lease.save()
    except IntegrityError:
        raise SpacesError(_("%(space)s has just been let to someone else.") % {"space": space}) from None
    space.status = Space.Status.RESERVED
    space.save(update_fields=["status"])
    before = snapshot(application)
    application.state, application.allocated_at = Application.State.ALLOCATED, timezone.now()
    application.save(update_fields=["state", "allocated_at"])
    record(actor=actor, action="spaces.lease.allocate", obj=lease, before=before,
           after={**lease_snapshot(lease), "out_of_turn_reason": lease.out_of_turn_reason})  # fmt: skip
    _tell_applicant(application, "allocated", _("%(space)s is allocated to you; check in from %(day)s") % {
        "space": space, "day": start})  # fmt: skip
    return lease


def _lock_lease(lease: Lease) -> Lease:
    return (
        Lease.objects.select_for_update()
        .select_related("space__building", "application__policy")
        .get(pk=lease.pk)
    )


def _checklist(space: Space, present: dict) -> dict:
    return {item: bool(present.get(item)) for item in space.furnishing}


@transaction.atomic
def check_in(*, actor, lease: Lease, present: dict, note: str = "") -> Lease:
    """Hand the keys over: each furnishing item ticked present (or noted missing)."""
    lease = _lock_lease(lease)
    if lease.state != Lease.State.SIGNED:
        raise SpacesError(_("This lease is not awaiting check-in."))
    before = lease_snapshot(lease)
    lease.state, lease.checked_in_at = Lease.State.ACTIVE, timezone.now()
    lease.check_in_checklist = {"items": _checklist(lease.space, present), "note": note}
    lease.save()
    Space.objects.filter(pk=lease.space_id).update(status=Space.Status.OCCUPIED)
    record(actor=actor, action="spaces.lease.check_in", obj=lease, before=before,
           after={**lease_snapshot(lease), "checklist": lease.check_in_checklist})  # fmt: skip
    return lease


@transaction.atomic
def give_notice(*, actor, lease: Lease, move_out_on: datetime.date) -> Lease:
    """Notice to leave: at least the policy's notice period (30 days) ahead."""
    lease = _lock_lease(lease)
    if lease.state != Lease.State.ACTIVE:
        raise SpacesError(_("Notice can be given on a lease whose tenant has checked in."))
    days = lease.application.policy.notice_days
    earliest = timezone.localdate() + datetime.timedelta(days=days)
    if move_out_on < earliest:
        raise SpacesError(_("Notice must be given %(d)d days ahead: move out on %(day)s or later.") % {
            "d": days, "day": earliest})  # fmt: skip
    before = lease_snapshot(lease)
    lease.state, lease.notice_given_on, lease.move_out_on = (
        Lease.State.NOTICE,
        timezone.localdate(),
        move_out_on,
    )
    lease.save()
    record(actor=actor, action="spaces.lease.notice", obj=lease, before=before, after=lease_snapshot(lease))
    return lease


@transaction.atomic
def check_out(*, actor, lease: Lease, present: dict, note: str = "") -> Lease:
    """Take the keys back; a missing or damaged item sends the space to maintenance, else it is available."""
    lease = _lock_lease(lease)
    if lease.state not in (Lease.State.ACTIVE, Lease.State.NOTICE):
        raise SpacesError(_("Only a tenant who has checked in can check out."))
    before = lease_snapshot(lease)
    items = _checklist(lease.space, present)
    lease.state, lease.checked_out_at = Lease.State.ENDED, timezone.now()
    lease.check_out_checklist = {"items": items, "note": note}
    lease.save()
    status = Space.Status.AVAILABLE if all(items.values()) else Space.Status.MAINTENANCE
    Space.objects.filter(pk=lease.space_id).update(status=status)
    record(actor=actor, action="spaces.lease.check_out", obj=lease, before=before,
           after={**lease_snapshot(lease), "checklist": lease.check_out_checklist, "space_status": status})  # fmt: skip
    return lease


@transaction.atomic
def renew(*, actor, lease: Lease, requalified: bool) -> Lease:
    """Renew for one more year (一年一签) after the annual re-qualification, within the longest term."""
    lease = _lock_lease(lease)
    if lease.state != Lease.State.ACTIVE:
        raise SpacesError(_("Only a current lease whose tenant has checked in can be renewed."))
    if not requalified:
        raise SpacesError(
            _("Confirm that the tenant still qualifies (annual re-qualification) before renewing.")
        )
    new_end = min(
        add_years(lease.end + datetime.timedelta(days=1), 1) - datetime.timedelta(days=1), lease.term_ends
    )
    if new_end <= lease.end:
        raise SpacesError(_("The lease has reached its longest term (%(day)s).") % {"day": lease.term_ends})
    before = lease_snapshot(lease)
    lease.end, lease.renewals = new_end, lease.renewals + 1
    lease.monthly_rent = lease.rent_for_month(lease.end, lease.application.policy)
    lease.save()
    record(actor=actor, action="spaces.lease.renew", obj=lease, before=before,
           after={**lease_snapshot(lease), "requalified": True})  # fmt: skip
    return lease


@transaction.atomic
def record_payment(*, actor, lease: Lease, amount: Decimal, paid_on: datetime.date) -> Payment:
    if amount <= 0:
        raise SpacesError(_("The amount must be more than zero."))
    payment = Payment.objects.create(lease=lease, amount=amount, paid_on=paid_on, recorded_by=actor)
    record(actor=actor, action="spaces.lease.payment", obj=lease,
           after={"amount": amount, "paid_on": paid_on})  # fmt: skip
    return payment


def rent_due(lease: Lease, today: datetime.date | None = None) -> Decimal:
    today = today or timezone.localdate()
    policy = lease.application.policy
    return sum((lease.rent_for_month(month, policy) for month in lease.months_due(today)), Decimal(0))


def arrears(lease: Lease, today: datetime.date | None = None) -> Decimal:
    """Rent due from the start through this month, less what was paid (never below zero)."""
    paid = lease.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return max(rent_due(lease, today) - paid, Decimal(0))


def send_renewal_reminders(*, today: datetime.date | None = None) -> int:
    """Daily: remind tenants and their building's managers N days (policy) before a lease ends — once per end."""
    today = today or timezone.localdate()
    sent = 0
    leases = Lease.objects.filter(state=Lease.State.ACTIVE).select_related("space__building", "application__policy",
                                                                            "tenant")  # fmt: skip
    for lease in leases:
        days = lease.application.policy.reminder_days
        if (
            lease.reminded_for == lease.end
            or lease.end - today > datetime.timedelta(days=days)
            or lease.end < today
        ):
            continue
        url = reverse("spaces_lease_detail", args=[lease.code])
        title = _("The lease of %(space)s ends on %(day)s: renew after re-qualification, or prepare to move out") % {
            "space": lease.space, "day": lease.end}  # fmt: skip
        for user in [lease.tenant, *_managers(lease.space.building)]:
            notify(user=user, key=f"spaces:renewal:{lease.code}:{lease.end}", kind="spaces", title=title, url=url,
                   level="warning")  # fmt: skip
        Lease.objects.filter(pk=lease.pk).update(reminded_for=lease.end)
        sent += 1
    return sent
