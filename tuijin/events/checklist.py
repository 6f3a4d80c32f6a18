"""The readiness checklist of an activity: items added by the organiser, signed off one by one by a user of the
responsible unit; an item tied to a preparation task waits until that task is closed (销号); only the
supervision office undoes a sign-off, and says why."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import record
from tuijin.tasks.models import Task, TaskState

from .access import may_sign, may_undo, require_organiser
from .models import Activity, ChecklistEvent, ChecklistItem
from .services import EventError


def _state(item: ChecklistItem) -> dict:
    return {
        "title": item.title,
        "unit": item.unit.name,
        "signed_by": str(item.signed_by) if item.signed_by_id else None,
        "signed_at": item.signed_at,
        "note": item.note,
    }


def waiting_for(item: ChecklistItem) -> Task | None:
    """The preparation task this item waits for, while it is not closed."""
    if item.task_id and item.task.state != TaskState.CLOSED:
        return item.task
    return None


@transaction.atomic
def add_item(*, actor, activity: Activity, title: str, unit, task: Task | None = None,
             due_date: datetime.date | None = None) -> ChecklistItem:  # fmt: skip
    require_organiser(actor)
    if task is not None and task.plan_id != activity.programme.plan_id:
        raise EventError(_("Only tasks of the programme's plan can hold up a checklist item."))
    item = ChecklistItem.objects.create(
        activity=activity, title=title, unit=unit, task=task, due_date=due_date,
        position=activity.checklist.count() + 1,
    )  # fmt: skip
    record(actor=actor, action="events.checklist.add", obj=item,
           after=_state(item) | {"task": str(task) if task else None, "due_date": due_date})  # fmt: skip
    return item


@transaction.atomic
def delete_item(*, actor, item: ChecklistItem) -> None:
    require_organiser(actor)
    if ChecklistItem.objects.filter(pk=item.pk, signed_at__isnull=False).exists():
        raise EventError(_("A signed-off item cannot be deleted; undo the sign-off first."))
    record(actor=actor, action="events.checklist.delete", obj=item, before=_state(item))
    item.delete()


@transaction.atomic
def sign_off(*, actor, item: ChecklistItem, note: str = "") -> ChecklistItem:
    item = (
        ChecklistItem.objects.select_for_update(of=("self",)).select_related("unit", "task").get(pk=item.pk)
    )
    if not may_sign(actor, item):
        raise PermissionDenied(
            _("Only a user of %(unit)s can sign off this item.") % {"unit": item.unit.name}
        )
    if item.is_signed:
        raise EventError(_("This item was signed off already."))
    task = waiting_for(item)
    if task is not None:
        raise EventError(
            _(
                "This item waits for the preparation task “%(task)s”: it can be signed off once that task is "
                "closed (销号)."
            )
            % {"task": task.title}
        )
    before = _state(item)
    note = note.replace("\x00", "").strip()[:300]  # the API takes any string; no database stores NUL
    item.signed_by, item.signed_at, item.note = actor, timezone.now(), note
    item.save(update_fields=["signed_by", "signed_at", "note"])
    ChecklistEvent.objects.create(item=item, kind=ChecklistEvent.Kind.SIGNED, actor=actor, note=item.note,
                                  at=item.signed_at)  # fmt: skip
    record(actor=actor, action="events.checklist.sign_off", obj=item, before=before, after=_state(item))
    return item


@transaction.atomic
def undo_sign_off(*, actor, item: ChecklistItem, reason: str) -> ChecklistItem:
    if not may_undo(actor):
        raise PermissionDenied(_("Only the supervision office can undo a sign-off."))
    item = (
        ChecklistItem.objects.select_for_update(of=("self",))
        .select_related("unit", "signed_by")
        .get(pk=item.pk)
    )
    if not item.is_signed:
        raise EventError(_("This item is not signed off."))
    if not reason.strip():
        raise EventError(_("Say why the sign-off is undone."))
    before = _state(item)
    item.signed_by, item.signed_at, item.note = None, None, ""
    item.save(update_fields=["signed_by", "signed_at", "note"])
    ChecklistEvent.objects.create(
        item=item, kind=ChecklistEvent.Kind.UNDONE, actor=actor, note=reason.strip()[:300]
    )
    record(actor=actor, action="events.checklist.undo", obj=item, before=before,
           after=_state(item) | {"reason": reason.strip()})  # fmt: skip
    return item
