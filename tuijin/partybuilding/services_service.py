"""Writes to needs, claims and service records. Each function checks, validates, saves and audits in one
transaction. A need's places are taken by a conditional UPDATE, so simultaneous claims never overfill it."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.assessment.periods import bounds, period_of
from tuijin.core.audit import record, snapshot
from tuijin.notifications.services import notify
from tuijin.org.models import Unit, User

from .access import scope_of, serving_community_ids
from .models import (
    Claim,
    Community,
    MemberRegistration,
    Need,
    Post,
    Registration,
    RegistrationState,
    ServiceRecord,
)
from .services import PartyError

NEED_FIELDS = ["community_id", "kind", "title", "description", "post_id", "needed_on", "places", "claimed", "state",
               "done_note"]  # fmt: skip
RECORD_FIELDS = ["member_id", "unit_id", "community_id", "need_id", "served_on", "hours", "activity", "note",
                 "state", "reject_reason"]  # fmt: skip
MAX_HOURS = Decimal(24)
HOUR_STEP = Decimal("0.5")


# ——— rules shared with forms and the API ———


def hours_problem(hours) -> str:
    """Why these hours cannot be recorded, or "" when they can: more than 0, at most 24, in half hours."""
    try:
        value = Decimal(str(hours))
    except (InvalidOperation, ValueError):
        return _("Enter the hours as a number, e.g. 2 or 2.5.")
    if value <= 0 or value > MAX_HOURS:
        return _("Enter between 0.5 and 24 hours.")
    if value % HOUR_STEP:
        return _("Record hours in half hours, e.g. 1.5 or 2.")
    return ""


def earliest_service_day(today: datetime.date) -> datetime.date:
    """Service can be logged until the end of the quarter after it (so a quarter's feedback settles)."""
    start, _end = bounds("quarter", period_of("quarter", today))
    return bounds("quarter", period_of("quarter", start - datetime.timedelta(days=1)))[0]


def served_on_problem(day: datetime.date, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    if day > today:
        return _("The date of service cannot be in the future.")
    if day < earliest_service_day(today):
        return _("Service before %(d)s can no longer be logged.") % {
            "d": earliest_service_day(today).isoformat()
        }
    return ""


def member_unit(actor, community_id: int) -> Unit:
    """The employer a member serves for in this community: the unit of their accepted registration, else one of
    their units registered there."""
    scope = scope_of(actor)
    reg = (
        MemberRegistration.objects.filter(
            member=actor, state=RegistrationState.ACCEPTED, unit_id__in=scope.units
        )
        .select_related("unit")
        .first()
    )
    if reg is not None:
        return reg.unit
    registered = (
        Registration.objects.filter(
            unit_id__in=scope.units, community_id=community_id, state=RegistrationState.ACCEPTED
        )  # fmt: skip
        .select_related("unit")
        .order_by("unit__name")
        .first()
    )
    if registered is None:
        raise PartyError(_("Register with this community first (or your unit must be registered with it)."))
    return registered.unit


def _check_serves(actor, community_id: int) -> None:
    if not scope_of(actor).is_member:
        raise PartyError(_("Only party members of a unit can do this."))
    if community_id not in serving_community_ids(actor):
        raise PartyError(_("Register with this community first (or your unit must be registered with it)."))


def _check_staff(actor, community_id: int) -> None:
    if community_id not in scope_of(actor).communities:
        raise PartyError(_("Only the community's staff can do this."))


# ——— needs (微心愿 / 服务需求) ———


@transaction.atomic
def publish_need(
    *, actor, community: Community, kind: str, title: str, needed_on: datetime.date, places: int,
    description: str = "", post: Post | None = None,
) -> Need:  # fmt: skip
    _check_staff(actor, community.pk)
    if places < 1:
        raise PartyError(_("A need has at least one place."))
    need = Need.objects.create(community=community, kind=kind, title=title, description=description, post=post,
                               needed_on=needed_on, places=places, published_by=actor)  # fmt: skip
    record(actor=actor, action="party.need.publish", obj=need, after=snapshot(need, NEED_FIELDS))
    return need


@transaction.atomic
def update_need(
    *, actor, need: Need, kind: str, title: str, needed_on: datetime.date, places: int, description: str = "",
    post: Post | None = None,
) -> Need:  # fmt: skip
    need = Need.objects.select_for_update().get(pk=need.pk)
    _check_staff(actor, need.community_id)
    if need.state != Need.State.OPEN:
        raise PartyError(_("Only an open need can be changed."))
    if places < max(need.claimed, 1):
        raise PartyError(_("%(n)s places are taken already; keep at least that many.") % {"n": need.claimed})
    before = snapshot(need, NEED_FIELDS)
    need.kind, need.title, need.description, need.post = kind, title, description, post
    need.needed_on, need.places = needed_on, places
    need.save()
    record(
        actor=actor, action="party.need.update", obj=need, before=before, after=snapshot(need, NEED_FIELDS)
    )
    return need


@transaction.atomic
def claim_need(*, actor, need: Need, today: datetime.date | None = None) -> Claim:
    """A registered member takes one place of an open need. Places are counted by one conditional UPDATE, so
    two members claiming the last place at the same moment cannot both get it."""
    today = today or timezone.localdate()
    _check_serves(actor, need.community_id)
    if need.state != Need.State.OPEN:
        raise PartyError(_("This need is no longer open."))
    if need.needed_on < today:
        raise PartyError(_("The date of this need has passed."))
    if Claim.objects.filter(need=need, member=actor, withdrawn_at__isnull=True).exists():
        raise PartyError(_("You have claimed this need already."))
    taken = Need.objects.filter(pk=need.pk, state=Need.State.OPEN, claimed__lt=F("places")).update(
        claimed=F("claimed") + 1
    )
    if not taken:
        if Need.objects.filter(pk=need.pk, state=Need.State.OPEN).exists():
            raise PartyError(_("All places of this need are taken."))
        raise PartyError(_("This need is no longer open."))
    unit = member_unit(actor, need.community_id)
    try:
        with transaction.atomic():
            claim = Claim.objects.create(need=need, member=actor, unit=unit)
    except IntegrityError:  # the same member's second click, a moment after the first: the place goes back
        raise PartyError(_("You have claimed this need already.")) from None
    need.refresh_from_db(fields=["claimed"])
    record(actor=actor, action="party.need.claim", obj=need,
           after={"claim": claim.pk, "unit_id": unit.pk, "claimed": need.claimed})  # fmt: skip
    return claim


@transaction.atomic
def withdraw_claim(*, actor, need: Need) -> Claim:
    claim = (
        Claim.objects.select_for_update().filter(need=need, member=actor, withdrawn_at__isnull=True).first()
    )
    if claim is None:
        raise PartyError(_("You have not claimed this need."))
    if need.state != Need.State.OPEN:
        raise PartyError(_("This need is no longer open."))
    claim.withdrawn_at = timezone.now()
    claim.save(update_fields=["withdrawn_at"])
    Need.objects.filter(pk=need.pk, claimed__gt=0).update(claimed=F("claimed") - 1)
    need.refresh_from_db(fields=["claimed"])
    record(actor=actor, action="party.need.withdraw_claim", obj=need,
           before={"claim": claim.pk}, after={"claimed": need.claimed})  # fmt: skip
    return claim


def _active_claimers(need: Need):
    return [c.member for c in need.claims.filter(withdrawn_at__isnull=True).select_related("member")]


@transaction.atomic
def complete_need(*, actor, need: Need, note: str = "") -> Need:
    """The community marks the need done (the wish fulfilled, the service given)."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    _check_staff(actor, need.community_id)
    if need.state != Need.State.OPEN:
        raise PartyError(_("This need is no longer open."))
    before = snapshot(need, NEED_FIELDS)
    need.state, need.done_at, need.done_by, need.done_note = (
        Need.State.DONE,
        timezone.now(),
        actor,
        note.strip(),
    )
    need.save()
    record(actor=actor, action="party.need.done", obj=need, before=before, after=snapshot(need, NEED_FIELDS))
    for member in _active_claimers(need):
        notify(user=member, key=f"party:need:{need.code}:done", kind="party.need",
               title=_("Done: %(title)s") % {"title": need.title},
               body=_("Log the hours you served if you have not yet."),
               url=reverse("party_need_detail", args=[need.code]))  # fmt: skip
    return need


@transaction.atomic
def cancel_need(*, actor, need: Need, reason: str) -> Need:
    need = Need.objects.select_for_update().get(pk=need.pk)
    _check_staff(actor, need.community_id)
    if need.state != Need.State.OPEN:
        raise PartyError(_("This need is no longer open."))
    if not reason.strip():
        raise PartyError(_("Say why the need is cancelled."))
    before = snapshot(need, NEED_FIELDS)
    need.state, need.done_note = Need.State.CANCELLED, reason.strip()
    need.save()
    record(
        actor=actor, action="party.need.cancel", obj=need, before=before, after=snapshot(need, NEED_FIELDS)
    )
    for member in _active_claimers(need):
        notify(user=member, key=f"party:need:{need.code}:cancelled", kind="party.need",
               title=_("Cancelled: %(title)s") % {"title": need.title}, body=need.done_note,
               url=reverse("party_need_detail", args=[need.code]), level="yellow")  # fmt: skip
    return need


# ——— service records ———


@transaction.atomic
def submit_record(
    *, actor, served_on: datetime.date, hours, activity: str, community: Community | None = None,
    need: Need | None = None, note: str = "", today: datetime.date | None = None,
) -> ServiceRecord:  # fmt: skip
    """A member logs service they gave; it counts once the community confirms it."""
    if need is not None:
        if community is not None and community.pk != need.community_id:
            raise PartyError(_("The need belongs to another community."))
        community = need.community
        if not Claim.objects.filter(need=need, member=actor, withdrawn_at__isnull=True).exists():
            raise PartyError(_("Claim the need before logging service for it."))
    if community is None:
        raise PartyError(_("Choose the community where you served."))
    _check_serves(actor, community.pk)
    problem = hours_problem(hours) or served_on_problem(served_on, today)
    if problem:
        raise PartyError(problem)
    hours = Decimal(str(hours))
    # Row lock on the member keeps two simultaneous logs from passing the day's limit together.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    logged = ServiceRecord.objects.filter(
        member=actor,
        served_on=served_on,
        state__in=[ServiceRecord.State.SUBMITTED, ServiceRecord.State.CONFIRMED],
    ).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if logged + hours > MAX_HOURS:
        raise PartyError(
            _("%(logged)s hours are logged for that day already; a day has 24.") % {"logged": logged}
        )
    unit = member_unit(actor, community.pk)
    service = ServiceRecord.objects.create(
        member=actor, unit=unit, community=community, need=need, served_on=served_on, hours=hours,
        activity=activity, note=note,
    )  # fmt: skip
    record(actor=actor, action="party.record.submit", obj=service, after=snapshot(service, RECORD_FIELDS))
    return service


@transaction.atomic
def decide_record(*, actor, service: ServiceRecord, confirm: bool, reason: str = "") -> ServiceRecord:
    """The community confirms the service (it then counts) or rejects it with the reason."""
    service = ServiceRecord.objects.select_for_update().get(pk=service.pk)
    _check_staff(actor, service.community_id)
    if service.state != ServiceRecord.State.SUBMITTED:
        raise PartyError(_("This service record has already been decided."))
    if not confirm and not reason.strip():
        raise PartyError(_("Say why the service record is rejected."))
    before = snapshot(service, RECORD_FIELDS)
    service.state = ServiceRecord.State.CONFIRMED if confirm else ServiceRecord.State.REJECTED
    service.reject_reason = "" if confirm else reason.strip()
    service.decided_by, service.decided_at = actor, timezone.now()
    service.save()
    record(actor=actor, action="party.record.confirm" if confirm else "party.record.reject", obj=service,
           before=before, after=snapshot(service, RECORD_FIELDS))  # fmt: skip
    title = (_("Service confirmed: %(activity)s, %(hours)s h") if confirm
             else _("Service not confirmed: %(activity)s")) % {"activity": service.activity, "hours": service.hours}  # fmt: skip
    notify(user=service.member, key=f"party:record:{service.code}:{service.state}", kind="party.record",
           title=title, body=service.reject_reason, url=reverse("party_record_list") + "?mine=1",
           level="info" if confirm else "yellow")  # fmt: skip
    return service
