"""The demo's assessment: a monthly base-100 scheme over the illustrative plans, with last month's round
computed and published (PRODUCT.md §5). The demo loader calls `load_demo_assessment()`; calling it again
changes nothing."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tuijin.org.models import Role, Unit, UnitKind, User
from tuijin.tasks.models import Plan, TaskUnit

from . import services
from .models import Adjustment, Indicator, Method, PeriodKind, Round, Scheme
from .periods import previous_period

SCHEME_NAME = "核心板块月度督查考核"
INDICATORS = [
    # name, kind, calculator, points, params
    ("按期办结率", Indicator.Kind.AUTO, "on_time_closure", 20, {}),
    ("节点完成率", Indicator.Kind.AUTO, "milestone_hits", 15, {}),
    ("进展报送及时率", Indicator.Kind.AUTO, "report_timeliness", 15, {}),
    ("序时进度完成情况", Indicator.Kind.AUTO, "progress_against_time", 20, {}),
    ("预警扣分", Indicator.Kind.AUTO, "warnings_received", 10, {"points": {"yellow": 0.5, "red": 1}}),
    (
        "督办单扣分",
        Indicator.Kind.AUTO,
        "orders_received",
        10,
        {"weights": {"blue": 1, "orange": 2, "red": 3}},
    ),
    ("加分项", Indicator.Kind.ADJUSTMENT, "", 5, {}),
]


def _supervisor() -> User | None:
    return User.objects.filter(memberships__role=Role.SUPERVISOR).order_by("pk").first()


def _scheme(actor) -> Scheme:
    scheme = Scheme.objects.filter(name=SCHEME_NAME).first()
    if scheme:
        return scheme
    plans = list(Plan.objects.filter(is_illustrative=True).exclude(kind=Plan.Kind.EVENT))
    scheme = services.save_scheme(
        actor=actor, plans=plans, name=SCHEME_NAME, method=Method.BASE100, base_score=Decimal(100),
        period_kind=PeriodKind.MONTH, groups=[UnitKind.SECTOR, UnitKind.DEPARTMENT, UnitKind.DISTRICT],
        grade_bands=[[90, "优秀"], [80, "良好"], [60, "合格"], [0, "不合格"]], circular_subject="核心板块",
        description="演示数据。每月对牵头重点任务的按期办结、节点完成、进展报送、序时进度和预警督办情况"
                    "进行考核，基础分100分，加减分按规定计入，排名按板块和部门分组。",
    )  # fmt: skip
    for position, (name, kind, calculator, points, params) in enumerate(INDICATORS, start=1):
        services.save_indicator(actor=actor, scheme=scheme, name=name, kind=kind, calculator=calculator,
                                weight=Decimal(points), params=params, position=position)  # fmt: skip
    return scheme


def _bonus(actor, scheme: Scheme, period: str) -> None:
    """One bonus, for the first sector leading a covered task: an affirmative instruction (肯定性批示)."""
    if actor is None or Adjustment.objects.filter(scheme=scheme, period=period).exists():
        return
    leading = TaskUnit.objects.filter(role=TaskUnit.LEAD, task__plan__in=scheme.plans.all()).values("unit_id")
    unit = Unit.objects.filter(pk__in=leading, kind=UnitKind.SECTOR).order_by("sort_order", "name").first()
    if unit:
        services.add_adjustment(actor=actor, scheme=scheme, period=period, unit=unit, kind=Adjustment.Kind.BONUS,
                                points=Decimal(2), reason="重点任务推进成效获市领导肯定性批示（演示）")  # fmt: skip


def load_demo_assessment() -> Round | None:
    """The demo scheme and last month's published round; None when there are no illustrative plans."""
    if not Plan.objects.filter(is_illustrative=True).exists():
        return None
    with transaction.atomic():
        actor = _supervisor()
        scheme = _scheme(actor)
        period = previous_period(scheme.period_kind, timezone.localdate())
        published = Round.objects.filter(scheme=scheme, period=period, state=Round.State.PUBLISHED).first()
        if published:
            return published
        _bonus(actor, scheme, period)
        round_ = services.compute_round(actor=actor, scheme=scheme, period=period)
        services.review_round(actor=actor, round=round_)
        return services.publish_round(actor=actor, round=round_)
