"""Saving an import preview: one transaction, bulk writes in batches (executemany / COPY), one audit row."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import DateField, DateTimeField, DecimalField, JSONField, UUIDField
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import record
from tuijin.core.calendar import get_calendar
from tuijin.org.models import Unit
from tuijin.org.resolve import guess_kind

from .importing import BATCH, KEEPABLE, ImportPreview, ImportRefused, ImportResult, PreviewRow, _Existing  # noqa: F401
from .models import LimitKind, Milestone, Plan, Task, TaskEvent, TaskUnit
from .status import compute_status


class _Bulk:
    """Multi-row INSERT and UPDATE of one model straight through the cursor.

    At 10⁴–10⁵ rows, the ORM's per-value work in bulk_create/bulk_update — not the database — is most of an
    import's time. The values here are plain Python already; only dates, datetimes, UUIDs and JSON are
    adapted, by the field itself, so what is stored is what the ORM would store.
    """

    def __init__(self, model, names: list[str]):
        meta = model._meta
        quote = connection.ops.quote_name
        self.fields = [meta.get_field(name) for name in names]
        self.table = quote(meta.db_table)
        self.columns = [quote(f.column) for f in self.fields]
        self.pk = quote(meta.pk.column)
        self.adapted = [
            (i, f)
            for i, f in enumerate(self.fields)
            if isinstance(f, DateField | UUIDField | JSONField | DecimalField)
        ]

    def _prepared(self, rows: list[list]) -> list[list]:
        # dates and datetimes repeat a lot (one "now", a few deadlines): adapt each distinct value once
        memo: dict[tuple[int, object], object] = {}
        for row in rows:
            for i, f in self.adapted:
                value = row[i]
                if value is None:
                    continue
                if isinstance(value, datetime.date):
                    key = (i, value)
                    if key not in memo:
                        memo[key] = f.get_db_prep_save(value, connection)
                    row[i] = memo[key]
                else:
                    row[i] = f.get_db_prep_save(value, connection)
        return rows

    def insert(self, rows: list[list]) -> None:
        if not rows:
            return
        columns = ", ".join(self.columns)
        rows = self._prepared(rows)
        with connection.cursor() as cursor:
            copy = getattr(cursor.cursor, "copy", None) if connection.vendor == "postgresql" else None
            if copy is not None:  # psycopg 3: COPY streams the rows instead of a statement per row
                with copy(f"COPY {self.table} ({columns}) FROM STDIN") as stream:
                    for row in rows:
                        stream.write_row(row)
                return
            marks = ", ".join(["%s"] * len(self.columns))
            cursor.executemany(f"INSERT INTO {self.table} ({columns}) VALUES ({marks})", rows)

    def update(self, rows: list[list], pks: list[int]) -> None:
        if not rows:
            return
        sets = ", ".join(f"{c} = %s" for c in self.columns)
        sql = f"UPDATE {self.table} SET {sets} WHERE {self.pk} = %s"
        with connection.cursor() as cursor:
            cursor.executemany(sql, [row + [pk] for row, pk in zip(self._prepared(rows), pks, strict=True)])


# The task fields an import sets; everything else keeps its default (new) or its value (update).
IMPORTED_FIELDS = [
    "number", "sort_key", "category", "title", "target", "leader", "owner", "parent", "limit_text", "limit_kind",
    "limit_note", "deadline", "cadence_period", "cadence_day", "relative_workdays", "status", "status_reason",
    "updated_at",
]  # fmt: skip


LIMIT_KINDS = frozenset(LimitKind.values)


@dataclass(slots=True)
class _StatusProbe:
    """What `compute_status` reads of a task."""

    plan: Plan
    state: str
    progress: int
    deadline: datetime.date | None


class _TaskValues:
    """A task's imported field values from a preview row, the way `services.apply_limit` sets them."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.calendar = get_calendar()
        self._relative: dict[int, datetime.date | None] = {}
        self._status: dict[tuple, tuple[str, str]] = {}

    def relative_deadline(self, workdays: int) -> datetime.date | None:
        if workdays not in self._relative:
            try:
                self._relative[workdays] = self.calendar.add_workdays(self.today, workdays)
            except Exception:  # calendar missing for that year: leave the date for a person to set
                self._relative[workdays] = None
        return self._relative[workdays]

    def status(self, state: str, progress: int, deadline: datetime.date | None) -> tuple[str, str]:
        key = (state, progress, deadline)
        if key not in self._status:
            result = compute_status(_StatusProbe(self.plan, state, progress, deadline), today=self.today,
                                    calendar=self.calendar)  # fmt: skip
            self._status[key] = (result.status, result.reason[:200])
        return self._status[key]

    def values(
        self, row: PreviewRow, parent_id: int | None, state: str, progress: int, *,
        keeps_deadline: bool = False, current_deadline: datetime.date | None = None,
    ) -> list:  # fmt: skip
        """In the order of IMPORTED_FIELDS; with `keeps_deadline` the status is from the task's current one."""
        src, parsed = row.source, row.limit
        deadline = parsed.deadline
        if parsed.relative_workdays and deadline is None:
            deadline = self.relative_deadline(parsed.relative_workdays)
        status, reason = self.status(state, progress, current_deadline if keeps_deadline else deadline)
        return [
            src.number, row.sort_key, src.category[:100], src.title[:500], src.target, src.leader[:100],
            src.owner[:100], parent_id, src.limit_text.strip()[:300],
            parsed.kind if parsed.kind in LIMIT_KINDS else LimitKind.UNKNOWN, parsed.message[:300], deadline,
            parsed.cadence.period if parsed.cadence else "", parsed.cadence.day if parsed.cadence else None,
            parsed.relative_workdays, status, reason, self.now,
        ]  # fmt: skip


