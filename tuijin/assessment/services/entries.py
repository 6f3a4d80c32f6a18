"""Writes to schemes, indicators, manual scores and adjustments — each checked, saved and audited."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from tuijin.core.audit import record, snapshot

from .. import registry
from ..models import Adjustment, Indicator, ManualScore, Scheme
from ..periods import PeriodError, bounds
from .rounds import AssessmentError, require_supervisor

SCHEME_FIELDS = ["name", "description", "method", "base_score", "grade_bands", "groups", "period_kind",
                 "circular_subject", "issuing_organ", "number_prefix", "requirements", "is_active"]  # fmt: skip
INDICATOR_FIELDS = ["name", "kind", "calculator", "weight", "veto", "params", "position"]


def _check_period(scheme: Scheme, period: str) -> None:
    try:
        bounds(scheme.period_kind, period)
    except PeriodError as exc:
        raise AssessmentError(str(exc)) from exc


@transaction.atomic
def save_scheme(*, actor, scheme: Scheme | None = None, plans=(), **fields) -> Scheme:
    require_supervisor(actor)
    before = snapshot(scheme, SCHEME_FIELDS) if scheme else None
    scheme = scheme or Scheme()
    for name, value in fields.items():
        setattr(scheme, name, value)
    scheme.save()
    scheme.plans.set(plans)
    after = snapshot(scheme, SCHEME_FIELDS) | {"plans": sorted(p.pk for p in plans)}
    record(actor=actor, action="assessment.scheme." + ("update" if before else "create"), obj=scheme,
           before=before, after=after)  # fmt: skip
    return scheme


@transaction.atomic
def save_indicator(*, actor, scheme: Scheme, indicator: Indicator | None = None, **fields) -> Indicator:
    require_supervisor(actor)
    if fields.get("kind", getattr(indicator, "kind", None)) == Indicator.Kind.AUTO:
        if registry.get(fields.get("calculator") or getattr(indicator, "calculator", "")) is None:
            raise AssessmentError(_("Choose a calculator for an automatic indicator."))
    if fields.get("kind") == Indicator.Kind.ADJUSTMENT:
        others = scheme.indicators.filter(kind=Indicator.Kind.ADJUSTMENT).exclude(
            pk=getattr(indicator, "pk", None)
        )
        if others.exists():
            raise AssessmentError(
                _("A scheme has one line of bonuses and deductions; edit the existing one.")
            )
    before = snapshot(indicator, INDICATOR_FIELDS) if indicator else None
    indicator = indicator or Indicator(scheme=scheme)
    for name, value in fields.items():
        setattr(indicator, name, value)
    if indicator.kind != Indicator.Kind.AUTO:
        indicator.calculator = ""
    indicator.save()
    record(actor=actor, action="assessment.indicator." + ("update" if before else "create"), obj=indicator,
           before=before, after=snapshot(indicator, INDICATOR_FIELDS))  # fmt: skip
    return indicator


@transaction.atomic
def delete_indicator(*, actor, indicator: Indicator) -> None:
    require_supervisor(actor)
    before = snapshot(indicator, INDICATOR_FIELDS)
    record(actor=actor, action="assessment.indicator.delete", obj=indicator, before=before)
    indicator.delete()


@transaction.atomic
def enter_manual_score(
    *,
    actor,
    scheme: Scheme,
    period: str,
    unit,
    indicator: Indicator,
    points: Decimal,
    reason: str,
    checked=None,
) -> ManualScore:
    """Score a unit on a manual indicator for a period; entering it again replaces the earlier score."""
    require_supervisor(actor)
    _check_period(scheme, period)
    if indicator.scheme_id != scheme.pk or indicator.kind != Indicator.Kind.MANUAL:
        raise AssessmentError(_("Choose a manual indicator of this scheme."))
    if not reason.strip():
        raise AssessmentError(_("Give the reason for the score."))
    entry = ManualScore.objects.filter(scheme=scheme, period=period, unit=unit, indicator=indicator).first()
    before = snapshot(entry, ["points", "reason", "evidence_name"]) if entry else None
    entry = entry or ManualScore(scheme=scheme, period=period, unit=unit, indicator=indicator)
    entry.points, entry.reason, entry.entered_by = points, reason.strip(), actor
    if checked is not None:
        entry.evidence_name = checked.name[:200]
        entry.evidence.save(checked.name, ContentFile(checked.content), save=False)
    entry.save()
    record(actor=actor, action="assessment.manual_score.save", obj=entry, before=before,
           after=snapshot(entry, ["period", "unit_id", "indicator_id", "points", "reason", "evidence_name"]))  # fmt: skip
    return entry


@transaction.atomic
def delete_manual_score(*, actor, entry: ManualScore) -> None:
    require_supervisor(actor)
    record(actor=actor, action="assessment.manual_score.delete", obj=entry,
           before=snapshot(entry, ["period", "unit_id", "indicator_id", "points", "reason"]))  # fmt: skip
    entry.delete()


@transaction.atomic
def add_adjustment(
    *, actor, scheme: Scheme, period: str, unit, kind: str, points: Decimal, reason: str
) -> Adjustment:
    """A bonus or a deduction for a unit in a period, with its reason."""
    require_supervisor(actor)
    _check_period(scheme, period)
    if points <= 0:
        raise AssessmentError(_("Points must be positive; choose bonus or deduction for the direction."))
    if not reason.strip():
        raise AssessmentError(_("Give the reason for the bonus or deduction."))
    entry = Adjustment.objects.create(scheme=scheme, period=period, unit=unit, kind=kind, points=points,
                                      reason=reason.strip(), entered_by=actor)  # fmt: skip
    record(actor=actor, action="assessment.adjustment.create", obj=entry,
           after=snapshot(entry, ["period", "unit_id", "kind", "points", "reason"]))  # fmt: skip
    return entry


@transaction.atomic
def delete_adjustment(*, actor, entry: Adjustment) -> None:
    require_supervisor(actor)
    record(actor=actor, action="assessment.adjustment.delete", obj=entry,
           before=snapshot(entry, ["period", "unit_id", "kind", "points", "reason"]))  # fmt: skip
    entry.delete()
