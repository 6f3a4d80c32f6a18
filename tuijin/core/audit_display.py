"""How the auditor reads an audit row: before → after as a list of changed fields, and as spreadsheet rows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from tuijin.lib.spreadsheet_write import neutralise

LONG = 300

# Plain words for the security events (data changes keep their action code, which names the app and verb).
ACTION_LABELS = {
    "auth.login": _("Signed in"),
    "auth.logout": _("Signed out"),
    "auth.login_failed": _("Sign-in failed"),
    "permission.denied": _("Permission denied"),
    "audit.verify": _("Audit log verified"),
    "audit.export": _("Audit log exported"),
    "audit.archive": _("Audit log archived"),
}


@dataclass
class Change:
    field: str
    before: str
    after: str
    kind: str  # added | removed | changed | same


def value_text(value: Any, *, limit: int = LONG) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def changes(before: Any, after: Any) -> list[Change]:
    """Field by field when both sides are objects (unchanged fields left out), else the two values whole."""
    if isinstance(before, dict) or isinstance(after, dict):
        old = before if isinstance(before, dict) else {}
        new = after if isinstance(after, dict) else {}
        rows = []
        for key in list(old) + [k for k in new if k not in old]:
            if key in old and key in new:
                if old[key] == new[key] and before is not None and after is not None:
                    continue
                kind = "changed"
            else:
                kind = "removed" if key in old else "added"
            rows.append(
                Change(
                    str(key),
                    value_text(old[key]) if key in old else "",
                    value_text(new[key]) if key in new else "",
                    kind,
                )
            )
        return rows
    if before is None and after is None:
        return []
    return [Change("", value_text(before), value_text(after), "changed")]


def row(event) -> tuple:
    """What the auditor's page shows for one event: (event, label, changes shown, changes behind "more")."""
    return (event, ACTION_LABELS.get(event.action, ""), *split(changes(event.before, event.after)))


def split(rows: list[Change], shown: int = 6) -> tuple[list[Change], list[Change]]:
    """The changes to show at once and the rest (behind "more"), so a created object does not fill the screen."""
    if len(rows) <= shown + 2:
        return rows, []
    return rows[:shown], rows[shown:]


def change_text(before: Any, after: Any) -> str:
    lines = []
    for change in changes(before, after):
        label = f"{change.field}: " if change.field else ""
        if change.kind == "added":
            lines.append(f"{label}{change.after}")
        elif change.kind == "removed":
            lines.append(f"{label}{change.before} → —")
        else:
            lines.append(f"{label}{change.before} → {change.after}")
    return "\n".join(lines)


COLUMNS = (
    (_("Seq"), 9), (_("Time"), 20), (_("User"), 16), (_("Address"), 16), (_("Action"), 24), (_("Outcome"), 9),
    (_("Object type"), 18), (_("Object"), 30), (_("Before → after"), 60), (_("Request id"), 38), (_("Hash"), 20),
)  # fmt: skip


def _cell_text(value: Any) -> str:
    text = "" if value is None else str(value)
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", text))


def write_xlsx(target, events, *, title: str, limit: int) -> int:
    """Write the events (a queryset in display order) to `target`; at most `limit` rows; return the count."""
    from django.utils import timezone

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Audit log")))
    for index, (_text, width) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    title_cell = WriteOnlyCell(sheet, value=_cell_text(title))
    title_cell.font = Font(bold=True, size=14)
    sheet.append([title_cell])
    header = []
    for text, _width in COLUMNS:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for event in events[:limit].iterator(chunk_size=2000):
        sheet.append([
            event.seq,
            timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
            _cell_text(event.actor_name),
            _cell_text(event.ip or ""),
            _cell_text(event.action),
            str(_("succeeded") if event.success else _("failed")),
            _cell_text(event.object_type),
            _cell_text(event.object_repr),
            _cell_text(change_text(event.before, event.after)),
            _cell_text(event.request_id),
            _cell_text(event.hash[:16]),
        ])  # fmt: skip
        count += 1
    workbook.save(target)
    return count
