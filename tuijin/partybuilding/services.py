"""Writes to communities, volunteer posts and registrations (双报到). Each function checks who may do it and
whether the state allows it, validates, saves, keeps the registration's history and audits — in one transaction.

Personal data (phones, home addresses) never reaches the audit log in clear: it is masked there."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import record, snapshot
from tuijin.lib.masking import mask_phone
from tuijin.notifications.services import notify, notify_units
from tuijin.org.models import Unit, UnitKind

from .access import scope_of
from .models import (
    ACTIVE_STATES,
    Community,
    MemberRegistration,
    Post,
    Registration,
    RegistrationEvent,
    RegistrationState,
    mask_address,
)


class PartyError(Exception):
    """The action is not allowed for this user or object now; the message says why, for the user."""


# ——— snapshots for the audit log (personal data masked) ———


def community_snapshot(community: Community) -> dict:
    data = snapshot(
        community, ["name", "street", "district", "address", "contact_name", "is_active", "unit_id"]
    )
    return data | {"contact_phone": mask_phone(community.contact_phone)}


def registration_snapshot(registration: Registration) -> dict:
    data = snapshot(registration, ["unit_id", "community_id", "registered_on", "contact_name", "commitments",
                                   "state", "return_reason"])  # fmt: skip
    return data | {"contact_phone": mask_phone(registration.contact_phone)}


def member_snapshot(registration: MemberRegistration) -> dict:
    data = snapshot(registration, ["member_id", "unit_id", "community_id", "skills", "availability",
                                   "registered_on", "state", "return_reason"])  # fmt: skip
    posts = [p.name for p in registration.posts.all()] if registration.pk else []
    return data | {
        "address": mask_address(registration.address), "phone": mask_phone(registration.phone), "posts": posts,
    }  # fmt: skip


# ——— communities and posts (the supervision office) ———


def _require_supervisor(actor) -> None:
    if not scope_of(actor).is_supervisor:
        raise PartyError(_("Only the supervision office can do this."))


@transaction.atomic
def save_community(
    *, actor, community: Community | None = None, name: str, street: str, district: str, address: str = "",
    contact_name: str = "", contact_phone: str = "", is_active: bool = True,
) -> Community:  # fmt: skip
    """Create or change a community. A new community gets its own account unit (kind "other"): its staff are
    the unit users of that unit."""
    _require_supervisor(actor)
    before = community_snapshot(community) if community else None
    unit_name = f"{district}{street}{name}"[:100]
    clash = Unit.objects.filter(name=unit_name)
    if community is not None:
        clash = clash.exclude(pk=community.unit_id)
    if clash.exists():
        raise PartyError(
            _("A unit named %(name)s exists already; choose another name.") % {"name": unit_name}
        )
    if community is None:
        unit = Unit.objects.create(name=unit_name, short_name=name[:50], kind=UnitKind.OTHER)
        community = Community(unit=unit)
    else:
        Unit.objects.filter(pk=community.unit_id).update(
            name=unit_name, short_name=name[:50], is_active=is_active
        )
    community.name, community.street, community.district = name, street, district
    community.address, community.contact_name, community.contact_phone = address, contact_name, contact_phone
    community.is_active = is_active
    try:
        with transaction.atomic():
            community.save()
    except IntegrityError:
        raise PartyError(_("This community exists already.")) from None
    action = "party.community.update" if before else "party.community.create"
    record(actor=actor, action=action, obj=community, before=before, after=community_snapshot(community))
    return community


@transaction.atomic
def save_post(
    *, actor, post: Post | None = None, name: str, sort_order: int = 0, is_active: bool = True
) -> Post:
    _require_supervisor(actor)
    before = snapshot(post, ["name", "sort_order", "is_active"]) if post else None
    post = post or Post()
    post.name, post.sort_order, post.is_active = name, sort_order, is_active
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError:
        raise PartyError(_("This volunteer post exists already.")) from None
    record(actor=actor, action="party.post.update" if before else "party.post.create", obj=post, before=before,
           after=snapshot(post, ["name", "sort_order", "is_active"]))  # fmt: skip
    return post


# ——— the history of a registration ———


def _event(registration, kind: str, actor, note: str = "") -> None:
    field = "registration" if isinstance(registration, Registration) else "member_registration"
    RegistrationEvent.objects.create(**{field: registration}, kind=kind, actor=actor, note=note[:300])


def _notice_key(prefix: str, obj) -> str:
    return f"party:{prefix}:{obj.code}:{obj.state}:{timezone.now():%Y%m%d%H%M%S%f}"


# ——— unit registrations (报到单) ———


def _check_unit(actor, unit: Unit) -> None:
    if unit.pk not in scope_of(actor).units:
        raise PartyError(_("You can register only a unit you belong to."))


def _check_community(community: Community) -> None:
    if not community.is_active:
        raise PartyError(_("%(community)s no longer takes registrations.") % {"community": community})


@transaction.atomic
def submit_registration(
    *, actor, unit: Unit, community: Community, registered_on: datetime.date, contact_name: str,
    contact_phone: str, commitments: str,
) -> Registration:  # fmt: skip
    """A unit's party organisation registers with a community (报到单); the community then accepts or returns it."""
    _check_unit(actor, unit)
    _check_community(community)
    if Registration.objects.filter(unit=unit, community=community, state__in=ACTIVE_STATES).exists():
        raise PartyError(
            _("%(unit)s is already registered with %(community)s.") % {"unit": unit, "community": community}
        )
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                unit=unit, community=community, registered_on=registered_on, contact_name=contact_name,
                contact_phone=contact_phone, commitments=commitments, submitted_by=actor,
            )  # fmt: skip
    except IntegrityError:  # a colleague submitted the same registration a moment ago
        raise PartyError(
            _("%(unit)s is already registered with %(community)s.") % {"unit": unit, "community": community}
        ) from None
    _event(registration, RegistrationEvent.Kind.SUBMITTED, actor)
    record(actor=actor, action="party.registration.submit", obj=registration,
           after=registration_snapshot(registration))  # fmt: skip
    notify_units(
        units=[community.unit], key=_notice_key("registration", registration), kind="party.registration",
        title=_("%(unit)s registers with your community") % {"unit": unit},
        body=_("Check the registration slip and accept it or return it with a reason."),
        url=reverse("party_registration_detail", args=[registration.code]),
    )  # fmt: skip
    return registration


