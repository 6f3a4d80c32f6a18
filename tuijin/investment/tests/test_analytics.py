"""The analytics page: every figure equals the count of the list it drills into, and the figures follow the counting
rules with repeated signings, capital increases, upgrades, moves back and drops. (The suite's clock: 2021-11-26.)"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tuijin.investment import analytics, services
from tuijin.investment.models import MeasureBinding, Project, ProjectKind, Stage
from tuijin.tasks import services as task_services
from tuijin.tasks.models import Plan

from .conftest import OTHER_VALID_CODE, make_project, sign

D = datetime.date
FIGURE_LINK = re.compile(
    r'<a href="([^"]+)" data-testid="(funnel-count|stay-count|rate-count|rate-of|figure-signed|figure-dropped|'
    r'breakdown-signed|batch-count)"[^>]*>\s*(\d+)'
)


def move(actor, project, stage, day, **extra):
    return services.move_stage(actor=actor, project=project, to_stage=stage, date=day, **extra)


@pytest.fixture
def story(ivan, vera, enterprise, unit_a, sector_b, head, hightech):
    """A year of one sector's pipeline, and one project of another sector (vera's)."""
    p1 = make_project(ivan, enterprise, unit_a, head, name="鲲鹏生态创新中心", stage_since=D(2021, 1, 4))
    sign(ivan, p1, D(2021, 3, 1), "50000")  # framework agreement …
    services.sign_again(actor=ivan, project=p1, agreement_type="formal", date=D(2021, 4, 1),
                        amount=Decimal("80000"))  # … then the formal one: counts once, at 8亿  # fmt: skip
    move(ivan, p1, Stage.REGISTERED, D(2021, 5, 1), registered_capital=Decimal("5000"))
    move(ivan, p1, Stage.LANDED, D(2021, 6, 1))
    move(ivan, p1, Stage.STARTED, D(2021, 8, 2))
    services.update_project(actor=ivan, project=p1, funds_arrived=Decimal("30000"))
    increase = make_project(ivan, enterprise, unit_a, head, name="鲲鹏二期增资", kind=ProjectKind.INCREASE,
                            base_project=p1, stage_since=D(2021, 6, 1))  # fmt: skip
    sign(ivan, increase, D(2021, 7, 1), "100000", increment="20000")  # only the 2亿 increase counts
    services.update_project(actor=ivan, project=increase, funds_arrived=Decimal("10000"))
    upgrade = make_project(ivan, enterprise, unit_a, hightech, name="鲲鹏产线升级", kind=ProjectKind.UPGRADE,
                           base_project=p1, stage_since=D(2021, 8, 1))  # fmt: skip
    sign(ivan, upgrade, D(2021, 9, 1), "50000", increment="15000")
    old = make_project(ivan, enterprise, unit_a, head, name="去年签约项目", stage_since=D(2020, 10, 1))
    sign(ivan, old, D(2020, 12, 1), "30000")
    services.sign_again(actor=ivan, project=old, agreement_type="formal", date=D(2021, 2, 1),
                        amount=Decimal("40000"))  # signed again in 2021: still a 2020 signing  # fmt: skip
    other = services.create_enterprise(actor=ivan, name="中原量子科技有限公司", credit_code=OTHER_VALID_CODE)
    dropped = make_project(ivan, other, unit_a, hightech, name="量子计算实验室", stage_since=D(2021, 1, 10),
                           stage=Stage.NEGOTIATING)  # fmt: skip
    sign(ivan, dropped, D(2021, 2, 1), "20000")
    move(ivan, dropped, Stage.DROPPED, D(2021, 10, 8), reason="企业战略调整")
    talks = make_project(ivan, other, unit_a, head, name="量子通信总部", stage_since=D(2021, 3, 1))
    move(ivan, talks, Stage.NEGOTIATING, D(2021, 4, 15))
    lead = make_project(ivan, other, unit_a, head, name="量子传感中试基地", stage_since=D(2021, 5, 1))
    elsewhere = make_project(vera, other, sector_b, head, name="白沙量子谷", stage_since=D(2021, 2, 1))
    sign(vera, elsewhere, D(2021, 5, 1), "60000")
    return {"p1": p1, "increase": increase, "upgrade": upgrade, "old": old, "dropped": dropped, "talks": talks,
            "lead": lead, "elsewhere": elsewhere}  # fmt: skip


def page(client, user, url=None, **params):
    client.force_login(user)
    response = client.get(url or reverse("investment_analytics"), params)
    assert response.status_code == 200
    return response


def drilled_count(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


@pytest.mark.parametrize("who", ["ivan", "sup", "olga"])
def test_it_shows_figures_that_equal_the_lists_they_drill_into(request, client, story, who):
    """MUST SHOW: funnel and rate figures equal the counts of the lists they drill into."""
    user = request.getfixturevalue(who)
    for params in ({}, {"year": ""}, {"year": "2020"}, {"category": str(story["p1"].category_id)}):
        html = page(client, user, **params).content.decode()
        links = FIGURE_LINK.findall(html)
        kinds = {kind for _url, kind, _n in links}
        funds = (
            re.search(r'<a href="([^"]+)" data-testid="funds-arrived">', html).group(1).replace("&amp;", "&")
        )
        drilled = client.get(funds)
        assert drilled.context["funds"] == page(client, user, **params).context["rates"]["funds"]
        assert {"funnel-count", "rate-count", "rate-of", "figure-signed", "stay-count"} <= kinds, params
        for url, kind, shown in links:
            url = url.replace("&amp;", "&")
            assert drilled_count(client, url) == int(shown), (who, params, kind, url)
    html = page(client, user, reverse("investment_analytics_batches")).content.decode()
    links = FIGURE_LINK.findall(html)
    assert links
    for url, _kind, shown in links:
        assert drilled_count(client, url.replace("&amp;", "&")) == int(shown)


def test_it_counts_once_at_the_first_signing_only_the_increase_and_only_the_upgrade(story, ivan, unit_a):
    """MUST SHOW: the counting rules hold with repeated signings, capital increases and upgrades."""
    filters = analytics.Filters(year=2021, sector=unit_a)
    figures = analytics.rates(ivan, filters)
    # p1 (re-signed: once, at its latest 8亿), the increase (2亿 of 10亿), the upgrade (1.5亿 of 5亿), the dropped
    # one (2亿, signed before it was dropped); the 2020 project signed again in 2021 is not a 2021 signing.
    assert figures["signed"] == 4
    assert figures["amount"] == Decimal("80000") + Decimal("20000") + Decimal("15000") + Decimal("20000")
    assert analytics.rates(ivan, analytics.Filters(year=2020))["signed"] == 1
    assert figures["dropped"] == 1
    by_key = {r["key"]: r for r in figures["rates"]}
    assert (by_key["performance"]["count"], by_key["landing"]["count"], by_key["start"]["count"]) == (1, 1, 1)
    assert by_key["operation"]["count"] == 0
    assert by_key["start"]["rate"] == pytest.approx(25.0)
    assert by_key["funds"]["count"] == Decimal("40000")  # funds arrived on p1 and the increase
    assert by_key["funds"]["rate"] == pytest.approx(40000 * 100 / 135000)
    # the page's totals agree with the model's counting (never a Sum of contract amounts)
    assert Project.objects.visible_to(ivan).counted_signings(year=2021).signed_total() == {
        "count": 4, "amount": figures["amount"]}  # fmt: skip


def test_it_takes_back_a_reach_that_did_not_happen_but_never_the_signing(client, story, ivan, unit_a):
    p1 = story["p1"]
    move(ivan, p1, Stage.REGISTERED, D(2021, 9, 1), reason="选址变更，落地推迟")
    filters = analytics.Filters(year=2021, sector=unit_a)
    by_key = {r["key"]: r for r in analytics.rates(ivan, filters)["rates"]}
    assert (by_key["performance"]["count"], by_key["landing"]["count"], by_key["start"]["count"]) == (1, 0, 0)
    assert analytics.rates(ivan, filters)["signed"] == 4
    funnel = {row["stage"]: row["count"] for row in analytics.funnel(ivan, filters)}
    assert funnel[Stage.SIGNED] == 4 and funnel[Stage.LANDED] == 0


def test_it_builds_the_funnel_of_the_years_intake(story, ivan, unit_a):
    funnel = {
        row["stage"]: row["count"]
        for row in analytics.funnel(ivan, analytics.Filters(year=2021, sector=unit_a))
    }
    # entered in 2021: p1, the increase, the upgrade, the dropped one, the talks, the lead (the old one in 2020)
    assert funnel == {Stage.LEAD: 6, Stage.NEGOTIATING: 5, Stage.SIGNED: 4, Stage.REGISTERED: 1, Stage.LANDED: 1,
                      Stage.STARTED: 1, Stage.OPERATING: 0}  # fmt: skip
    assert analytics.dropped_of_intake(ivan, analytics.Filters(year=2021)) == 1


def test_it_measures_the_time_spent_in_each_stage(story, ivan):
    filters = analytics.Filters(year=2021)
    times = {row["stage"]: row for row in analytics.stage_times(ivan, filters, D(2021, 11, 26))}
    stays = analytics.stays(ivan, filters)
    p1, dropped = story["p1"].pk, story["dropped"].pk
    # p1: a lead 56 days (4 Jan → 1 Mar), signed 61 (→ 1 May), registered 31 (→ 1 Jun), landed 62 (→ 2 Aug)
    assert stays[Stage.LEAD][p1] == 56 and stays[Stage.SIGNED][p1] == 61
    assert stays[Stage.REGISTERED][p1] == 31 and stays[Stage.LANDED][p1] == 62
    # the dropped one negotiated 22 days and stayed signed 249 until dropped; the 2020 signing is still signed
    assert stays[Stage.NEGOTIATING][dropped] == 22 and stays[Stage.SIGNED][dropped] == 249
    assert times[Stage.SIGNED]["count"] == 2 and times[Stage.SIGNED]["median"] == 155
    assert times[Stage.SIGNED]["mean"] == 155.0
    assert times[Stage.SIGNED]["now"] == 3  # the 2020 project, the increase and the upgrade
    assert times[Stage.STARTED]["now"] == 1 and times[Stage.STARTED]["count"] == 0


def test_it_compares_progress_with_the_annual_target_and_time(client, story, sup, ivan, unit_a):
    plan = Plan.objects.create(name="2021年中原科技城建设重点任务清单", year=2021, start_date=D(2021, 1, 1))
    task = task_services.create_task(actor=sup, plan=plan, number="1", title="引进头部企业等各类主体", lead_units=[unit_a],
                                     measure_quantity=Decimal(5), measure_unit="家", limit_text="年底前")  # fmt: skip
    services.bind_measure(
        actor=sup, task=task, metric=MeasureBinding.Metric.SIGNED_COUNT, year=2021, sector=unit_a
    )
    [row] = analytics.targets(ivan, 2021, D(2021, 11, 26))
    assert row["value"] == 4 and row["progress"] == 80
    assert row["elapsed"] == pytest.approx(330 * 100 / 365, abs=0.1)
    assert row["pace"] == "lagging"  # 80 % against 90.4 % of the year gone: more than 10 points behind
    html = page(client, ivan).content.decode()
    assert 'data-testid="target-row"' in html and "引进头部企业等各类主体" in html
    value_url = (
        re.search(r'<a href="([^"]+)" data-testid="target-value">4</a>', html).group(1).replace("&amp;", "&")
    )
    assert client.get(value_url).context["page"].paginator.count == 4
    assert analytics.pace(95, 90.4) == "ahead" and analytics.pace(85, 90.4) == "behind"


def test_it_lists_the_quarterly_batches(story, ivan):
    quarters = {
        q["quarter"]: q for q in analytics.batches(ivan, analytics.Filters(year=2021), D(2021, 11, 26))
    }
    names = {
        q: {b["figure"]: [p.name for p in b["projects"]] for b in quarters[q]["batches"]} for q in quarters
    }
    assert names[1]["batch_signed"] == ["量子计算实验室", "鲲鹏生态创新中心"]
    assert names[3]["batch_signed"] == ["鲲鹏二期增资", "鲲鹏产线升级"]
    assert names[3]["batch_started"] == ["鲲鹏生态创新中心"]
    assert names[2]["batch_signed"] == []  # vera's sector is not ivan's


def test_it_breaks_the_cohort_down_by_sector_category_channel_and_partner(story, sup):
    by_sector = analytics.breakdown(sup, analytics.Filters(year=2021), "sector")
    assert [(row["signed"], row["amount"]) for row in by_sector] == [
        (4, Decimal("135000")),
        (1, Decimal("60000")),
    ]
    by_category = {row["label"]: row["signed"] for row in analytics.breakdown(sup, analytics.Filters(year=2021),
                                                                                "category")}  # fmt: skip
    assert by_category == {"头部企业": 3, "高科技企业": 2}
    assert analytics.breakdown(sup, analytics.Filters(year=2021), "partner") == []


def test_it_shows_the_definitions_beside_the_rates_and_the_counting_rules(client, story, ivan):
    html = page(client, ivan).content.decode()
    assert html.count('data-testid="definition"') == 5
    assert 'data-testid="counting-rules"' in html
    assert 'id="analytics-data"' in html and "<script>" not in html.replace("<script src=", "")


def test_it_answers_404_for_an_unknown_figure(client, ivan):
    client.force_login(ivan)
    url = reverse("investment_analytics_projects")
    assert client.get(url, {"figure": "nonsense"}).status_code == 404
    assert client.get(url, {"figure": "reached", "stage": "lead"}).status_code == 404
    assert client.get(url, {"figure": "batch_signed", "quarter": "5", "year": "2021"}).status_code == 404