class _NewTasks:
    """Rows for new tasks: the imported fields, every other field at its default."""

    def __init__(self, plan: Plan, now: datetime.datetime):
        self.fields = [f for f in Task._meta.concrete_fields if not f.primary_key]
        self.table = _Bulk(Task, [f.name for f in self.fields])
        position = {f.name: i for i, f in enumerate(self.fields)}
        self.slots = [position[name] for name in IMPORTED_FIELDS]
        self.code_slot = position["code"]
        self.template = []
        for f in self.fields:
            if f.name == "plan":
                value = plan.pk
            elif isinstance(f, DateTimeField) and (f.auto_now or f.auto_now_add):
                value = now
            else:
                value = None if f.name == "code" else f.get_default()
            self.template.append(value)

    def row(self, values: list) -> tuple[list, uuid.UUID]:
        row = list(self.template)
        for slot, value in zip(self.slots, values, strict=True):
            row[slot] = value
        code = row[self.code_slot] = uuid.uuid4()
        return row, code


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _unit_values(task_id: int, row: PreviewRow, units: dict[str, Unit]) -> list[list]:
    out, seen = [], set()
    for role, refs in ((TaskUnit.LEAD, row.lead), (TaskUnit.SUPPORT, row.support)):
        for position, ref in enumerate(refs):
            unit_id = units[ref].pk if isinstance(ref, str) else ref.pk
            if unit_id in seen:
                continue
            seen.add(unit_id)
            out.append([task_id, unit_id, role, position])
    return out


def _milestone_values(task_id: int, row: PreviewRow) -> list[list]:
    return [[task_id, m.date, m.text[:300], None] for m in row.milestones]


