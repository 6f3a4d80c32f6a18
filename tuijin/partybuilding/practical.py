"""办实事 lists: plans of kind "practical" on the task engine, published on a page anyone can open.

The public page shows, for each item, its lead unit, its status in plain words, the day it was completed and the
latest progress summary the supervision office has published — never the internal reports, the names of the
responsible persons, nor evidence files."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from tuijin.core.audit import record, snapshot
from tuijin.tasks.access import unit_roles
from tuijin.tasks.models import Plan, Task, TaskState, TaskUnit

from .models import PracticalList, PublicUpdate
from .services import PartyError

DONE, ACTIVE, PENDING = "done", "active", "pending"
PLAIN_STATUS = {
    DONE: pgettext_lazy("practical item", "Completed"),
    ACTIVE: pgettext_lazy("practical item", "In progress"),
    PENDING: pgettext_lazy("practical item", "Not started"),
}


def plain_status(task: Task) -> str:
    """已完成 once closed; 推进中 once acknowledged or with progress; else 未开始."""
    if task.state == TaskState.CLOSED:
        return DONE
    if task.state != TaskState.ASSIGNED or task.progress > 0:
        return ACTIVE
    return PENDING


@dataclass
class PublicItem:
    number: str
    title: str
    category: str
    lead_units: list[str]
    status: str
    completed_on: object
    summary: str
    summary_on: object

    @property
    def status_label(self) -> str:
        return str(PLAIN_STATUS[self.status])


def published_updates() -> Prefetch:
    return Prefetch(
        "public_updates",
        queryset=PublicUpdate.objects.filter(published_at__isnull=False).order_by("-published_at", "-id"),
        to_attr="published",
    )


def public_items(plan: Plan) -> list[PublicItem]:
    """The items of the list as the public sees them (three queries whatever the length)."""
    tasks = (
        plan.tasks.prefetch_related(
            Prefetch(
                "task_units",
                queryset=TaskUnit.objects.filter(role=TaskUnit.LEAD)
                .select_related("unit")
                .order_by("position"),
            ),  # fmt: skip
            published_updates(),
        )
        .only("number", "title", "category", "state", "progress", "closed_at", "sort_key", "plan_id")
        .order_by("sort_key", "id")
    )
    items = []
    for task in tasks:
        latest = task.published[0] if task.published else None
        items.append(PublicItem(
            number=task.number, title=task.title, category=task.category,
            lead_units=[tu.unit.name for tu in task.task_units.all()],
            status=plain_status(task),
            completed_on=timezone.localdate(task.closed_at) if task.closed_at and task.state == TaskState.CLOSED
            else None,
            summary=latest.text if latest else "", summary_on=timezone.localdate(latest.published_at) if latest else None,
        ))  # fmt: skip
    return items


def counts(items: list[PublicItem]) -> dict[str, int]:
    result = {DONE: 0, ACTIVE: 0, PENDING: 0}
    for item in items:
        result[item.status] += 1
    return result | {"total": len(items)}


# ——— writes ———


LIST_FIELDS = ["plan_id", "is_public", "title", "intro"]


@transaction.atomic
def save_practical_list(
    *, actor, plan: Plan, is_public: bool, title: str = "", intro: str = ""
) -> PracticalList:
    if not actor.is_supervisor:
        raise PartyError(_("Only the supervision office can do this."))
    if plan.kind != Plan.Kind.PRACTICAL:
        raise PartyError(_("Only a plan of practical things for the people has a public page."))
    practical, _created = PracticalList.objects.get_or_create(plan=plan)
    before = snapshot(practical, LIST_FIELDS)
    practical.is_public, practical.title, practical.intro = is_public, title, intro
    practical.save()
    record(actor=actor, action="party.practical.update", obj=practical, before=before,
           after=snapshot(practical, LIST_FIELDS))  # fmt: skip
    return practical


def may_write_update(user, task: Task) -> bool:
    return user.is_supervisor or TaskUnit.LEAD in unit_roles(user, task)


@transaction.atomic
def write_public_update(*, actor, task: Task, text: str, publish: bool = False) -> PublicUpdate:
    """The lead unit drafts a summary for the public; the supervision office publishes it (or writes and
    publishes its own at once)."""
    if task.plan.kind != Plan.Kind.PRACTICAL:
        raise PartyError(_("Public summaries are written for practical things for the people only."))
    if not may_write_update(actor, task):
        raise PartyError(_("Only the lead unit and the supervision office can write the public summary."))
    if not text.strip():
        raise PartyError(_("Write the summary."))
    if publish and not actor.is_supervisor:
        raise PartyError(_("Only the supervision office can publish."))
    update = PublicUpdate.objects.create(
        task=task, text=text.strip(), written_by=actor,
        published_by=actor if publish else None, published_at=timezone.now() if publish else None,
    )  # fmt: skip
    record(actor=actor, action="party.public_update.write", obj=update,
           after={"task_id": task.pk, "text": update.text, "published": publish})  # fmt: skip
    return update


@transaction.atomic
def set_published(*, actor, update: PublicUpdate, published: bool) -> PublicUpdate:
    if not actor.is_supervisor:
        raise PartyError(_("Only the supervision office can publish."))
    update = PublicUpdate.objects.select_for_update().get(pk=update.pk)
    before = {"published_at": update.published_at}
    if published and update.published_at is None:
        update.published_by, update.published_at = actor, timezone.now()
    elif not published:
        update.published_by, update.published_at = None, None
    update.save(update_fields=["published_by", "published_at"])
    record(actor=actor, action="party.public_update.publish" if published else "party.public_update.unpublish",
           obj=update, before=before, after={"published_at": update.published_at})  # fmt: skip
    return update
