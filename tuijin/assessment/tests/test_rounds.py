"""Computing, reviewing and publishing rounds: totals, grades, ranks, versions, vetoes and freezing."""

import datetime
from decimal import Decimal

import pytest

from tuijin.assessment import services
from tuijin.assessment.models import Adjustment, Indicator, ManualScore, Method, Result, Round, Score
from tuijin.core.models import AuditEvent
from tuijin.tasks.models import Task, TaskState

from .conftest import add_indicator, aware, make_order, make_warning


def results(round_):
    return {r.unit.name: (r.total, r.grade, r.rank, r.vetoed) for r in round_.results.select_related("unit")}


@pytest.mark.django_db
def test_it_scores_base_100_and_ranks_each_group_with_ties(june, scheme, sup):
    round_ = services.compute_round(actor=sup, scheme=scheme, period="2026-06")
    assert results(round_) == {
        "中原科技城管委会": (Decimal("89.00"), "良好", 2, False),
        "白沙科学谷管委会": (Decimal("100.00"), "优秀", 1, False),
        "市科技局": (Decimal("80.00"), "良好", 3, False),
        "市商务局": (Decimal("100.00"), "优秀", 1, False),
        "市工信局": (Decimal("100.00"), "优秀", 1, False),
    }
    assert {r.group for r in round_.results.all()} == {"sector", "department"}
    assert (round_.version, round_.state) == (1, Round.State.COMPUTED)
    assert round_.scores.count() == 10
    assert round_.summary["due"] == 6 and round_.summary["on_time"] == 4
    assert round_.summary["overdue"] == 1  # 完成征地1200亩, due 15 June, still open
    assert AuditEvent.objects.filter(action="assessment.round.compute", object_id=str(round_.pk)).exists()


@pytest.mark.django_db
def test_it_scores_the_weighted_method(june, scheme, sup):
    scheme.method = Method.WEIGHTED
    scheme.save()
    Indicator.objects.filter(scheme=scheme, calculator="on_time_closure").update(weight=Decimal(80))
    Indicator.objects.filter(scheme=scheme, calculator="warnings_received").update(weight=Decimal(20))
    round_ = services.compute_round(actor=sup, scheme=scheme, period="2026-06")
    # unit_a: 80 × 50 % + (20 − 1) = 59
    assert results(round_)["中原科技城管委会"][:2] == (Decimal("59.00"), "不合格")
    assert results(round_)["市商务局"][0] == Decimal("100.00")


@pytest.mark.django_db
def test_it_adds_manual_scores_and_capped_adjustments(june, scheme, sup, unit_a, unit_d):
    leadership = add_indicator(scheme, "领导评价", kind=Indicator.Kind.MANUAL, weight=5)
    add_indicator(scheme, "加减分", kind=Indicator.Kind.ADJUSTMENT, weight=3)
    services.enter_manual_score(actor=sup, scheme=scheme, period="2026-06", unit=unit_a, indicator=leadership,
                                points=Decimal("-2"), reason="材料报送不规范")  # fmt: skip
    for points, kind in ((2, "bonus"), (2, "bonus"), (1, "deduction")):
        services.add_adjustment(actor=sup, scheme=scheme, period="2026-06", unit=unit_d, kind=kind,
                                points=Decimal(points), reason="批示")  # fmt: skip
    round_ = services.compute_round(actor=sup, scheme=scheme, period="2026-06")
    assert results(round_)["中原科技城管委会"][0] == Decimal("87.00")
    assert results(round_)["白沙科学谷管委会"][0] == Decimal("102.00")  # bonuses 4 capped at 3, minus 1
    line = round_.scores.get(unit=unit_d, indicator_name="加减分")
    assert "capped at 3.00" in line.formula
    assert len(line.sources) == 3


@pytest.mark.django_db
def test_it_applies_adjustments_even_without_an_adjustment_indicator(june, scheme, sup, unit_d):
    services.add_adjustment(actor=sup, scheme=scheme, period="2026-06", unit=unit_d, kind="deduction",
                            points=Decimal("7.5"), reason="会议缺席")  # fmt: skip
    round_ = services.compute_round(actor=sup, scheme=scheme, period="2026-06")
    assert results(round_)["白沙科学谷管委会"][0] == Decimal("92.50")
    assert round_.scores.filter(unit=unit_d, indicator__isnull=True).get().points == Decimal("-7.50")


@pytest.mark.django_db
def test_it_gives_a_unit_failing_a_veto_item_the_lowest_grade_and_the_last_rank(
    june, scheme, sup, unit_a, unit_d
):
    add_indicator(scheme, "红色督办单一票否决", "orders_received", 0, veto=True,
                  params={"weights": {"red": 1}, "veto_threshold": 0})  # fmt: skip
    make_order(june["later"], unit_d, "red", number=9)
    make_order(june["a2"], unit_a, "orange", number=10)
    round_ = services.compute_round(actor=sup, scheme=scheme, period="2026-06")
    assert results(round_)["白沙科学谷管委会"] == (Decimal("100.00"), "不合格", 2, True)
    assert results(round_)["中原科技城管委会"] == (Decimal("89.00"), "良好", 1, False)
    line = round_.scores.get(unit=unit_d, indicator_name="红色督办单一票否决")
    assert (line.points, line.vetoed) == (Decimal("0.00"), True)
    assert "veto item failed" in line.formula
    assert round_.summary["red_orders"] == {str(unit_d.pk): 1}


