"""Pages not covered by their app's tests cost the same number of queries with few or many rows: an order's page
with a longer escalation ladder, one's API tokens, the preparation templates."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tuijin.events import preparation
from tuijin.org.models import ApiToken
from tuijin.supervision import orders
from tuijin.supervision.models import Order

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=SHANGHAI)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "leader", "alice"])
def test_it_shows_an_order_with_the_same_queries_however_long_its_ladder(client, sup, task, who, request):
    first = orders.issue_order(actor=sup, task=task, level=Order.Level.REMINDER, requirement="请报送推进情况",
                               now=at(datetime.date(2026, 3, 2)))  # fmt: skip
    ladder = [first]

    def escalate(times: int) -> None:
        for _ in range(times):
            day = datetime.date(2026, 3, 2 + len(ladder))
            ladder.append(orders.escalate_order(actor=sup, order=ladder[-1], requirement="升级督办", now=at(day)))

    escalate(1)  # reminder → blue
    client.force_login(request.getfixturevalue(who))
    first_url, last_url = (reverse("order_detail", args=[o.code]) for o in (first, ladder[-1]))
    few = (queries(client, first_url), queries(client, last_url))
    escalate(2)  # → orange → red
    assert Order.objects.filter(task=task).count() == 4
    last_url = reverse("order_detail", args=[ladder[-1].code])
    assert (queries(client, first_url), queries(client, last_url)) == few


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "alice"])
def test_it_lists_api_tokens_with_the_same_queries_for_few_or_many(client, who, request):
    user = request.getfixturevalue(who)
    ApiToken.issue(user)
    client.force_login(user)
    few = queries(client, reverse("token_list"))
    for _ in range(8):
        token, _key = ApiToken.issue(user)
    token.revoked = True
    token.save(update_fields=["revoked"])
    assert queries(client, reverse("token_list")) == few


@pytest.mark.django_db
def test_it_lists_preparation_templates_with_the_same_queries_for_few_or_many(client, sup, unit_a):
    preparation.standard_template(actor=sup)
    client.force_login(sup)
    few = queries(client, reverse("events_template_list"))
    for i in range(6):
        template = preparation.create_template(actor=sup, name=f"模板{i}", description="说明")
        for j in range(3):
            preparation.add_template_item(actor=sup, template=template, title=f"事项{j}", kind="task",
                                          category="安保", workdays_before=10 - j, unit=unit_a)  # fmt: skip
    assert queries(client, reverse("events_template_list")) == few


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "leader", "alice"])
def test_it_lists_manual_scores_and_adjustments_with_the_same_queries_for_few_or_many(
    client, sup, plan, unit_a, who, request
):
    from decimal import Decimal

    from tuijin.assessment.models import Adjustment, Indicator, ManualScore, Scheme
    from tuijin.org.models import Unit, UnitKind

    scheme = Scheme.objects.create(name="核心板块月度督查考核", circular_subject="核心板块", period_kind="month")
    scheme.plans.set([plan])
    manual = Indicator.objects.create(scheme=scheme, name="现场评价", kind=Indicator.Kind.MANUAL,
                                      weight=Decimal(10), position=1)  # fmt: skip

    def more(n):
        for i in range(n):
            unit = unit_a if not ManualScore.objects.filter(unit=unit_a).exists() else Unit.objects.create(
                name=f"考核单位{Unit.objects.count()}", kind=UnitKind.SECTOR
            )
            ManualScore.objects.create(scheme=scheme, period="2026-02", unit=unit, indicator=manual,
                                       points=Decimal(5), reason=f"评价{i}", entered_by=sup)  # fmt: skip
            Adjustment.objects.create(scheme=scheme, period="2026-02", unit=unit_a, kind=Adjustment.Kind.BONUS,
                                      points=Decimal(1), reason=f"加分{i}", entered_by=sup)  # fmt: skip

    more(2)
    client.force_login(request.getfixturevalue(who))
    urls = [reverse(name, args=[scheme.code]) + "?period=2026-02" for name in ("manual_scores", "adjustments")]
    few = {url: queries(client, url) for url in urls}
    more(8)
    assert {url: queries(client, url) for url in urls} == few
