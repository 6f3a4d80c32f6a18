"""Writes of the spaces app: applications and their review, the inventory, policies (allocation and leases are in
services_leases.py, reached from here too). Each write checks, saves and audits in one transaction; ID numbers and
phones go into the audit log masked, never in full."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import record
from tuijin.core.calendar import get_calendar
from tuijin.lib.crypto import blind_index
from tuijin.lib.masking import mask_id_number, mask_phone
from tuijin.lib.workdays import CalendarMissing
from tuijin.notifications.services import notify
from tuijin.org.models import Role, User

from .models import (
    ENTERPRISE_KINDS,
    TALENT_CATEGORIES,
    Application,
    ApplicationDocument,
    Building,
    Category,
    Lease,
    Policy,
    Space,
    SpaceKind,
    SpacePhoto,
)

ID_PURPOSE = "spaces.application.id_number"


class SpacesError(Exception):
    """A write the rules do not allow now; the message says why."""


def id_index(id_number: str) -> str:
    return blind_index(id_number, purpose=ID_PURPOSE)


def workdays_after(day: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `day`; where next year's calendar is not entered yet, weekdays count."""
    try:
        return get_calendar().add_workdays(day, n)
    except CalendarMissing:
        while n:
            day += datetime.timedelta(days=1)
            n -= day.weekday() < 5
        return day


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def snapshot(application: Application) -> dict:
    """What the audit log keeps of an application: personal data masked."""
    return {
        "number": application.number,
        "state": application.state,
        "category": application.category,
        "name": application.name,
        "id_number": mask_id_number(application.id_number),
        "phone": mask_phone(application.phone),
        "score": application.score,
        "eligible": application.eligible,
    }


def lease_snapshot(lease: Lease) -> dict:
    return {
        "space": str(lease.space),
        "application": lease.application.number,
        "state": lease.state,
        "start": lease.start,
        "end": lease.end,
        "monthly_rent": lease.monthly_rent,
        "move_out_on": lease.move_out_on,
    }


def _managers(building=None):
    users = User.objects.filter(memberships__role=Role.SPACE_MANAGER, is_active=True)
    if building is not None:
        users = users.filter(managed_buildings=building)
    return users.distinct()


# — applications —


def check_eligibility(*, policy: Policy, category: str, employer: str, document_titles, id_number: str,
                      exclude_pk: int | None = None) -> list[dict]:  # fmt: skip
    """The automatic eligibility check: one line per rule, each passed or failed, with its reason."""
    checks = []
    label = Category(category).label if category in Category.values else category
    right_kind = category in (TALENT_CATEGORIES if policy.kind == SpaceKind.APARTMENT else ENTERPRISE_KINDS)
    allowed = right_kind and category in policy.eligible_categories
    checks.append({"ok": allowed, "text": (_("%(c)s may apply under “%(p)s”.") if allowed else
                   _("%(c)s may not apply under “%(p)s”."))  % {"c": label, "p": policy.name}})  # fmt: skip
    missing = [t for t in policy.required_documents if t not in set(document_titles)]
    checks.append({"ok": not missing, "text": _("Every required document is there.") if not missing
                   else _("Missing documents: %(d)s.") % {"d": "、".join(missing)}})  # fmt: skip
    checks.append({"ok": bool(employer.strip()), "text": _("Employer or enterprise named.") if employer.strip()
                   else _("No employer or enterprise named.")})  # fmt: skip
    housed = Lease.objects.filter(
        application__id_index=id_index(id_number),
        application__kind=policy.kind,
        state__in=Lease.ACTIVE_STATES,
    )
    if exclude_pk:
        housed = housed.exclude(application_id=exclude_pk)
    already = housed.exists()
    checks.append({"ok": not already, "text": _("Holds no current lease of this kind.") if not already
                   else _("Already holds a current lease of this kind.")})  # fmt: skip
    if policy.is_scored(category) and allowed:
        checks.append({"ok": True, "text": _("Ranked by score after those housed without scoring.")})
    elif allowed:
        checks.append({"ok": True, "text": _("Housed without scoring, in the order of application.")})
    return checks


