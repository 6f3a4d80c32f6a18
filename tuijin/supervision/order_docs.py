"""A supervision order printed as an official notice (督办通知) in GB/T 9704 layout.

Official documents are Chinese whatever language the reader's screen is in, so the text is rendered in the
site's default language (zh-hans); the wording comes from the translation catalogue like every other string.
"""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tuijin.lib.official_docs import OfficialDocument
from tuijin.org.models import Role, Unit, UnitKind

from .models import Order

TITLE_TASK_CHARS = 40

TITLES = {
    Order.Level.REMINDER: gettext_noop("Reminder notice on “%(task)s”"),
    Order.Level.INTERVIEW: gettext_noop("Interview notice on “%(task)s”"),
    Order.Level.CIRCULAR: gettext_noop("Circular on “%(task)s”"),
}


def issuing_office(order: Order) -> str:
    """The office that signs: the issuer's supervision office, else the plan's owning office, else the office
    of whoever issued an earlier order on the ladder (automatic escalations have no issuer), else the city
    office."""
    current: Order | None = order
    while current is not None:
        if current.issued_by_id:
            membership = (
                current.issued_by.memberships.filter(role=Role.SUPERVISOR, unit__isnull=False)
                .select_related("unit")
                .first()
            )
            if membership:
                return membership.unit.name
        if current is order and order.task.plan.owner_unit_id:
            return order.task.plan.owner_unit.name
        current = current.previous
    office = Unit.objects.filter(kind=UnitKind.CITY_OFFICE).order_by("sort_order", "name").first()
    return office.name if office else _("Supervision Office")


def order_title(order: Order) -> str:
    task = order.task.title
    if len(task) > TITLE_TASK_CHARS:
        task = task[: TITLE_TASK_CHARS - 1] + "…"
    template = TITLES.get(order.level)
    return (
        _(template) % {"task": task} if template else _("Supervision notice on “%(task)s”") % {"task": task}
    )


def _task_rows(order: Order) -> list[tuple[str, str]]:
    task = order.task
    deadline = task.limit_text or ""
    if task.deadline:
        deadline = f"{deadline}（{task.deadline.isoformat()}）" if deadline else task.deadline.isoformat()
    return [
        (_("Task"), f"{task.number} {task.title}".strip()),
        (_("Plan"), task.plan.name),
        (_("Lead units"), "、".join(u.name for u in task.lead_units)),
        (_("Supporting units"), "、".join(u.name for u in task.supporting_units) or "—"),
        (_("Time limit"), deadline or "—"),
        (_("Progress"), f"{task.progress}%"),
        (_("Status"), f"{task.get_status_display()}（{task.get_state_display()}）"),
    ]


def build_order_document(order: Order) -> OfficialDocument:
    with translation.override(settings.LANGUAGE_CODE):
        office = issuing_office(order)
        doc = OfficialDocument(organ=office, number=order.document_number)
        doc.title(order_title(order))
        doc.addressee(order.unit.name)
        level = order.get_level_display()
        intro = _("Following the city's supervision of key tasks, the task below is placed under %(level)s.") % {
            "level": level}  # fmt: skip
        if order.previous_id:
            previous = order.previous
            intro += " " + _("This follows %(previous)s of %(date)s, which was not resolved in time.") % {
                "previous": previous.document_number or previous.get_level_display(),
                "date": timezone.localtime(previous.issued_at).date().isoformat(),
            }  # fmt: skip
        doc.paragraph(intro)
        doc.heading(_("The task"))
        doc.table([_("Item"), _("Details")], _task_rows(order), widths_mm=[34, 122], align=["center", "left"])
        doc.heading(_("Requirement"))
        for line in order.requirement.splitlines():
            if line.strip():
                doc.paragraph(line.strip())
        doc.heading(_("Time limit for the response"))
        if order.due_date:
            doc.paragraph(_("Report in writing how the order was handled by %(date)s (within %(days)s working "
                            "days).") % {"date": order.due_date.isoformat(), "days": order.response_workdays})  # fmt: skip
        else:
            doc.paragraph(_("Report in writing how the order was handled as soon as possible."))
        doc.signature(office, timezone.localtime(order.issued_at).date())
    return doc