def _locked(model, obj):
    """The row again, locked until the transaction ends: two decisions at once cannot both pass."""
    return model.objects.select_for_update().get(pk=obj.pk)


@transaction.atomic
def resubmit_registration(
    *, actor, registration: Registration, registered_on: datetime.date, contact_name: str, contact_phone: str,
    commitments: str,
) -> Registration:  # fmt: skip
    registration = _locked(Registration, registration)
    _check_unit(actor, registration.unit)
    if registration.state != RegistrationState.RETURNED:
        raise PartyError(_("Only a returned registration can be corrected and submitted again."))
    if Registration.objects.filter(
        unit=registration.unit_id, community=registration.community_id, state__in=ACTIVE_STATES
    ).exists():
        raise PartyError(_("This unit has registered with the community again already."))
    before = registration_snapshot(registration)
    registration.registered_on, registration.contact_name = registered_on, contact_name
    registration.contact_phone, registration.commitments = contact_phone, commitments
    registration.state, registration.return_reason = RegistrationState.SUBMITTED, ""
    registration.decided_by = registration.decided_at = None
    registration.save()
    _event(registration, RegistrationEvent.Kind.RESUBMITTED, actor)
    record(actor=actor, action="party.registration.resubmit", obj=registration, before=before,
           after=registration_snapshot(registration))  # fmt: skip
    notify_units(
        units=[registration.community.unit], key=_notice_key("registration", registration),
        kind="party.registration",
        title=_("%(unit)s submits its registration again") % {"unit": registration.unit},
        url=reverse("party_registration_detail", args=[registration.code]),
    )  # fmt: skip
    return registration


def _check_decision(actor, registration, accept: bool, reason: str) -> None:
    if registration.community_id not in scope_of(actor).communities:
        raise PartyError(_("Only the community's staff can accept or return this registration."))
    if registration.state != RegistrationState.SUBMITTED:
        raise PartyError(_("This registration has already been decided."))
    if not accept and not reason.strip():
        raise PartyError(_("Say why the registration is returned."))


@transaction.atomic
def decide_registration(*, actor, registration: Registration, accept: bool, reason: str = "") -> Registration:
    """The community accepts the unit's registration slip, or returns it with the reason."""
    registration = _locked(Registration, registration)
    _check_decision(actor, registration, accept, reason)
    before = registration_snapshot(registration)
    registration.state = RegistrationState.ACCEPTED if accept else RegistrationState.RETURNED
    registration.return_reason = "" if accept else reason.strip()
    registration.decided_by, registration.decided_at = actor, timezone.now()
    registration.save()
    kind = RegistrationEvent.Kind.ACCEPTED if accept else RegistrationEvent.Kind.RETURNED
    _event(registration, kind, actor, registration.return_reason)
    record(actor=actor, action="party.registration.accept" if accept else "party.registration.return",
           obj=registration, before=before, after=registration_snapshot(registration))  # fmt: skip
    title = (_("%(community)s accepted your unit's registration") if accept
             else _("%(community)s returned your unit's registration")) % {"community": registration.community}  # fmt: skip
    notify_units(
        units=[registration.unit], key=_notice_key("registration", registration), kind="party.registration",
        title=title, body=registration.return_reason,
        url=reverse("party_registration_detail", args=[registration.code]),
        level="info" if accept else "yellow",
    )  # fmt: skip
    return registration


# ——— members' registrations (在职党员到社区报到) ———