@pytest.mark.django_db
def test_it_makes_a_new_version_each_time_and_keeps_the_old(june, scheme, sup):
    first = services.compute_round(actor=sup, scheme=scheme, period="2026-06")
    second = services.compute_round(actor=sup, scheme=scheme, period="2026-06")
    assert (first.version, second.version) == (1, 2)
    assert Round.objects.filter(scheme=scheme, period="2026-06").count() == 2


@pytest.mark.django_db
def test_it_freezes_a_published_round_against_later_changes(june, scheme, sup):
    round_ = services.compute_round(actor=sup, scheme=scheme, period="2026-06")
    services.review_round(actor=sup, round=round_)
    round_ = services.publish_round(actor=sup, round=round_)
    before = results(round_)
    scores_before = list(Score.objects.filter(round=round_).values_list("points", "formula", "sources"))
    # Later: the overdue task is closed, a warning appears, the scheme changes.
    Task.objects.filter(pk=june["a2"].pk).update(
        state=TaskState.CLOSED, closed_at=aware(datetime.date(2026, 6, 14))
    )
    make_warning(june["d1"], "red", datetime.date(2026, 6, 20), kind="progress")
    scheme.grade_bands = [[0, "合格"]]
    scheme.save()
    Indicator.objects.filter(scheme=scheme).update(weight=Decimal(50))
    round_.refresh_from_db()
    assert results(round_) == before
    assert (
        list(Score.objects.filter(round=round_).values_list("points", "formula", "sources")) == scores_before
    )
    again = services.compute_round(actor=sup, scheme=scheme, period="2026-06")
    assert again.version == 2
    assert results(again)["中原科技城管委会"][0] == Decimal(
        "99.00"
    )  # closed in time now; the red warning stays
    assert results(again)["白沙科学谷管委会"][:2] == (Decimal("99.00"), "合格")


@pytest.mark.django_db
def test_it_publishes_only_a_reviewed_latest_version_and_numbers_the_circular(june, scheme, sup):
    first = services.compute_round(actor=sup, scheme=scheme, period="2026-06")
    with pytest.raises(services.AssessmentError):
        services.publish_round(actor=sup, round=first)
    services.review_round(actor=sup, round=first)
    services.compute_round(actor=sup, scheme=scheme, period="2026-06")
    with pytest.raises(services.AssessmentError, match="newer version"):
        services.publish_round(actor=sup, round=first)
    may = services.compute_round(actor=sup, scheme=scheme, period="2026-05")
    services.review_round(actor=sup, round=may)
    may = services.publish_round(actor=sup, round=may)
    assert may.document_number == "督考〔2026〕1号"
    assert may.published_by == sup
    assert AuditEvent.objects.filter(action="assessment.round.publish", object_id=str(may.pk)).exists()
    with pytest.raises(services.AssessmentError):
        services.review_round(actor=sup, round=may)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "alice", "charlie", "auditor"])
def test_it_lets_only_the_supervision_office_compute_and_publish(june, scheme, sup, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(services.AssessmentError):
        services.compute_round(actor=user, scheme=scheme, period="2026-06")
    round_ = services.compute_round(actor=sup, scheme=scheme, period="2026-06")
    with pytest.raises(services.AssessmentError):
        services.review_round(actor=user, round=round_)
    with pytest.raises(services.AssessmentError):
        services.add_adjustment(actor=user, scheme=scheme, period="2026-06", unit=round_.results.first().unit,
                                kind="bonus", points=Decimal(1), reason="x")  # fmt: skip
    assert not Adjustment.objects.exists() and not ManualScore.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_period_that_does_not_fit_the_scheme_and_a_missing_calculator(june, scheme, sup):
    with pytest.raises(services.AssessmentError, match="2026-06"):
        services.compute_round(actor=sup, scheme=scheme, period="2026-Q2")
    add_indicator(scheme, "招商签约额", "investment.no_such_measure")  # a calculator nobody registered
    with pytest.raises(services.AssessmentError, match="招商签约额"):
        services.compute_round(actor=sup, scheme=scheme, period="2026-06")
    assert not Round.objects.exists()


@pytest.mark.django_db
def test_it_leaves_out_units_with_nothing_to_do_and_units_outside_the_groups(
    june, scheme, sup, office, unit_c
):
    scheme.groups = ["sector"]
    scheme.save()
    round_ = services.compute_round(actor=sup, scheme=scheme, period="2026-06")
    assert set(Result.objects.filter(round=round_).values_list("unit__name", flat=True)) == {
        "中原科技城管委会", "白沙科学谷管委会"}  # fmt: skip