def _next_number(kind: str, year: int) -> str:
    prefix = f"{'GY' if kind == SpaceKind.APARTMENT else 'BG'}{year}-"
    last = (
        Application.objects.filter(number__startswith=prefix)
        .order_by(Length("number").desc(), "-number")  # as text "GY2026-9999" sorts after "GY2026-10000"
        .values_list("number", flat=True)
    ).first()
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


@transaction.atomic
def submit_application(*, actor, policy: Policy, category: str, name: str, id_number: str, phone: str,
                       employer: str, documents: list, credit_code: str = "", score_items=(),
                       note: str = "") -> Application:  # fmt: skip
    """File an application with its documents (`documents`: (title, CheckedFile) pairs, checked already).
    Refused when the same person (by ID number) or enterprise (by credit code) has an open one of this kind."""
    id_number = id_number.strip().upper()
    index = id_index(id_number)
    open_ = Application.objects.filter(kind=policy.kind, state__in=Application.OPEN_STATES)
    if open_.filter(id_index=index).exists():
        raise SpacesError(
            _("An application for this ID number is already open; it is shown on “My applications”.")
        )
    if credit_code and open_.filter(credit_code=credit_code).exists():
        raise SpacesError(_("This enterprise already has an open application for an office."))
    checks = check_eligibility(policy=policy, category=category, employer=employer, id_number=id_number,
                               document_titles=[title for title, _f in documents])  # fmt: skip
    now = timezone.now()
    valid_keys = {item["key"] for item in policy.score_items}
    items = sorted(set(score_items) & valid_keys) if policy.is_scored(category) else []
    application = Application(
        number=_next_number(policy.kind, timezone.localdate(now).year), applicant=actor, policy=policy,
        kind=policy.kind, category=category, name=name.strip(), id_number=id_number, id_index=index, phone=phone,
        employer=employer.strip(), credit_code=credit_code, score_items=items, score=policy.score_of(items),
        note=note, eligible=all(c["ok"] for c in checks), eligibility_reasons=checks, submitted_at=now,
        first_review_due=workdays_after(timezone.localdate(now), policy.first_review_days),
    )  # fmt: skip
    for _attempt in range(5):
        try:
            with transaction.atomic():
                application.save()
            break
        except IntegrityError:
            if open_.filter(id_index=index).exists():  # the same person submitted twice at once
                raise SpacesError(_("An application for this ID number is already open.")) from None
            # two applications took the same number at once: take the next one
            application.pk = None
            application.number = _next_number(policy.kind, timezone.localdate(now).year)
    else:
        raise SpacesError(_("Too many applications at once; please submit again."))
    for title, checked in documents:
        document = ApplicationDocument(application=application, title=title, original_name=checked.name,
                                       kind=checked.kind, sha256=checked.sha256)  # fmt: skip
        from django.core.files.base import ContentFile

        document.file.save(checked.name, ContentFile(checked.content), save=True)
    record(actor=actor, action="spaces.application.submit", obj=application, after=snapshot(application))
    url = reverse("spaces_application", args=[application.code])
    for manager in _managers():
        notify(user=manager, key=f"spaces:new:{application.code}", kind="spaces", url=url,
               title=_("New application %(n)s to review") % {"n": application.number})  # fmt: skip
    return application


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("policy").get(pk=application.pk)


def _tell_applicant(application: Application, key: str, title: str) -> None:
    notify(user=application.applicant, key=f"spaces:{key}:{application.code}", kind="spaces", title=title,
           url=reverse("spaces_application", args=[application.code]))  # fmt: skip


