"""Supervision orders (督办单) on the escalation ladder: who sees them, and the writes that move them.

Ladder: 催办 reminder → blue → orange → red → 约谈 interview → 通报 circular. Blue, orange and red orders are
numbered 督办〔YYYY〕N号 per year and answered within a number of working days (the plan's Policy, or the
defaults of an unsaved Policy). An order not answered by its due date lapses; unless the plan's policy says
otherwise the next order, one level up, is then issued automatically ("one level after the last lapsed").
One item, one order (一事一单): a task has at most one open order at a time.

Each write checks, saves, audits and notifies in one transaction, like tuijin/tasks/services.py.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import record, snapshot
from tuijin.core.calendar import get_calendar
from tuijin.lib.workdays import CalendarMissing
from tuijin.notifications.services import notify_supervisors, notify_units
from tuijin.org.models import Role
from tuijin.tasks.models import Task, TaskState, TaskUnit

from .models import Interview, Order, Policy, Warning

log = logging.getLogger(__name__)

Level, State = Order.Level, Order.State
LADDER = [Level.REMINDER, Level.BLUE, Level.ORANGE, Level.RED, Level.INTERVIEW, Level.CIRCULAR]
NEXT_LEVEL = dict(zip(LADDER, LADDER[1:], strict=False))
NUMBERED = {Level.BLUE, Level.ORANGE, Level.RED}
RESPONDABLE = {Level.REMINDER, Level.BLUE, Level.ORANGE, Level.RED}
OPEN_STATES = {State.ISSUED, State.RESPONDED}
# States from which the supervisor still decides (accept or escalate), as long as no later order exists.
UNDECIDED_STATES = {State.ISSUED, State.RESPONDED, State.LAPSED}
NOTICE_LEVEL = {Level.REMINDER: "info", Level.BLUE: "info", Level.ORANGE: "yellow"}  # red and above: "red"
SUGGESTION_RULE = "overdue-red"
AUDIT_FIELDS = ["task_id", "unit_id", "level", "year", "number", "requirement", "response_workdays", "due_date",
                "urgent", "state", "previous_id", "suggested_by", "response", "decision_note"]  # fmt: skip


class OrderError(Exception):
    """The action is not allowed for this user or order now; the message says why, for the user."""


# ——— who sees what ———


def may_read_orders(user) -> bool:
    """Supervisors and leaders read every order, unit users their units' orders; nobody else reads any."""
    return user.is_authenticated and user.has_role(Role.SUPERVISOR, Role.LEADER, Role.UNIT)


def visible_orders(user):
    qs = Order.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.has_role(Role.SUPERVISOR, Role.LEADER):
        return qs
    unit_ids = user.unit_ids(Role.UNIT)
    return qs.filter(unit_id__in=unit_ids) if unit_ids else qs.none()


