"""Every score can be recomputed by hand from the records it links to (issue 3, "Must show")."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tuijin.assessment import services
from tuijin.supervision.models import Order, Warning
from tuijin.tasks.models import Report, Task, TaskState

from .conftest import add_indicator, make_order, make_report, make_warning


def cents(x) -> Decimal:
    return Decimal(str(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.django_db
def test_it_scores_a_unit_exactly_as_a_person_would_from_the_linked_records(client, june, scheme, sup, unit_a,
                                                                             alice):  # fmt: skip
    add_indicator(scheme, "进展报送及时率", "report_timeliness", 15)
    add_indicator(scheme, "督办单扣分", "orders_received", 10)
    make_report(june["a2"], unit_a, alice)
    make_report(june["later"], unit_a, alice, late=True)
    make_order(june["a2"], unit_a, "orange", number=3)
    make_warning(june["later"], "yellow", datetime.date(2026, 6, 25), kind="progress")
    round_ = services.compute_round(actor=sup, scheme=scheme, period="2026-06")
    scores = {s.indicator_name: s for s in round_.scores.filter(unit=unit_a)}

    # 按期办结率: the linked tasks, each read afresh — closed on or before its deadline?
    linked = scores["按期办结率"].sources
    tasks = [Task.objects.get(code=s["code"]) for s in linked]
    on_time = [
        t.state == TaskState.CLOSED and timezone.localtime(t.closed_at).date() <= t.deadline for t in tasks
    ]
    assert all(datetime.date(2026, 6, 1) <= t.deadline <= datetime.date(2026, 6, 30) for t in tasks)
    rate = sum(on_time) / len(tasks)
    assert scores["按期办结率"].value == rate
    assert scores["按期办结率"].points == cents(-20 * (1 - rate))

    # 进展报送及时率: reports by their code, on time unless flagged late; a task link is a report never filed.
    linked = scores["进展报送及时率"].sources
    filed = [Report.objects.get(code=s["code"]) for s in linked if s["kind"] == "report"]
    assert all(r.unit == unit_a and r.period == "2026-06" for r in filed)
    rate = sum(not r.is_late for r in filed) / len(linked)
    assert scores["进展报送及时率"].points == cents(-15 * (1 - rate))

    # 预警扣分 and 督办单扣分: the warnings and orders by id, by level.
    warnings = [Warning.objects.get(pk=s["code"]) for s in scores["预警扣分"].sources]
    assert scores["预警扣分"].points == cents(-sum({"red": 1, "yellow": 0.5}[w.level] for w in warnings))
    orders = [Order.objects.get(pk=s["code"]) for s in scores["督办单扣分"].sources]
    assert scores["督办单扣分"].points == cents(
        -sum({"blue": 1, "orange": 2, "red": 3}[o.level] for o in orders)
    )

    # The total is the base plus the points shown, and the score sheet links to each record.
    result = round_.results.get(unit=unit_a)
    assert result.total == 100 + sum(s.points for s in scores.values())
    client.force_login(sup)
    page = client.get(reverse("score_detail", args=[round_.code, unit_a.code])).content.decode()
    for score in scores.values():
        assert score.formula in page
        for src in score.sources:
            assert f'href="{src["url"]}"' in page
    assert client.get(scores["按期办结率"].sources[0]["url"]).status_code == 200