@transaction.atomic
def review(*, actor, application: Application, step: str, approve: bool, note: str = "") -> Application:
    """初审 (first review) or 复审 (second review). Passing the second review starts the publicity period."""
    application = _lock(application)
    before = snapshot(application)
    now = timezone.now()
    today = timezone.localdate(now)
    policy = application.policy
    if step == "first":
        if application.state != Application.State.SUBMITTED:
            raise SpacesError(_("This application is not awaiting the first review."))
        application.first_reviewed_by, application.first_reviewed_at, application.first_review_note = (
            actor,
            now,
            note,
        )
        if approve:
            application.state = Application.State.FIRST_PASSED
            application.second_review_due = workdays_after(today, policy.second_review_days)
    elif step == "second":
        if application.state != Application.State.FIRST_PASSED:
            raise SpacesError(_("This application is not awaiting the second review."))
        application.second_reviewed_by = actor
        application.second_reviewed_at, application.second_review_note = now, note
        if approve:
            application.state = Application.State.PUBLICITY
            application.publicity_ends = today + datetime.timedelta(days=policy.publicity_days)
    else:
        raise SpacesError(_("Unknown review step."))
    if not approve:
        if not note.strip():
            raise SpacesError(_("Say why the application is not approved; the applicant reads it."))
        application.state = Application.State.REJECTED
        application.reject_reason = note.strip()
    application.save()
    record(actor=actor, action=f"spaces.application.review_{step}", obj=application, before=before,
           after=snapshot(application))  # fmt: skip
    _tell_applicant(application, f"review-{step}", _("Your application %(n)s: %(s)s") % {
        "n": application.number, "s": application.get_state_display()})  # fmt: skip
    return application


@transaction.atomic
def object_in_publicity(*, actor, application: Application, reason: str) -> Application:
    """An objection raised during publicity (公示) that holds: the application is not approved."""
    application = _lock(application)
    if application.state != Application.State.PUBLICITY:
        raise SpacesError(_("This application is not in publicity."))
    if not reason.strip():
        raise SpacesError(_("Say what the objection is; the applicant reads it."))
    before = snapshot(application)
    application.state, application.reject_reason = Application.State.REJECTED, reason.strip()
    application.save(update_fields=["state", "reject_reason"])
    record(actor=actor, action="spaces.application.objection", obj=application, before=before,
           after=snapshot(application))  # fmt: skip
    _tell_applicant(application, "objection", _("Your application %(n)s: %(s)s") % {
        "n": application.number, "s": application.get_state_display()})  # fmt: skip
    return application


def finish_publicity(*, today: datetime.date | None = None) -> int:
    """Applications whose publicity period is over join the queue (daily)."""
    today = today or timezone.localdate()
    done = 0
    due = Application.objects.filter(state=Application.State.PUBLICITY, publicity_ends__lt=today)
    for application in due.order_by("pk"):
        with transaction.atomic():
            application = _lock(application)
            if application.state != Application.State.PUBLICITY:
                continue
            before = snapshot(application)
            application.state, application.queued_at = Application.State.QUEUED, timezone.now()
            application.save(update_fields=["state", "queued_at"])
            record(actor=None, action="spaces.application.queue", obj=application, before=before,
                   after=snapshot(application))  # fmt: skip
            _tell_applicant(application, "queued", _("Your application %(n)s is waiting in the queue") % {
                "n": application.number})  # fmt: skip
            done += 1
    return done


@transaction.atomic
def withdraw(*, actor, application: Application) -> Application:
    application = _lock(application)
    if application.applicant_id != actor.pk:
        raise SpacesError(_("Only the applicant may withdraw an application."))
    if not application.is_open:
        raise SpacesError(_("This application can no longer be withdrawn."))
    before = snapshot(application)
    application.state = Application.State.WITHDRAWN
    application.save(update_fields=["state"])
    record(actor=actor, action="spaces.application.withdraw", obj=application, before=before,
           after=snapshot(application))  # fmt: skip
    return application


def remind_overdue_reviews(*, today: datetime.date | None = None) -> int:
    """Daily: tell the space managers, once per application and step, that a review is past its time limit."""
    today = today or timezone.localdate()
    overdue = Application.objects.filter(
        Q(state=Application.State.SUBMITTED, first_review_due__lt=today)
        | Q(state=Application.State.FIRST_PASSED, second_review_due__lt=today)
    ).order_by("pk")
    managers = list(_managers())
    count = 0
    for application in overdue:
        step = "first" if application.state == Application.State.SUBMITTED else "second"
        due = application.first_review_due if step == "first" else application.second_review_due
        title = _("Review of %(n)s is past its time limit (%(day)s)") % {"n": application.number, "day": due}
        url = reverse("spaces_application", args=[application.code])
        for manager in managers:
            notify(user=manager, key=f"spaces:overdue-{step}:{application.code}", kind="spaces", title=title,
                   url=url, level="warning")  # fmt: skip
        count += 1
    return count