def get_visible_order(user, code) -> Order:
    """The order with this public code if the user may see it, else 404 (never 403: no existence leak)."""
    try:
        return visible_orders(user).select_related("task__plan", "unit", "issued_by", "responded_by",
                                                   "decided_by").get(code=code)  # fmt: skip
    except (Order.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def has_next(order: Order) -> bool:
    return Order.objects.filter(previous=order).exists()


def allowed_actions(user, order: Order) -> set[str]:
    """What this user may do to this order now: respond, accept, escalate, interview."""
    actions: set[str] = set()
    if not user.is_authenticated or order.state not in UNDECIDED_STATES or has_next(order):
        return actions
    if user.is_supervisor:
        actions.add("accept")
        if order.level != Level.CIRCULAR:
            actions.add("escalate")
        if order.level == Level.INTERVIEW and order.state == State.ISSUED:
            actions.add("interview")
    if (
        order.level in RESPONDABLE
        and order.state in (State.ISSUED, State.LAPSED)
        and order.unit_id in user.unit_ids(Role.UNIT)
    ):
        actions.add("respond")
    return actions


def _require(user, order: Order, action: str) -> None:
    if action not in allowed_actions(user, order):
        raise OrderError(_("You cannot do this on this order now."))


# ——— policy and numbering ———


def policy_for(plan) -> Policy:
    """The plan's supervision policy, or the defaults when none was saved."""
    return Policy.objects.filter(plan=plan).first() or Policy(plan=plan)


def default_workdays(policy: Policy, level: str) -> int | None:
    return {
        Level.BLUE: policy.blue_response_workdays,
        Level.ORANGE: policy.orange_response_workdays,
        Level.RED: policy.red_response_workdays,
    }.get(level)


def next_number(year: int) -> int:
    return (Order.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0) + 1


def _save_numbered(order: Order, attempts: int = 5) -> None:
    """Take the next free number of the year. Two supervisors issuing at once may both read the same
    maximum: the unique constraint rejects the second insert, which then reads again and retries."""
    for attempt in range(attempts):
        order.number = next_number(order.year)
        try:
            with transaction.atomic():
                order.save()
            return
        except IntegrityError:
            if attempt == attempts - 1:
                raise
            log.info("order number %s/%s taken concurrently, retrying", order.year, order.number)


def _local_day(now: datetime.datetime) -> datetime.date:
    return timezone.localtime(now).date()


def _create(*, task: Task, unit, level: str, requirement: str, response_workdays: int | None, urgent: bool,
            actor, now, policy: Policy, suggested_by: str = "", previous: Order | None = None) -> Order:  # fmt: skip
    today = _local_day(now)
    workdays = response_workdays or default_workdays(policy, level)
    try:
        due = get_calendar().add_workdays(today, workdays) if workdays else None
    except CalendarMissing as exc:
        raise OrderError(str(exc)) from exc
    order = Order(
        task=task, unit=unit, level=level, year=today.year, requirement=requirement.strip(),
        response_workdays=workdays, due_date=due, urgent=urgent, issued_by=actor if getattr(actor, "pk", None)
        else None, issued_at=now, suggested_by=suggested_by[:100], previous=previous,
    )  # fmt: skip
    if level in NUMBERED:
        _save_numbered(order)
    else:
        order.save()
    record(actor=actor, action="order.issue", obj=order, after=snapshot(order, AUDIT_FIELDS))
    _notify_unit(order, "issued", _("%(order)s: %(task)s") % {"order": _order_name(order), "task": task.title},
                 body=_issued_body(order), now=now)  # fmt: skip
    return order


def _order_name(order: Order) -> str:
    name = str(order.get_level_display())
    return f"{name} {order.document_number}" if order.number else name


def _issued_body(order: Order) -> str:
    if order.due_date:
        return _("%(requirement)s\nRespond by %(due)s.") % {
            "requirement": order.requirement, "due": order.due_date.isoformat()}  # fmt: skip
    return order.requirement


def _url(order: Order) -> str:
    return reverse("order_detail", args=[order.code])


def _notify_unit(order: Order, event: str, title: str, *, body: str = "", now=None) -> None:
    notify_units(units=[order.unit], key=f"order:{order.code}:{event}", kind=f"order_{event}", title=title,
                 body=body, url=_url(order), level=NOTICE_LEVEL.get(order.level, "red"), now=now)  # fmt: skip


def _notify_supervisors(order: Order, event: str, title: str, *, body: str = "", now=None) -> None:
    notify_supervisors(key=f"order:{order.code}:{event}", kind=f"order_{event}", title=title, body=body,
                       url=_url(order), level=NOTICE_LEVEL.get(order.level, "red"), now=now)  # fmt: skip


def _last_order(task: Task) -> Order | None:
    return Order.objects.filter(task=task).order_by("-issued_at", "-id").first()


def _awaiting_follow_up(order: Order | None) -> bool:
    """A lapsed order nobody has escalated yet (the plan does not escalate automatically)."""
    return bool(
        order and order.state == State.LAPSED and order.level != Level.CIRCULAR and not has_next(order)
    )


def issuable_levels(task: Task, *, urgent: bool = False) -> list[str]:
    """Levels a supervisor may issue by hand: reminder or blue; orange and red for urgent items; and the level
    one above a lapsed order that still waits for its follow-up."""
    levels = {Level.REMINDER, Level.BLUE}
    if urgent:
        levels |= {Level.ORANGE, Level.RED}
    last = _last_order(task)
    if _awaiting_follow_up(last):
        levels.add(NEXT_LEVEL[last.level])
    return [level for level in LADDER if level in levels]


# ——— writes ———


@transaction.atomic
def issue_order(*, actor, task: Task, level: str, requirement: str, response_workdays: int | None = None,
                urgent: bool = False, suggested_by: str = "", now: datetime.datetime | None = None) -> Order:  # fmt: skip
    """Issue an order on a task to its (first) lead unit."""
    now = now or timezone.now()
    if not actor.is_supervisor:
        raise OrderError(_("Only the supervision office issues orders."))
    task = Task.objects.select_for_update().get(pk=task.pk)  # one open order per task, even under concurrency
    if task.state == TaskState.CLOSED:
        raise OrderError(_("The task is closed."))
    if Order.objects.filter(task=task, state__in=OPEN_STATES).exists():
        raise OrderError(_("The task already has an open order: escalate or accept it instead."))
    if level not in issuable_levels(task, urgent=urgent):
        raise OrderError(_("This level cannot be issued here; only urgent items may start at orange or red."))
    if not requirement.strip():
        raise OrderError(_("State what the unit must do."))
    lead = (
        TaskUnit.objects.filter(task=task, role=TaskUnit.LEAD)
        .select_related("unit")
        .order_by("position")
        .first()
    )
    if lead is None:
        raise OrderError(_("The task has no lead unit."))
    last = _last_order(task)
    return _create(
        task=task, unit=lead.unit, level=level, requirement=requirement, response_workdays=response_workdays,
        urgent=urgent, actor=actor, now=now, policy=policy_for(task.plan), suggested_by=suggested_by,
        previous=last if _awaiting_follow_up(last) else None,
    )  # fmt: skip


@transaction.atomic
def respond_order(*, actor, order: Order, response: str, now: datetime.datetime | None = None) -> Order:
    """The unit answers the order — before or after its due date."""
    now = now or timezone.now()
    order = Order.objects.select_for_update().get(pk=order.pk)
    _require(actor, order, "respond")
    if not response.strip():
        raise OrderError(_("Write the response."))
    before = snapshot(order, AUDIT_FIELDS)
    order.response, order.responded_by, order.responded_at = response.strip(), actor, now
    order.state = State.RESPONDED
    order.save(update_fields=["response", "responded_by", "responded_at", "state"])
    record(actor=actor, action="order.respond", obj=order, before=before, after=snapshot(order, AUDIT_FIELDS))
    _notify_supervisors(order, "responded", _("%(unit)s responded to %(order)s") % {
        "unit": order.unit.name, "order": _order_name(order)}, body=order.response, now=now)  # fmt: skip
    return order


def _decide(order: Order, *, actor, state: str, note: str, now) -> None:
    order.state, order.decided_by, order.decided_at = (
        state,
        actor if getattr(actor, "pk", None) else None,
        now,
    )
    order.decision_note = note.strip()[:300]
    order.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])


