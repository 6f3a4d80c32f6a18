"""The registry of automatic indicators: functions that measure every unit from the records of a period.

A calculator is registered under a code and measures ALL units at once, with a few aggregate queries (never a
query per unit)::

    def func(units, period_start, period_end, tasks, params) -> dict[int, Measurement]: ...

- `units`: the `Unit` objects taking part in the round (a list);
- `period_start`, `period_end`: the first and last day of the period (dates); calculators look no further than
  today when the period is not over yet;
- `tasks`: a `Task` queryset — the tasks of the plans the scheme covers;
- `params`: the indicator's `params` (a dict an assessor may edit; calculators read their own keys with
  defaults).

It returns a `Measurement` per unit id (a unit left out is measured as "no records: full marks"):

- `value`: the measured figure — a rate between 0 and 1 for `higher_is_better` calculators, else a count;
- `points`: None for a rate (the scheme turns it into points from the indicator's weight), or the points the
  records earn by themselves — negative for deductions (−1 per warning), positive for bonuses;
- `formula`: how the value was obtained, in words a unit can check ("closed on time 3 / due 4 = 75.0%");
- `sources`: one dict per record it came from — `{"kind": "task", "code": …, "label": …, "url": …,
  "note": …, "counted": True}` (`source()` builds one). A person must be able to recompute the value from them.

Built-in calculators live in `indicators.py`. Other capabilities add theirs in their `AppConfig.ready()`::

    # tuijin/investment/apps.py
    def ready(self):
        from tuijin.assessment.registry import register
        from .assessment import signed_amount

        register("investment.signed_amount", _("Signed investment (亿元)"), signed_amount)

    # tuijin/spaces/apps.py:   register("spaces.occupancy", _("Occupancy of talent apartments"), …)
    # tuijin/services/apps.py: register("services.closed_in_time", _("Service requests closed in time"), …)

Codes are namespaced by app ("investment.*"); the built-ins have no prefix. An indicator whose code is no
longer registered is reported as an error when a round is computed, not silently skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Measurement:
    value: float
    formula: str
    sources: list[dict] = field(default_factory=list)
    points: float | None = None


Calculator = Callable[..., dict[int, Measurement]]


@dataclass(frozen=True)
class Entry:
    code: str
    label: Any  # a lazy translation
    func: Calculator
    higher_is_better: bool = True


_registry: dict[str, Entry] = {}


def register(code: str, label, func: Calculator, *, higher_is_better: bool = True) -> None:
    """Add (or replace, on reload) the calculator `code`. `higher_is_better` says which way a veto threshold
    cuts: a rate fails a veto below it, a count of warnings or orders fails above it."""
    _registry[code] = Entry(code=code, label=label, func=func, higher_is_better=higher_is_better)


def get(code: str) -> Entry | None:
    return _registry.get(code)


def choices() -> list[tuple[str, str]]:
    return [(entry.code, str(entry.label)) for entry in sorted(_registry.values(), key=lambda e: e.code)]


_url_patterns: dict[str, str] = {}


def url_for(kind: str, code) -> str:
    """The page of a record ("task" → its task page), built from one reverse() per kind: sources can run to
    thousands of records per round."""
    if kind not in _url_patterns:
        from django.urls import reverse

        marker = "00000000-0000-0000-0000-000000000000"
        names = {"task": "task_detail"}
        _url_patterns[kind] = reverse(names[kind], args=[marker]).replace(marker, "{}")
    return _url_patterns[kind].format(code)


def source(kind: str, code, label: str, note: str = "", counted: bool = True, **extra) -> dict:
    """One record a measurement came from. Records that belong to a task (reports, milestones, warnings,
    orders) pass `task_code` and link to the task's page, reports anchored at the report."""
    if "task_code" in extra:
        url = url_for("task", extra["task_code"]) + (f"#report-{code}" if kind == "report" else "")
    else:
        url = url_for(kind, code)
    return {
        "kind": kind,
        "code": str(code),
        "label": label,
        "url": url,
        "note": note,
        "counted": counted,
        **extra,
    }