def run_daily(*, today: datetime.date | None = None) -> dict:
    """The spaces step of the daily tick: publicity periods that ended join the queue; renewal reminders;
    reviews past their time limit. Each part is idempotent (notices are keyed), so a second run adds nothing."""
    from .services_leases import send_renewal_reminders

    return {
        "queued": finish_publicity(today=today),
        "reminded": send_renewal_reminders(today=today),
        "overdue_reviews": remind_overdue_reviews(today=today),
    }


# — inventory —

SPACE_FIELDS = (
    "building",
    "kind",
    "label",
    "rooms",
    "desks",
    "area",
    "furnishing",
    "market_rent",
    "status",
    "note",
)


def _space_snapshot(space: Space) -> dict:
    return {
        name: getattr(space, name) if name != "building" else str(space.building) for name in SPACE_FIELDS
    }


@transaction.atomic
def save_space(*, actor, space: Space) -> Space:
    """Create or change a space (the form validated it); a let space keeps its status."""
    before = _space_snapshot(Space.objects.get(pk=space.pk)) if space.pk else None
    if space.pk and Lease.objects.filter(space=space, state__in=Lease.ACTIVE_STATES).exists():
        current = Space.objects.get(pk=space.pk).status
        if space.status != current:
            raise SpacesError(_("The space is let; its status follows the lease."))
    space.save()
    record(actor=actor, action="spaces.space.save", obj=space, before=before, after=_space_snapshot(space))
    return space


@transaction.atomic
def add_photo(*, actor, space: Space, checked) -> SpacePhoto:
    from django.core.files.base import ContentFile

    photo = SpacePhoto(space=space, original_name=checked.name, sha256=checked.sha256, uploaded_by=actor)
    photo.file.save(checked.name, ContentFile(checked.content), save=True)
    record(actor=actor, action="spaces.space.photo", obj=space, after={"photo": checked.name})
    return photo


POLICY_FIELDS = ("name", "eligible_categories", "required_documents", "term_years", "rent_percent", "subsidy_by_year",
                 "area_cap", "unscored_categories", "score_items", "first_review_days", "second_review_days",
                 "publicity_days", "notice_days", "reminder_days")  # fmt: skip


@transaction.atomic
def save_policy(*, actor, policy: Policy) -> Policy:
    """Change a policy (the form validated it). Applications already filed keep their score and eligibility;
    the queue order follows the new rule at once."""
    before = {name: getattr(Policy.objects.get(pk=policy.pk), name) for name in POLICY_FIELDS}
    policy.save()
    record(actor=actor, action="spaces.policy.save", obj=policy, before=before,
           after={name: getattr(policy, name) for name in POLICY_FIELDS})  # fmt: skip
    return policy


@transaction.atomic
def save_building(*, actor, form) -> Building:
    """Create or change a building and who manages it (the form validated it)."""

    def shot(b):
        return {"name": b.name, "address": b.address, "sector": str(b.sector), "operator": b.operator,
                "managers": sorted(u.username for u in b.managers.all())}  # fmt: skip

    before = shot(Building.objects.get(pk=form.instance.pk)) if form.instance.pk else None
    building = form.save()
    record(actor=actor, action="spaces.building.save", obj=building, before=before, after=shot(building))
    return building


_LEASE_WRITES = {"allocate", "check_in", "give_notice", "check_out", "renew", "record_payment", "rent_due", "arrears",
                 "send_renewal_reminders"}  # fmt: skip


def __getattr__(name: str):
    # The lease writes live in services_leases.py (this module would pass 500 lines); reach them from here too.
    if name in _LEASE_WRITES:
        from . import services_leases

        return getattr(services_leases, name)
    raise AttributeError(name)