@transaction.atomic
def accept_order(*, actor, order: Order, note: str = "", now: datetime.datetime | None = None) -> Order:
    """The supervision office is satisfied and closes the order."""
    now = now or timezone.now()
    order = Order.objects.select_for_update().get(pk=order.pk)
    _require(actor, order, "accept")
    before = snapshot(order, AUDIT_FIELDS)
    _decide(order, actor=actor, state=State.ACCEPTED, note=note, now=now)
    record(actor=actor, action="order.accept", obj=order, before=before, after=snapshot(order, AUDIT_FIELDS))
    _notify_unit(order, "accepted", _("%(order)s accepted") % {"order": _order_name(order)}, now=now)
    return order


def _escalate(order: Order, *, actor, requirement: str, now) -> Order:
    before = snapshot(order, AUDIT_FIELDS)
    if order.state == State.LAPSED:  # keep the record that it lapsed; `next` shows what followed
        order.decided_by, order.decided_at = (actor if getattr(actor, "pk", None) else None), now
        order.save(update_fields=["decided_by", "decided_at"])
    else:
        _decide(order, actor=actor, state=State.ESCALATED, note=order.decision_note, now=now)
    record(
        actor=actor, action="order.escalate", obj=order, before=before, after=snapshot(order, AUDIT_FIELDS)
    )
    return _create(
        task=order.task, unit=order.unit, level=NEXT_LEVEL[order.level], requirement=requirement or order.requirement,
        response_workdays=None, urgent=order.urgent, actor=actor, now=now, policy=policy_for(order.task.plan),
        previous=order,
    )  # fmt: skip


