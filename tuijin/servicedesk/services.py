"""Writes on service requests. Each checks who acts and what the rules allow, saves, writes the request's
history (Event) and one audit row, in one transaction. Every function takes `now` so that imports, the demo and
tests can date the steps."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import record, snapshot
from tuijin.notifications import services as notifications
from tuijin.org.models import Role, Unit, User

from . import access, clocks
from .models import (
    AWAITING_ACK,
    OPEN_STATES,
    SATISFIED_VALUES,
    Attachment,
    Callback,
    Category,
    Channel,
    EnterpriseAccount,
    Event,
    Extension,
    Policy,
    Satisfaction,
    ServiceRequest,
    State,
)

FIELDS = ["state", "unit_id", "ack_due", "due", "acknowledged_at", "replied_at", "closed_at", "satisfaction",
          "reopen_count", "ack_late", "reply_late"]  # fmt: skip
MAX_FILES = 10


class DeskError(Exception):
    """A step the rules refuse; `message` is for the user, `field` the form field it concerns (or None)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _snap(req: ServiceRequest) -> dict:
    return snapshot(req, FIELDS)


def _url(req: ServiceRequest) -> str:
    return reverse("servicedesk_detail", args=[req.code])


def _event(req, kind, actor, now, text: str = "", unit: Unit | None = None) -> Event:
    return Event.objects.create(request=req, kind=kind, actor=actor if getattr(actor, "pk", None) else None,
                                at=now, text=text, unit=unit)  # fmt: skip


def _audit(actor, action: str, req, before: dict | None) -> None:
    record(actor=actor, action=f"servicedesk.{action}", obj=req, before=before, after=_snap(req))


def _notify_unit(req: ServiceRequest, key: str, title: str, now, level: str = "info") -> None:
    notifications.notify_units(units=[req.unit_id], key=key, kind="servicedesk", title=title, url=_url(req),
                               level=level, now=now)  # fmt: skip


def next_number(year: int) -> str:
    prefix = f"QS{year}-"
    # Longest first, then highest: as text "QS2026-9999" sorts after "QS2026-10000".
    last = (ServiceRequest.objects.filter(number__startswith=prefix).order_by(Length("number").desc(), "-number")
            .values_list("number", flat=True).first())  # fmt: skip
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _require_handler(actor, req: ServiceRequest) -> None:
    if not access.handles(actor, req):
        raise PermissionDenied


# ——— raising ———


@transaction.atomic
def raise_request(
    *, actor, category: Category, enterprise, title: str, description: str, unit: Unit | None = None,
    project=None, contact_name: str = "", channel: str = Channel.STAFF, files=(), now=None,
) -> ServiceRequest:  # fmt: skip
    """A new request. Enterprises raise their own (the unit is the category's default unit); staff raise for any
    enterprise and may choose the unit. `files` are checked uploads (tuijin.tasks.evidence.CheckedFile)."""
    now = now or timezone.now()
    account = access.enterprise_account(actor) if actor is not None else None
    if account is not None:
        if account.enterprise_id != enterprise.pk:
            raise PermissionDenied
        channel = Channel.PORTAL if channel == Channel.STAFF else channel
    elif actor is not None and not (actor.is_supervisor or actor.has_role(Role.UNIT)):
        raise PermissionDenied
    unit = unit or category.default_unit
    if unit is None:
        raise DeskError(
            _("Choose the unit that handles the request (the category has no default unit)."), "unit"
        )
    if not category.is_active:
        raise DeskError(_("This category is no longer in use."), "category")
    if project is not None and project.enterprise_id != enterprise.pk:
        raise DeskError(_("The project belongs to another enterprise."), "project")
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        raise DeskError(_("Enter a title."), "title")
    if not description:
        raise DeskError(_("Describe the request."), "description")
    if len(files) > MAX_FILES:
        raise DeskError(_("At most %(n)d files.") % {"n": MAX_FILES}, "files")
    clock = clocks.clock_for(category, started=now)
    req = ServiceRequest.objects.create(
        number=next_number(timezone.localtime(now).year), title=title[:200], description=description,
        category=category, enterprise=enterprise, project=project, unit=unit, contact_name=contact_name[:50],
        channel=channel, raised_by=actor, raised_at=now, clock_started_at=now, ack_from=now,
        ack_due=clock.ack_due, due=clock.due, clock_provisional=clock.provisional,
    )  # fmt: skip
    _event(req, Event.Kind.RAISED, actor, now, text=str(category), unit=unit)
    for checked in files:
        _save_file(req, actor, checked, now)
    _audit(actor, "raise", req, None)
    _notify_unit(req, f"servicedesk:new:{req.code}", _("New service request %(n)s: %(t)s") % {
        "n": req.number, "t": req.title}, now)  # fmt: skip
    return req


