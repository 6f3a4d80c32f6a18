"""Computing, reviewing and publishing assessment rounds. A round stores every score and result it computed,
so later changes to tasks, reports or the scheme never change it; recomputing adds a new version."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import record
from tuijin.org.models import Unit
from tuijin.tasks.models import Task, TaskUnit

from .. import registry
from ..models import Adjustment, Indicator, ManualScore, Method, Round, Scheme, Score
from ..models import Result as ResultRow
from ..periods import PeriodError, bounds
from . import scoring
from .summary import round_summary


class AssessmentError(Exception):
    """The action is not possible now; the message says why, for the user."""


def require_supervisor(actor) -> None:
    """Only the supervision office writes assessments. `actor=None` is the system (CLI, demo loader)."""
    if actor is not None and not actor.is_supervisor:
        raise AssessmentError(_("Only the supervision office can do this."))


def scope_tasks(scheme: Scheme):
    """The tasks a scheme covers: those of its plans, or all tasks when it names none."""
    plan_ids = list(scheme.plans.values_list("pk", flat=True))
    return Task.objects.filter(plan_id__in=plan_ids) if plan_ids else Task.objects.all()


def participants(scheme: Scheme, period: str, tasks) -> list[Unit]:
    """Active units of the scheme's group kinds that lead a covered task or were scored by hand for the period.
    Units with nothing assigned take no part in the ranking (domain-practice §3.1). Plain queries joined in
    Python: PostgreSQL plans the one-query form (OR of IN-subqueries) badly on large tables."""
    in_scope = set(tasks.values_list("id", flat=True).order_by())
    ids = {
        unit_id
        for task_id, unit_id in TaskUnit.objects.filter(role=TaskUnit.LEAD).values_list("task_id", "unit_id")
        if task_id in in_scope
    }
    ids |= set(ManualScore.objects.filter(scheme=scheme, period=period).values_list("unit_id", flat=True))
    ids |= set(Adjustment.objects.filter(scheme=scheme, period=period).values_list("unit_id", flat=True))
    return list(
        Unit.objects.active()
        .filter(kind__in=scheme.groups, pk__in=sorted(ids))
        .order_by("kind", "sort_order", "name")
    )


def snapshot(scheme: Scheme, indicators: list[Indicator]) -> dict:
    return {
        "name": scheme.name,
        "method": scheme.method,
        "base_score": str(scheme.base_score),
        "bands": scheme.sorted_bands(),
        "groups": list(scheme.groups),
        "period_kind": scheme.period_kind,
        "circular_subject": scheme.circular_subject,
        "issuing_organ": scheme.issuing_organ,
        "number_prefix": scheme.number_prefix,
        "requirements": scheme.requirements,
        "indicators": [
            {
                "name": i.name,
                "kind": i.kind,
                "calculator": i.calculator,
                "weight": str(i.weight),
                "veto": i.veto,
                "params": i.params,
            }
            for i in indicators
        ],  # fmt: skip
    }


def _manual_source(entry: ManualScore) -> dict:
    url = reverse("manual_evidence", args=[entry.code]) if entry.evidence else ""
    note = _("%(points)s points, entered by %(who)s on %(day)s") % {
        "points": scoring.fmt(entry.points), "who": entry.entered_by,
        "day": timezone.localtime(entry.entered_at).date().isoformat(),
    }  # fmt: skip
    return {"kind": "manual", "code": str(entry.code), "label": entry.reason[:200], "url": url, "note": note,
            "counted": True}  # fmt: skip


def _adjustment_source(entry: Adjustment) -> dict:
    note = f"{entry.get_kind_display()} {scoring.fmt(entry.signed_points)} · {entry.entered_by}"
    return {"kind": "adjustment", "code": str(entry.code), "label": entry.reason[:200], "url": "", "note": note,
            "counted": True}  # fmt: skip


def _cap(indicator: Indicator, key: str) -> Decimal | None:
    if key in (indicator.params or {}):
        return Decimal(str(indicator.params[key]))
    return indicator.weight if indicator.weight > 0 else None


def _veto_threshold(indicator: Indicator) -> float:
    return float((indicator.params or {}).get("veto_threshold", 0))


class _Computation:
    """One pass over the units: a Score per unit and indicator, then totals, grades and ranks."""

    def __init__(self, scheme: Scheme, period: str, indicators: list[Indicator]):
        self.scheme, self.period, self.indicators = scheme, period, indicators
        self.method = scheme.method
        self.start, self.end = bounds(scheme.period_kind, period)
        self.tasks = scope_tasks(scheme)
        self.units = participants(scheme, period, self.tasks)

    def measure(self) -> None:
        self.measured: dict[int, dict] = {}
        self.best: dict[int, float | None] = {}
        for indicator in self.indicators:
            if indicator.kind != Indicator.Kind.AUTO:
                continue
            entry = registry.get(indicator.calculator)
            measured = entry.func(self.units, self.start, self.end, self.tasks, indicator.params or {})
            self.measured[indicator.pk] = measured
            normalise = (indicator.params or {}).get("normalise") == "max"
            self.best[indicator.pk] = (
                max((m.value for m in measured.values()), default=0) if normalise else None
            )
        self.manual = {
            (m.unit_id, m.indicator_id): m
            for m in ManualScore.objects.filter(scheme=self.scheme, period=self.period).select_related(
                "entered_by"
            )
        }
        self.adjustments: dict[int, list[Adjustment]] = defaultdict(list)
        for adj in Adjustment.objects.filter(scheme=self.scheme, period=self.period).select_related(
            "entered_by"
        ):
            self.adjustments[adj.unit_id].append(adj)

    def score(self, unit: Unit, indicator: Indicator) -> Score:
        value, sources, vetoed = None, [], False
        if indicator.kind == Indicator.Kind.AUTO:
            entry = registry.get(indicator.calculator)
            m = self.measured[indicator.pk].get(unit.pk) or registry.Measurement(
                value=1.0 if entry.higher_is_better else 0, formula=_("no records: full marks"),
                points=None if entry.higher_is_better else 0.0,
            )  # fmt: skip
            scored = scoring.score_auto(self.method, indicator.weight, m, entry.higher_is_better,
                                        self.best[indicator.pk])  # fmt: skip
            value, sources = m.value, m.sources
            if indicator.veto and not indicator.weight:  # a pure veto item: no points, only pass or fail
                scored = scoring.Scored(Decimal("0.00"), _("veto item only: no points"))
            formula = f"{m.formula}; {scored.formula}"
            if indicator.veto:
                vetoed = scoring.fails_veto(m.value, _veto_threshold(indicator), entry.higher_is_better)
        elif indicator.kind == Indicator.Kind.MANUAL:
            entry_ = self.manual.get((unit.pk, indicator.pk))
            scored = scoring.score_manual(self.method, indicator.weight, entry_.points if entry_ else None)
            formula = scored.formula
            if entry_:
                value, sources = float(entry_.points), [_manual_source(entry_)]
                vetoed = indicator.veto and scoring.fails_veto(value, _veto_threshold(indicator), True)
        else:
            scored, value, sources = self.adjusted(unit, _cap(indicator, "bonus_cap"),
                                                   _cap(indicator, "deduction_cap"))  # fmt: skip
            formula = scored.formula
        if vetoed:
            formula += " · " + _("veto item failed")
        return Score(unit=unit, indicator=indicator, indicator_name=indicator.name, kind=indicator.kind,
                     position=indicator.position, value=value, points=scored.points, formula=formula,
                     sources=sources, vetoed=vetoed)  # fmt: skip

    def adjusted(self, unit: Unit, bonus_cap, deduction_cap):
        entries = self.adjustments.get(unit.pk, [])
        bonus = sum((a.points for a in entries if a.kind == Adjustment.Kind.BONUS), Decimal(0))
        deduction = sum((a.points for a in entries if a.kind == Adjustment.Kind.DEDUCTION), Decimal(0))
        scored = scoring.score_adjustments(bonus, deduction, bonus_cap, deduction_cap)
        return scored, float(bonus - deduction), [_adjustment_source(a) for a in entries]

    def run(self) -> tuple[list[Score], list[ResultRow]]:
        self.measure()
        has_adjustment_line = any(i.kind == Indicator.Kind.ADJUSTMENT for i in self.indicators)
        base = Decimal(0) if self.method == Method.WEIGHTED else self.scheme.base_score
        bands = self.scheme.sorted_bands()
        scores, results, by_group = [], [], defaultdict(list)
        for unit in self.units:
            unit_scores = [self.score(unit, indicator) for indicator in self.indicators]
            if not has_adjustment_line and self.adjustments.get(unit.pk):
                scored, value, sources = self.adjusted(unit, None, None)
                unit_scores.append(Score(unit=unit, indicator=None, indicator_name=_("Bonuses and deductions"),
                                         kind=Indicator.Kind.ADJUSTMENT, position=9999, value=value,
                                         points=scored.points, formula=scored.formula, sources=sources))  # fmt: skip
            total = base + sum((s.points for s in unit_scores), Decimal(0))
            vetoed = any(s.vetoed for s in unit_scores)
            scores.extend(unit_scores)
            result = ResultRow(unit=unit, unit_name=unit.name, group=unit.kind, total=scoring.q2(total),
                               grade=scoring.grade_for(total, bands, vetoed), rank=0, vetoed=vetoed)  # fmt: skip
            results.append(result)
            by_group[unit.kind].append(result)
        for group in by_group.values():
            ranks = scoring.rank([(r.unit.pk, r.total, r.vetoed) for r in group])
            for r in group:
                r.rank = ranks[r.unit.pk]
        return scores, results


@transaction.atomic
def compute_round(*, actor, scheme: Scheme, period: str) -> Round:
    """Score every participating unit on every indicator for the period and rank them; a new version each time."""
    require_supervisor(actor)
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    indicators = list(scheme.indicators.all())
    if not indicators:
        raise AssessmentError(_("The scheme has no indicators yet."))
    missing = [
        i.name for i in indicators if i.kind == Indicator.Kind.AUTO and registry.get(i.calculator) is None
    ]
    if missing:
        raise AssessmentError(
            _("No calculator is registered for: %(names)s.") % {"names": "、".join(missing)}
        )
    try:
        computation = _Computation(scheme, period, indicators)
    except PeriodError as exc:
        raise AssessmentError(str(exc)) from exc
    scores, results = computation.run()
    latest = Round.objects.filter(scheme=scheme, period=period).aggregate(v=Max("version"))["v"] or 0
    round_ = Round.objects.create(
        scheme=scheme, period=period, version=latest + 1, state=Round.State.COMPUTED,
        snapshot=snapshot(scheme, indicators), computed_at=timezone.now(), computed_by=actor,
        summary=round_summary(computation.units, computation.tasks, computation.start, computation.end),
    )  # fmt: skip
    for row in scores:
        row.round = round_
    for row in results:
        row.round = round_
    Score.objects.bulk_create(scores, batch_size=500)
    ResultRow.objects.bulk_create(results, batch_size=500)
    record(actor=actor, action="assessment.round.compute", obj=round_,
           after={"scheme": scheme.name, "period": period, "version": round_.version, "units": len(results)})  # fmt: skip
    return round_


@transaction.atomic
def review_round(*, actor, round: Round) -> Round:
    """Mark a computed round as checked by the supervision office (审核)."""
    require_supervisor(actor)
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if round_.state != Round.State.COMPUTED:
        raise AssessmentError(_("Only a computed round can be reviewed."))
    round_.state, round_.reviewed_at, round_.reviewed_by = Round.State.REVIEWED, timezone.now(), actor
    round_.save(update_fields=["state", "reviewed_at", "reviewed_by"])
    record(actor=actor, action="assessment.round.review", obj=round_,
           before={"state": Round.State.COMPUTED}, after={"state": round_.state})  # fmt: skip
    return round_


@transaction.atomic
def publish_round(*, actor, round: Round) -> Round:
    """Publish a reviewed round: units see the full ranking, and the circular gets its number."""
    require_supervisor(actor)
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if round_.state != Round.State.REVIEWED:
        raise AssessmentError(_("Review the round before publishing it."))
    latest = Round.objects.filter(scheme_id=round_.scheme_id, period=round_.period).aggregate(
        v=Max("version")
    )["v"]
    if round_.version != latest:
        raise AssessmentError(_("A newer version of this round exists; publish that one."))
    now = timezone.now()
    year = timezone.localtime(now).year
    prefix = round_.snapshot.get("number_prefix", "")
    last = Round.objects.filter(circular_year=year, snapshot__number_prefix=prefix).aggregate(
        n=Max("circular_number")
    )["n"]
    round_.state, round_.published_at, round_.published_by = Round.State.PUBLISHED, now, actor
    round_.circular_year, round_.circular_number = year, (last or 0) + 1
    round_.save(update_fields=["state", "published_at", "published_by", "circular_year", "circular_number"])
    record(actor=actor, action="assessment.round.publish", obj=round_, before={"state": Round.State.REVIEWED},
           after={"state": round_.state, "number": round_.document_number})  # fmt: skip
    return round_