@transaction.atomic
def register_member(
    *, actor, unit: Unit, community: Community, address: str, phone: str = "", skills: str = "",
    posts: Sequence[Post] = (), availability: str, registered_on: datetime.date | None = None,
) -> MemberRegistration:  # fmt: skip
    """A party member registers with the community where they live; the community accepts or returns it."""
    if unit.pk not in scope_of(actor).units:
        raise PartyError(_("Register as a member of a unit you belong to."))
    _check_community(community)
    if MemberRegistration.objects.filter(member=actor, state__in=ACTIVE_STATES).exists():
        raise PartyError(_("You are already registered with a community; withdraw that registration first."))
    try:
        with transaction.atomic():
            registration = MemberRegistration.objects.create(
                member=actor, unit=unit, community=community, address=address, phone=phone, skills=skills,
                availability=availability, registered_on=registered_on or timezone.localdate(),
            )  # fmt: skip
    except IntegrityError:
        raise PartyError(
            _("You are already registered with a community; withdraw that registration first.")
        ) from None
    registration.posts.set(posts)
    _event(registration, RegistrationEvent.Kind.SUBMITTED, actor)
    record(actor=actor, action="party.member.register", obj=registration, after=member_snapshot(registration))
    notify_units(
        units=[community.unit], key=_notice_key("member", registration), kind="party.member",
        title=_("%(member)s of %(unit)s registers with your community") % {"member": actor, "unit": unit},
        url=reverse("party_member_detail", args=[registration.code]),
    )  # fmt: skip
    return registration


@transaction.atomic
def resubmit_member_registration(
    *, actor, registration: MemberRegistration, address: str, phone: str = "", skills: str = "",
    posts: Sequence[Post] = (), availability: str,
) -> MemberRegistration:  # fmt: skip
    registration = _locked(MemberRegistration, registration)
    if registration.member_id != actor.pk:
        raise PartyError(_("Only the member can correct their registration."))
    if registration.state != RegistrationState.RETURNED:
        raise PartyError(_("Only a returned registration can be corrected and submitted again."))
    if MemberRegistration.objects.filter(member=actor, state__in=ACTIVE_STATES).exists():
        raise PartyError(_("You are already registered with a community; withdraw that registration first."))
    before = member_snapshot(registration)
    registration.address, registration.phone, registration.skills = address, phone, skills
    registration.availability = availability
    registration.state, registration.return_reason = RegistrationState.SUBMITTED, ""
    registration.decided_by = registration.decided_at = None
    registration.save()
    registration.posts.set(posts)
    _event(registration, RegistrationEvent.Kind.RESUBMITTED, actor)
    record(actor=actor, action="party.member.resubmit", obj=registration, before=before,
           after=member_snapshot(registration))  # fmt: skip
    notify_units(
        units=[registration.community.unit], key=_notice_key("member", registration), kind="party.member",
        title=_("%(member)s submits their registration again") % {"member": actor},
        url=reverse("party_member_detail", args=[registration.code]),
    )  # fmt: skip
    return registration


@transaction.atomic
def decide_member_registration(
    *, actor, registration: MemberRegistration, accept: bool, reason: str = ""
) -> MemberRegistration:
    registration = _locked(MemberRegistration, registration)
    _check_decision(actor, registration, accept, reason)
    before = member_snapshot(registration)
    registration.state = RegistrationState.ACCEPTED if accept else RegistrationState.RETURNED
    registration.return_reason = "" if accept else reason.strip()
    registration.decided_by, registration.decided_at = actor, timezone.now()
    registration.save()
    kind = RegistrationEvent.Kind.ACCEPTED if accept else RegistrationEvent.Kind.RETURNED
    _event(registration, kind, actor, registration.return_reason)
    record(actor=actor, action="party.member.accept" if accept else "party.member.return", obj=registration,
           before=before, after=member_snapshot(registration))  # fmt: skip
    title = (_("%(community)s accepted your registration") if accept
             else _("%(community)s returned your registration")) % {"community": registration.community}  # fmt: skip
    notify(
        user=registration.member, key=_notice_key("member", registration), kind="party.member", title=title,
        body=registration.return_reason, url=reverse("party_member_detail", args=[registration.code]),
        level="info" if accept else "yellow",
    )  # fmt: skip
    return registration


@transaction.atomic
def withdraw_member_registration(*, actor, registration: MemberRegistration) -> MemberRegistration:
    """The member moved away or registered in error: the registration ends, its history stays."""
    registration = _locked(MemberRegistration, registration)
    if registration.member_id != actor.pk:
        raise PartyError(_("Only the member can withdraw their registration."))
    if registration.state not in ACTIVE_STATES:
        raise PartyError(_("This registration is no longer active."))
    before = member_snapshot(registration)
    registration.state = RegistrationState.WITHDRAWN
    registration.save(update_fields=["state", "updated_at"])
    _event(registration, RegistrationEvent.Kind.WITHDRAWN, actor)
    record(actor=actor, action="party.member.withdraw", obj=registration, before=before,
           after=member_snapshot(registration))  # fmt: skip
    return registration
