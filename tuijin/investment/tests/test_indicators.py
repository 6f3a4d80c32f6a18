"""Assessment indicators from the pipeline: every unit measured at once, against its target and time, with the
projects each figure came from. (The suite's clock: 2021-11-26.)"""

import datetime
from decimal import Decimal

import pytest

from tuijin.assessment import registry
from tuijin.investment import services
from tuijin.investment.indicators import register_indicators, targets
from tuijin.investment.models import MeasureBinding, ProjectKind, Stage
from tuijin.tasks import services as task_services
from tuijin.tasks.models import Plan, Task

from .conftest import make_project, sign

D = datetime.date
YEAR = (D(2021, 1, 1), D(2021, 12, 31))


@pytest.fixture(autouse=True)
def registered():
    register_indicators()


def measure(code, units, period=YEAR, params=None):
    entry = registry.get(code)
    return entry.func(list(units), *period, Task.objects.all(), params or {})


@pytest.fixture
def pipeline(ivan, vera, enterprise, unit_a, sector_b, head):
    a1 = make_project(ivan, enterprise, unit_a, head, name="甲一")
    sign(ivan, a1, D(2021, 3, 1), "50000")
    services.sign_again(
        actor=ivan, project=a1, agreement_type="formal", date=D(2021, 5, 1), amount=Decimal("60000")
    )
    services.move_stage(actor=ivan, project=a1, to_stage=Stage.REGISTERED, date=D(2021, 6, 1),
                        registered_capital=Decimal("1000"))  # fmt: skip
    services.move_stage(actor=ivan, project=a1, to_stage=Stage.STARTED, date=D(2021, 9, 1))
    services.update_project(actor=ivan, project=a1, funds_arrived=Decimal("30000"))
    a2 = make_project(
        ivan, enterprise, unit_a, head, name="甲二增资", kind=ProjectKind.INCREASE, base_project=a1
    )
    sign(ivan, a2, D(2021, 7, 1), "80000", increment="20000")
    old = make_project(ivan, enterprise, unit_a, head, name="甲旧", stage_since=D(2020, 5, 1))
    sign(ivan, old, D(2020, 6, 1), "10000")
    b1 = make_project(vera, enterprise, sector_b, head, name="乙一")
    sign(vera, b1, D(2021, 4, 1), "10000")
    return a1, a2, b1


def bind(sup, unit, metric, quantity, unit_kind="家", **filters):
    plan, _ = Plan.objects.get_or_create(
        name="2021年清单", defaults={"year": 2021, "start_date": D(2021, 1, 1)}
    )
    task = task_services.create_task(actor=sup, plan=plan, title=f"{unit} {metric}", lead_units=[unit],
                                     measure_quantity=Decimal(quantity), measure_unit=unit_kind, limit_text="年底前")  # fmt: skip
    return services.bind_measure(actor=sup, task=task, metric=metric, year=2021, sector=unit, **filters)


def test_it_registers_the_four_indicators():
    codes = dict(registry.choices())
    assert {"investment.signed_count", "investment.signed_amount", "investment.start_rate",
            "investment.funds_rate"} <= set(codes)  # fmt: skip


def test_it_measures_signings_against_the_target_for_the_time_gone_by(pipeline, sup, unit_a, sector_b, head,
                                                                      django_assert_max_num_queries):  # fmt: skip
    bind(sup, unit_a, MeasureBinding.Metric.SIGNED_COUNT, 4)
    bind(sup, unit_a, MeasureBinding.Metric.SIGNED_COUNT, 1, category=head)  # a sub-target: not added
    with django_assert_max_num_queries(3):
        result = measure("investment.signed_count", [unit_a, sector_b])
    share = 330 / 365  # 1 January to 26 November
    a = result[unit_a.pk]
    assert a.value == pytest.approx(2 / (4 * share))  # once per project; the 2020 signing is not 2021's
    assert "2 / " in a.formula and "90.4%" in a.formula
    assert [s["label"] for s in a.sources] == ["甲一", "甲二增资"]
    assert a.sources[0]["url"].startswith("/investment/projects/")
    assert result[sector_b.pk].value == 1.0 and "no target" in result[sector_b.pk].formula