def commit_import(*, actor, preview: ImportPreview) -> ImportResult:
    """Save the previewed list in one transaction; refuse, saving nothing, if the preview has any error."""
    if preview.needs_mapping:
        raise ImportRefused(_("Say which column holds which field before importing."))
    if preview.errors:
        raise ImportRefused(
            _("The list has %(n)s problems; fix them and upload it again.") % {"n": len(preview.errors)}
        )
    if not preview.rows:
        raise ImportRefused(_("The list has no tasks."))
    actor_id = getattr(actor, "pk", None)
    with transaction.atomic():
        plan = preview.plan
        plan_created = False
        if plan is not None:
            plan = Plan.objects.select_for_update().filter(pk=plan.pk).first()
        if plan is None:
            if Plan.objects.filter(name=preview.plan_name).exists():
                raise ImportRefused(_("A plan of that name was created meanwhile; preview the list again."))
            plan = Plan.objects.create(name=preview.plan_name, year=preview.year)
            plan_created = True

        units: dict[str, Unit] = {}
        if preview.units_to_create:
            if not preview.create_units:
                raise ImportRefused(_("The list names unknown units."))
            new_units = [Unit(name=name[:100], kind=guess_kind(name)) for name in preview.units_to_create]
            Unit.objects.bulk_create(new_units)
            by_name = Unit.objects.in_bulk([u.name for u in new_units], field_name="name")
            units = {name: by_name[name[:100]] for name in preview.units_to_create}

        values = _TaskValues(plan)
        new_tasks = _NewTasks(plan, values.now)
        kept_columns = {column for name in preview.kept_fields for column in KEEPABLE[name]}
        updated_slots = [i for i, name in enumerate(IMPORTED_FIELDS) if name not in kept_columns]
        task_table = _Bulk(Task, [IMPORTED_FIELDS[i] for i in updated_slots])
        keeps_limit = "limit_text" in preview.kept_fields
        unit_table = _Bulk(TaskUnit, ["task", "unit", "role", "position"])
        milestone_table = _Bulk(Milestone, ["task", "date", "text", "done_at"])
        event_table = _Bulk(TaskEvent, ["task", "kind", "actor", "unit", "at", "note", "data"])
        ids: dict[str, int] = {} if plan_created else _Existing(plan, details=False).by_key  # key -> pk
        deferred: list[tuple[int, str]] = []  # (task, parent key) where the parent comes later in the list
        created = updated = unchanged = 0
        base = {"file": preview.filename, "sha256": preview.sha256}

        for batch in _batches(preview.rows):
            unit_rows: list[list] = []
            milestone_rows: list[list] = []
            event_rows: list[list] = []

            # New tasks, in waves: a sub-item waits until its parent in the same batch has its id.
            pending = [r for r in batch if r.existing_id is None]
            while pending:
                waiting = {r.key for r in pending if r.key}
                wave = [r for r in pending if not (r.parent_key in waiting and r.parent_key not in ids)]
                pending = [r for r in pending if r.parent_key in waiting and r.parent_key not in ids]
                if not wave:  # cannot happen with keys made from earlier rows; never loop forever
                    wave, pending = pending, []
                rows, codes = [], []
                for r in wave:
                    parent_id = ids.get(r.parent_key) if r.parent_key else None
                    row, code = new_tasks.row(values.values(r, parent_id, "assigned", 0))
                    rows.append(row)
                    codes.append(code)
                new_tasks.table.insert(rows)
                pk_of = {}
                for chunk in _batches(codes, 900):
                    pk_of.update(Task.objects.filter(code__in=chunk).values_list("code", "pk"))
                for r, code in zip(wave, codes, strict=True):
                    pk = pk_of[code]
                    if r.key:
                        ids[r.key] = pk
                    if r.parent_key and r.parent_key not in ids:
                        deferred.append((pk, r.parent_key))
                    unit_rows += _unit_values(pk, r, units)
                    milestone_rows += _milestone_values(pk, r)
                    event_rows.append(
                        [pk, TaskEvent.Kind.IMPORTED, actor_id, None, values.now, "", {**base, "row": r.row}]
                    )
                created += len(wave)

            changed = [r for r in batch if r.existing_id is not None and r.changes]
            unchanged += sum(1 for r in batch if r.existing_id is not None and not r.changes)
            if changed:
                current = {
                    pk: (state, progress, deadline)
                    for pk, state, progress, deadline in Task.objects.filter(pk__in=[r.existing_id for r in changed])
                    .values_list("pk", "state", "progress", "deadline")
                }  # fmt: skip
                if len(current) != len(changed):
                    raise ImportRefused(
                        _("A task of the plan was deleted meanwhile; preview the list again.")
                    )
                rows = []
                for r in changed:
                    parent_id = ids.get(r.parent_key) if r.parent_key else None
                    state, progress, deadline = current[r.existing_id]
                    row = values.values(
                        r, parent_id, state, progress, keeps_deadline=keeps_limit, current_deadline=deadline
                    )
                    rows.append([row[i] for i in updated_slots])
                    fields = sorted({name for name, _b, _a in r.changes})
                    event_rows.append([r.existing_id, TaskEvent.Kind.IMPORTED, actor_id, None, values.now, "",
                                       {**base, "row": r.row, "fields": fields}])  # fmt: skip
                task_table.update(rows, [r.existing_id for r in changed])
                updated += len(changed)
                relinked = [r for r in changed if any(c[0] in ("lead", "support") for c in r.changes)]
                if relinked:
                    TaskUnit.objects.filter(task_id__in=[r.existing_id for r in relinked]).delete()
                    unit_rows += [v for r in relinked for v in _unit_values(r.existing_id, r, units)]
                redated = [r for r in changed if any(c[0] == "limit_text" for c in r.changes)]
                if redated:
                    Milestone.objects.filter(task_id__in=[r.existing_id for r in redated]).delete()
                    milestone_rows += [v for r in redated for v in _milestone_values(r.existing_id, r)]

            unit_table.insert(unit_rows)
            milestone_table.insert(milestone_rows)
            event_table.insert(event_rows)

        for pk, parent_key in deferred:
            if parent_key in ids:
                Task.objects.filter(pk=pk).update(parent_id=ids[parent_key])

        record(
            actor=actor,
            action="plan.import",
            obj=plan,
            after={
                "file": preview.filename,
                "sha256": preview.sha256,
                "size": preview.size,
                "rows": len(preview.rows),
                "created": created,
                "updated": updated,
                "unchanged": unchanged,
                "plan_created": plan_created,
                "units_created": list(preview.units_to_create),
                "warnings": len(preview.warnings),
            },
        )
    return ImportResult(plan, plan_created, created, updated, unchanged, list(preview.units_to_create))