@transaction.atomic
def escalate_order(
    *, actor, order: Order, requirement: str = "", now: datetime.datetime | None = None
) -> Order:
    """Issue the next order one level up (blue→orange→red→interview→circular; reminder→blue)."""
    now = now or timezone.now()
    order = Order.objects.select_for_update().select_related("task__plan", "unit").get(pk=order.pk)
    _require(actor, order, "escalate")
    return _escalate(order, actor=actor, requirement=requirement.strip(), now=now)


@transaction.atomic
def record_interview(*, actor, order: Order, held_on: datetime.date, interviewee: str, interviewers: str,
                     notes: str, commitments: str = "", place: str = "",
                     now: datetime.datetime | None = None) -> Interview:  # fmt: skip
    """Record the summoning talk (约谈) an interview-level order called for."""
    now = now or timezone.now()
    order = Order.objects.select_for_update().get(pk=order.pk)
    _require(actor, order, "interview")
    if held_on > _local_day(now):
        raise OrderError(_("Record an interview once it has been held."))
    if not (interviewee.strip() and interviewers.strip() and notes.strip()):
        raise OrderError(_("Name who was interviewed and by whom, and write the record."))
    interview = Interview.objects.create(
        order=order, held_on=held_on, place=place.strip(), interviewee=interviewee.strip(),
        interviewers=interviewers.strip(), notes=notes.strip(), commitments=commitments.strip(), recorded_by=actor,
    )  # fmt: skip
    order.state, order.responded_by, order.responded_at = State.RESPONDED, actor, now
    order.save(update_fields=["state", "responded_by", "responded_at"])
    record(actor=actor, action="order.interview", obj=order, after=snapshot(interview))
    _notify_unit(order, "interview", _("Interview record for %(task)s") % {"task": order.task.title}, now=now)
    return interview


def process_lapsed(*, now: datetime.datetime) -> list[Order]:
    """Orders still unanswered after their due date (a working day) lapse; where the plan escalates
    automatically the next order is issued one level up. Returns the orders that lapsed now. Running it again
    at the same `now` does nothing: lapsed orders are no longer awaiting a response."""
    today = _local_day(now)
    lapsed = []
    candidates = Order.objects.filter(state=State.ISSUED, due_date__lt=today).order_by("due_date", "id")
    policies: dict[int, Policy] = {}
    for pk in candidates.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                order = Order.objects.select_for_update().select_related("task__plan", "unit").get(pk=pk)
                if order.state != State.ISSUED:  # another run got here first
                    continue
                before = snapshot(order, AUDIT_FIELDS)
                order.state = State.LAPSED
                order.save(update_fields=["state"])
                record(actor=None, action="order.lapse", obj=order, before=before,
                       after=snapshot(order, AUDIT_FIELDS))  # fmt: skip
                title = _("%(order)s lapsed without a response") % {"order": _order_name(order)}
                _notify_unit(order, "lapsed", title, now=now)
                _notify_supervisors(order, "lapsed", title, body=order.task.title, now=now)
                plan_id = order.task.plan_id
                policy = policies.setdefault(plan_id, policy_for(order.task.plan))
                if (
                    policy.auto_escalate
                    and order.level in NEXT_LEVEL
                    and order.task.state != TaskState.CLOSED
                ):
                    _escalate(order, actor=None, requirement="", now=now)
        except (CalendarMissing, OrderError) as exc:  # next tick retries, once an admin entered the calendar
            log.warning("order %s not processed: %s", pk, exc)
            continue
        lapsed.append(order)
    return lapsed