def _save_file(req, actor, checked, now) -> Attachment:
    attachment = Attachment(request=req, kind=checked.kind, original_name=checked.name[:200],
                            size=len(checked.content), sha256=checked.sha256, uploaded_by=actor, uploaded_at=now)  # fmt: skip
    attachment.file.save(checked.name, ContentFile(checked.content), save=False)
    attachment.save()
    _event(req, Event.Kind.ATTACHED, actor, now, text=attachment.original_name)
    return attachment


@transaction.atomic
def attach(*, actor, request: ServiceRequest, files, now=None) -> list[Attachment]:
    """More files for a request: by the enterprise or the handling unit while the request is not closed."""
    now = now or timezone.now()
    if not (access.handles(actor, request) or access.speaks_for(actor, request) or actor.is_supervisor):
        raise PermissionDenied
    if request.state == State.CLOSED:
        raise DeskError(_("The request is closed."), "files")
    if request.attachments.count() + len(files) > MAX_FILES:
        raise DeskError(_("At most %(n)d files.") % {"n": MAX_FILES}, "files")
    saved = [_save_file(request, actor, checked, now) for checked in files]
    record(
        actor=actor,
        action="servicedesk.attach",
        obj=request,
        after={"files": [a.original_name for a in saved]},
    )
    return saved


# ——— the unit's steps ———