def test_it_counts_the_increase_only_in_the_amount(pipeline, sup, unit_a, sector_b):
    result = measure(
        "investment.signed_amount", [unit_a, sector_b], params={"targets": {"中原科技城管委会": 10}}
    )
    a = result[unit_a.pk]
    # 6亿 (re-signed: once, at the latest amount) + 2亿 (the increase of 8亿) = 8亿 of 10亿 × 90.4 %
    assert a.value == pytest.approx(min(8 / (10 * 330 / 365), 1.0))
    assert "8.00亿元" in a.formula
    assert result[sector_b.pk].value == 1.0


def test_it_reads_the_amount_target_from_a_bound_task_in_yi(pipeline, sup, unit_a):
    bind(sup, unit_a, MeasureBinding.Metric.SIGNED_AMOUNT, 20, unit_kind="亿元")
    assert targets([unit_a], 2021, MeasureBinding.Metric.SIGNED_AMOUNT, {}) == {unit_a.pk: Decimal("200000")}


def test_it_measures_the_start_rate_and_the_funds_rate(pipeline, unit_a, sector_b):
    start = measure("investment.start_rate", [unit_a, sector_b])
    assert start[unit_a.pk].value == 0.5 and start[sector_b.pk].value == 0.0
    assert [s["counted"] for s in start[unit_a.pk].sources] == [True, False]
    funds = measure("investment.funds_rate", [unit_a, sector_b])
    assert funds[unit_a.pk].value == pytest.approx(30000 / 80000)
    # a quarter measured alone: only what was signed in it
    q2 = measure("investment.start_rate", [unit_a], period=(D(2021, 4, 1), D(2021, 6, 30)),
                 params={"cumulative": False})  # fmt: skip
    assert q2[unit_a.pk].value == 1.0 and "full marks" in q2[unit_a.pk].formula


def test_it_measures_a_quarter_as_the_year_so_far(pipeline, sup, unit_a):
    bind(sup, unit_a, MeasureBinding.Metric.SIGNED_COUNT, 4)
    q1 = measure("investment.signed_count", [unit_a], period=(D(2021, 1, 1), D(2021, 3, 31)))
    assert q1[unit_a.pk].value == pytest.approx(min(1 / (4 * 90 / 365), 1.0))
    assert "capped" in q1[unit_a.pk].formula


def test_it_scores_a_round_of_a_scheme_with_the_pipeline_indicators(pipeline, sup, unit_a, sector_b):
    from tuijin.assessment import services as assessment
    from tuijin.assessment.models import Indicator, Method, PeriodKind, Scheme, Score

    bind(sup, unit_a, MeasureBinding.Metric.SIGNED_COUNT, 2)
    bind(sup, sector_b, MeasureBinding.Metric.SIGNED_COUNT, 4)
    scheme = Scheme.objects.create(name="招商引资年度考核", method=Method.WEIGHTED, period_kind=PeriodKind.YEAR,
                                   groups=["sector"])  # fmt: skip
    scheme.plans.set(Plan.objects.filter(name="2021年清单"))
    for position, (code, weight) in enumerate([("investment.signed_count", 40), ("investment.start_rate", 30),
                                               ("investment.funds_rate", 30)], start=1):  # fmt: skip
        Indicator.objects.create(scheme=scheme, name=code, calculator=code, weight=Decimal(weight),
                                 kind=Indicator.Kind.AUTO, position=position)  # fmt: skip
    round_ = assessment.compute_round(actor=sup, scheme=scheme, period="2021")
    scores = {(s.unit_id, s.indicator_name): s for s in Score.objects.filter(round=round_)}
    a = scores[(unit_a.pk, "investment.signed_count")]
    assert a.value == 1.0 and a.sources[0]["kind"] == "project"  # 2 signed ≥ 2 × 90.4 %: capped at 1
    b = scores[(sector_b.pk, "investment.signed_count")]
    assert b.value == pytest.approx(1 / (4 * 330 / 365))
    assert scores[(unit_a.pk, "investment.start_rate")].value == 0.5