# ——— suggestions ———


@dataclass
class Suggestion:
    """A rule's proposal to issue an order on a task that has been red too long without one."""

    task: Task
    level: str
    reason: str
    since: datetime.date
    rule: str = SUGGESTION_RULE

    @property
    def requirement(self) -> str:
        return _(
            "The task is overdue. Report the reasons, the measures taken and the date it will be completed."
        )

    def get_level_display(self) -> str:
        return str(Level(self.level).label)


def suggest_orders(*, now: datetime.datetime) -> list[Suggestion]:
    """Tasks red (overdue) for at least the plan's `suggest_order_after_red_days` working days, counted from
    when the warning appeared or the last order on the task was decided, that have no open order."""
    today = _local_day(now)
    warnings = list(
        Warning.objects.filter(kind=Warning.Kind.OVERDUE, resolved_at__isnull=True)
        .exclude(task__state=TaskState.CLOSED)
        .select_related("task__plan")
        .prefetch_related("task__task_units__unit")
        .order_by("first_seen", "id")
    )
    task_ids = {w.task_id for w in warnings}
    orders: dict[int, list[Order]] = {}
    for order in Order.objects.filter(task_id__in=task_ids).order_by("issued_at", "id"):
        orders.setdefault(order.task_id, []).append(order)
    followed = set(Order.objects.filter(previous__task_id__in=task_ids).values_list("previous_id", flat=True))
    policies = {p.plan_id: p for p in Policy.objects.filter(plan__tasks__in=task_ids).distinct()}
    calendar = get_calendar()
    suggestions, seen = [], set()
    for warning in warnings:
        task = warning.task
        history = orders.get(task.pk, [])
        if task.pk in seen or any(o.state in OPEN_STATES for o in history):
            continue
        seen.add(task.pk)
        since = _local_day(max([warning.first_seen] + [o.decided_at for o in history if o.decided_at]))
        policy = policies.get(task.plan_id) or Policy(plan_id=task.plan_id)
        try:
            red_days = calendar.workdays_between(since, today)
        except CalendarMissing:
            continue
        if red_days < policy.suggest_order_after_red_days:
            continue
        last = history[-1] if history else None
        level = Level.BLUE
        if last and last.state == State.LAPSED and last.pk not in followed and last.level in NEXT_LEVEL:
            level = NEXT_LEVEL[last.level]
        reason = _("Overdue (red) for %(days)s working days since %(since)s, with no open order.") % {
            "days": red_days, "since": since.isoformat()}  # fmt: skip
        suggestions.append(Suggestion(task=task, level=level, reason=reason, since=since))
    return suggestions


def order_chain(order: Order) -> list[Order]:
    """The orders on the ladder this order belongs to, first to last. One query whatever the ladder's length: a
    ladder never leaves its task (escalations and follow-up orders are issued on the same task)."""
    orders = {o.pk: o for o in Order.objects.filter(task_id=order.task_id).select_related("unit")}
    following = {o.previous_id: o for o in orders.values() if o.previous_id}
    chain = [order]
    current = order
    while current.previous_id in orders:
        current = orders[current.previous_id]
        chain.insert(0, current)
    current = order
    while current.pk in following:
        current = following[current.pk]
        chain.append(current)
    return chain
