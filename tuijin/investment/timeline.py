"""A project's timeline: stage changes, agreements, follow-ups and edits in one list, newest first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Project, Stage


@dataclass
class Entry:
    date: datetime.date
    at: datetime.datetime
    kind: str  # "stage" | "follow_up" | "event"
    title: str
    text: str = ""
    actor: object = None
    details: list[tuple[str, str]] = field(default_factory=list)
    backward: bool = False
    stage: str = ""


def project_timeline(project: Project) -> list[Entry]:
    entries: list[Entry] = []
    for change in project.stage_changes.select_related("actor"):
        if change.from_stage:
            title = _("%(from)s → %(to)s") % {
                "from": Stage(change.from_stage).label,
                "to": Stage(change.to_stage).label,
            }
        else:
            title = _("Entered the pipeline as %(to)s") % {"to": Stage(change.to_stage).label}
        details = _stage_details(change.data or {})
        entries.append(Entry(change.date, change.created_at, "stage", title, change.reason, change.actor, details,
                             change.is_backward, change.to_stage))  # fmt: skip
    for follow_up in project.follow_ups.select_related("author"):
        details = []
        if follow_up.next_step:
            due = follow_up.next_step_due
            details.append(
                (
                    _("Next step"),
                    follow_up.next_step + (f"（{due.year}年{due.month}月{due.day}日前）" if due else ""),
                )
            )
        entries.append(Entry(follow_up.date, follow_up.created_at, "follow_up", follow_up.get_method_display(),
                             follow_up.content, follow_up.author, details))  # fmt: skip
    for event in project.events.select_related("actor"):
        local = timezone.localtime(event.at)
        text = event.note
        if event.kind == "updated" and event.data.get("fields"):
            text = _("Changed: %(fields)s") % {
                "fields": "、".join(_field_label(f) for f in event.data["fields"])
            }
        entries.append(Entry(local.date(), event.at, "event", _event_title(event), text, event.actor))
    entries.sort(key=lambda e: (e.date, e.at), reverse=True)
    return entries


def _event_title(event) -> str:
    titles = {"created": _("Recorded in the pipeline"), "updated": _("Project edited"),
              "signed_again": _("Another agreement signed"), "funds": _("Funds arrived updated")}  # fmt: skip
    return titles.get(event.kind, event.get_kind_display())


def _stage_details(data: dict) -> list[tuple[str, str]]:
    from .models import AgreementType
    from .templatetags.investment import money

    details = []
    if data.get("agreement_type"):
        details.append((_("Agreement"), str(AgreementType(data["agreement_type"]).label)))
    for key, label in (("contract_amount", _("Contract amount")), ("increment_amount", _("Increase or upgrade amount")),
                       ("registered_capital", _("Registered capital"))):  # fmt: skip
        if data.get(key) not in (None, "", "None"):
            details.append((label, money(data[key])))
    if data.get("first_signing") == "True":
        details.append((_("Counting"), _("first signing: the project counts from this date")))
    elif data.get("first_signing") == "False":
        details.append((_("Counting"), _("signed before: not counted again")))
    return details


def _field_label(name: str) -> str:
    name = name.removesuffix("_id")
    try:
        return str(Project._meta.get_field(name).verbose_name)
    except Exception:  # a key of the snapshot that is not a field (service_team is one; it is)
        return name