def _lock(req: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().select_related("category").get(pk=req.pk)


@transaction.atomic
def acknowledge(*, actor, request: ServiceRequest, now=None) -> ServiceRequest:
    now = now or timezone.now()
    req = _lock(request)
    _require_handler(actor, req)
    if req.state not in AWAITING_ACK:
        raise DeskError(_("The request is not awaiting acknowledgement."))
    before = _snap(req)
    req.state = State.IN_PROGRESS
    req.acknowledged_at = now
    if now > req.ack_due:
        req.ack_late = True
    req.save()
    _event(req, Event.Kind.ACKNOWLEDGED, actor, now, unit=req.unit,
           text=_("acknowledged late") if now > req.ack_due else "")  # fmt: skip
    _audit(actor, "acknowledge", req, before)
    return req


@transaction.atomic
def transfer(*, actor, request: ServiceRequest, unit: Unit, reason: str, now=None) -> ServiceRequest:
    """Send the request to another unit, with a reason. The new unit gets a fresh acknowledgement clock from now;
    the reply clock runs on (the enterprise has been waiting since it raised the request)."""
    now = now or timezone.now()
    req = _lock(request)
    if not (access.handles(actor, req) or actor.is_supervisor):
        raise PermissionDenied
    if req.state not in OPEN_STATES:
        raise DeskError(_("Only an open request can be transferred."))
    reason = (reason or "").strip()
    if not reason:
        raise DeskError(_("Give the reason for the transfer."), "reason")
    if unit.pk == req.unit_id:
        raise DeskError(_("The request is already with this unit."), "unit")
    if not unit.is_active:
        raise DeskError(_("This unit is no longer active."), "unit")
    before = _snap(req)
    old = req.unit
    req.unit = unit
    req.state = State.SUBMITTED
    req.ack_from = now
    req.ack_due, provisional = clocks.ack_clock(req.category, ack_from=now)
    req.clock_provisional = req.clock_provisional or provisional
    req.acknowledged_at = None
    req.save()
    _event(req, Event.Kind.TRANSFERRED, actor, now, unit=unit, text=f"{old} → {unit}：{reason}")
    _audit(actor, "transfer", req, before)
    _notify_unit(req, f"servicedesk:transfer:{req.code}:{unit.pk}:{now:%Y%m%d%H%M}",
                 _("Service request %(n)s transferred to your unit: %(t)s") % {"n": req.number, "t": req.title}, now)  # fmt: skip
    return req


@transaction.atomic
def request_extension(*, actor, request: ServiceRequest, days: int, reason: str, now=None) -> Extension:
    """The handling unit asks for more working days — only before the reply clock runs out."""
    now = now or timezone.now()
    req = _lock(request)
    _require_handler(actor, req)
    if req.state not in OPEN_STATES:
        raise DeskError(_("Only an open request can be extended."))
    if now > req.due:
        raise DeskError(_("An extension must be requested before the time limit; this one has passed."))
    if req.extensions.filter(approved__isnull=True).exists():
        raise DeskError(_("An extension request is already waiting for a decision."))
    if not 1 <= int(days) <= 30:
        raise DeskError(_("Ask for 1 to 30 working days."), "days")
    reason = (reason or "").strip()
    if not reason:
        raise DeskError(_("Give the reason for the extension."), "reason")
    ext = Extension.objects.create(
        request=req, days=days, reason=reason, requested_by=actor, requested_at=now
    )
    _event(req, Event.Kind.EXTENSION_REQUESTED, actor, now, unit=req.unit,
           text=_("%(d)d working days: %(r)s") % {"d": days, "r": reason})  # fmt: skip
    record(
        actor=actor, action="servicedesk.extension_request", obj=req, after={"days": days, "reason": reason}
    )
    notifications.notify_supervisors(key=f"servicedesk:ext:{ext.pk}", kind="servicedesk", url=_url(req), now=now,
                                     title=_("Extension requested for %(n)s") % {"n": req.number})  # fmt: skip
    return ext


@transaction.atomic
def decide_extension(*, actor, extension: Extension, approve: bool, now=None) -> Extension:
    now = now or timezone.now()
    access.require_supervisor(actor)
    ext = Extension.objects.select_for_update().get(pk=extension.pk)
    if ext.approved is not None:
        raise DeskError(_("This extension has been decided already."))
    req = _lock(ext.request)
    before = _snap(req)
    ext.approved, ext.decided_by, ext.decided_at = approve, actor, now
    if approve:
        req.due, provisional = clocks.extend(req.due, ext.days)
        req.clock_provisional = req.clock_provisional or provisional
        ext.new_due = req.due
        req.save()
    ext.save()
    kind = Event.Kind.EXTENSION_APPROVED if approve else Event.Kind.EXTENSION_REFUSED
    text = timezone.localtime(req.due).strftime("%Y-%m-%d") if approve else ""
    _event(req, kind, actor, now, text=text)
    _audit(actor, "extension_approve" if approve else "extension_refuse", req, before)
    return ext


@transaction.atomic
def reply(*, actor, request: ServiceRequest, text: str, files=(), now=None) -> ServiceRequest:
    """The unit's answer; the enterprise rates it next. Replying acknowledges a request not yet acknowledged."""
    now = now or timezone.now()
    req = _lock(request)
    _require_handler(actor, req)
    if req.state not in OPEN_STATES:
        raise DeskError(_("Only an open request can be replied to."))
    text = (text or "").strip()
    if not text:
        raise DeskError(_("Write the reply."), "text")
    before = _snap(req)
    if req.state in AWAITING_ACK:
        req.acknowledged_at = now
        if now > req.ack_due:
            req.ack_late = True
    req.state = State.REPLIED
    req.reply = text
    req.replied_at = now
    if now > req.due:
        req.reply_late = True
    req.save()
    for checked in files:
        _save_file(req, actor, checked, now)
    _event(req, Event.Kind.REPLIED, actor, now, unit=req.unit, text=text)
    _audit(actor, "reply", req, before)
    for account in EnterpriseAccount.objects.filter(enterprise_id=req.enterprise_id).select_related("user"):
        notifications.notify(user=account.user, key=f"servicedesk:reply:{req.code}:{req.reopen_count}",
                             kind="servicedesk", title=_("Your request %(n)s has a reply") % {"n": req.number},
                             url=reverse("servicedesk_portal_detail", args=[req.code]), now=now)  # fmt: skip
    return req


# ——— the enterprise's rating, reopening, closing ———


@transaction.atomic
def rate(*, actor, request: ServiceRequest, satisfaction: str, comment: str = "", now=None) -> ServiceRequest:
    """The enterprise rates the reply. Satisfied or basically satisfied closes the request; unsatisfied reopens
    it with its unit and restarts both clocks from now."""
    now = now or timezone.now()
    req = _lock(request)
    if not access.speaks_for(actor, req):
        raise PermissionDenied
    if req.state != State.REPLIED:
        raise DeskError(_("Only a replied request can be rated."))
    if satisfaction not in Satisfaction.values:
        raise DeskError(_("Choose how satisfied you are."), "satisfaction")
    comment = (comment or "").strip()
    if satisfaction == Satisfaction.UNSATISFIED and not comment:
        raise DeskError(_("Tell us what is still missing, so that the unit can handle it again."), "comment")
    before = _snap(req)
    req.satisfaction, req.rating_comment, req.rated_at = satisfaction, comment, now
    _event(
        req,
        Event.Kind.RATED,
        actor,
        now,
        text=f"{Satisfaction(satisfaction).label}{'：' + comment if comment else ''}",
    )
    if satisfaction in SATISFIED_VALUES:
        req.state, req.closed_at = State.CLOSED, now
        req.save()
        _event(req, Event.Kind.CLOSED, actor, now)
        _audit(actor, "rate", req, before)
        return req
    _reopen(req, actor, now)
    _audit(actor, "rate_reopen", req, before)
    return req


def _reopen(req: ServiceRequest, actor, now) -> None:
    clock = clocks.clock_for(req.category, started=now)
    req.state = State.REOPENED
    req.reopen_count += 1
    req.clock_started_at = req.ack_from = now
    req.ack_due, req.due, req.clock_provisional = clock.ack_due, clock.due, clock.provisional
    req.acknowledged_at = req.replied_at = req.closed_at = None
    req.save()
    _event(req, Event.Kind.REOPENED, actor, now, unit=req.unit)
    _notify_unit(req, f"servicedesk:reopen:{req.code}:{req.reopen_count}",
                 _("Service request %(n)s reopened: the enterprise is not satisfied") % {"n": req.number}, now,
                 level="yellow")  # fmt: skip


@transaction.atomic
def close_unrated(*, now=None) -> int:
    """Replies the enterprise has not rated within the policy's working days are closed as they stand."""
    now = now or timezone.now()
    policy = Policy.current()
    closed = 0
    for req in ServiceRequest.objects.select_for_update().filter(
        state=State.REPLIED, replied_at__isnull=False
    ):
        limit, _provisional = clocks.extend(req.replied_at, policy.rating_days)
        if now <= limit:
            continue
        before = _snap(req)
        req.state, req.closed_at = State.CLOSED, now
        req.save()
        _event(req, Event.Kind.CLOSED, None, now, text=_("not rated in time"))
        _audit(None, "close_unrated", req, before)
        closed += 1
    return closed


@transaction.atomic
def record_callback(
    *, actor, request: ServiceRequest, called_on: datetime.date, satisfaction: str, method: str = "phone",
    notes: str = "", now=None,
) -> Callback:  # fmt: skip
    """A call-back (回访) by the supervision office on a replied or closed request; its result counts toward the
    unit's satisfaction rate in place of the enterprise's own rating."""
    now = now or timezone.now()
    access.require_supervisor(actor)
    req = _lock(request)
    if req.state not in (State.REPLIED, State.CLOSED):
        raise DeskError(_("Call back once the request has been replied to."))
    if satisfaction not in Satisfaction.values:
        raise DeskError(_("Record what the enterprise said."), "satisfaction")
    if called_on > timezone.localdate(now):
        raise DeskError(_("The date of the call-back cannot be in the future."), "called_on")
    if called_on < timezone.localtime(req.replied_at or req.raised_at).date():
        raise DeskError(_("The call-back cannot be before the reply."), "called_on")
    cb = Callback.objects.create(request=req, called_on=called_on, method=method, satisfaction=satisfaction,
                                 notes=(notes or "").strip(), recorded_by=actor, recorded_at=now)  # fmt: skip
    _event(req, Event.Kind.CALLBACK, actor, now,
           text=f"{Satisfaction(satisfaction).label}{'：' + cb.notes if cb.notes else ''}")  # fmt: skip
    record(actor=actor, action="servicedesk.callback", obj=req, after=snapshot(cb))
    if satisfaction == Satisfaction.UNSATISFIED and req.state == State.REPLIED:
        before = _snap(req)
        req.satisfaction, req.rated_at = satisfaction, now
        _reopen(req, actor, now)
        _audit(actor, "callback_reopen", req, before)
    return cb


# ——— settings ———


@transaction.atomic
def save_category(*, actor, category: Category | None = None, **values) -> Category:
    access.require_supervisor(actor)
    if category is None:
        category, before = Category(), None
    else:
        before = snapshot(category)
    if values.get("ack_limit") is not None and values["ack_limit"] < 1:
        raise DeskError(_("The acknowledgement limit must be at least 1."), "ack_limit")
    if values.get("close_days") is not None and not 1 <= values["close_days"] <= 60:
        raise DeskError(_("The close limit must be 1 to 60 working days."), "close_days")
    for name, value in values.items():
        setattr(category, name, value)
    category.save()
    record(
        actor=actor, action="servicedesk.category_save", obj=category, before=before, after=snapshot(category)
    )
    return category


@transaction.atomic
def save_policy(*, actor, **values) -> Policy:
    access.require_supervisor(actor)
    policy = Policy.current()
    before = snapshot(policy)
    if values.get("day_start") and values.get("day_end") and values["day_start"] >= values["day_end"]:
        raise DeskError(_("The working day must end after it starts."), "day_end")
    if values.get("callback_percent") is not None and values["callback_percent"] > 100:
        raise DeskError(_("Enter a share between 0 and 100."), "callback_percent")
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()
    record(actor=actor, action="servicedesk.policy_save", obj=policy, before=before, after=snapshot(policy))
    return policy


@transaction.atomic
def link_account(*, actor, user: User, enterprise) -> EnterpriseAccount:
    """Let an applicant login speak for an enterprise in the portal."""
    access.require_supervisor(actor)
    if not user.has_role(Role.APPLICANT):
        raise DeskError(_("Only applicant accounts can speak for an enterprise."), "user")
    account, _created = EnterpriseAccount.objects.update_or_create(
        user=user, defaults={"enterprise": enterprise}
    )
    record(actor=actor, action="servicedesk.account_link", obj=account, after=snapshot(account))
    return account
