"""The programme page: a timeline of activities by day, readiness per activity and for the programme, preparation
tasks by category with the task engine's red and yellow, and a countdown in days and hours to the next activity
and the main ceremony. Its cost in queries does not grow with the number of activities."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.events import checklist, preparation, services
from tuijin.events.models import Programme
from tuijin.tasks.models import Plan

from .conftest import NOW, login


@pytest.mark.django_db
def test_it_creates_a_programme_with_a_new_event_plan(client, sup, office):
    login(client, sup)
    response = client.post(reverse("events_programme_create"), {
        "name": "2027黄河文化月", "start_date": "2027-04-01", "end_date": "2027-04-30", "organiser": office.pk,
        "categories_text": "安全、宣传，保障 交通、宣传",
    })  # fmt: skip
    programme = Programme.objects.get(name="2027黄河文化月")
    assert response["Location"] == reverse("events_programme_detail", args=[programme.code])
    assert programme.plan.kind == Plan.Kind.EVENT and programme.plan.year == 2027
    assert programme.plan.owner_unit == office
    assert programme.categories == ["安全", "宣传", "保障", "交通"]
    assert AuditEvent.objects.filter(action="events.programme.create").exists()
    assert AuditEvent.objects.filter(action="plan.create").exists()


@pytest.mark.django_db
def test_it_refuses_a_plan_that_is_not_for_an_event(client, sup, office, plan):
    login(client, sup)
    response = client.post(reverse("events_programme_create"), {
        "name": "x", "plan": plan.pk, "start_date": "2026-04-01", "end_date": "2026-03-01", "organiser": office.pk,
        "categories_text": "",
    })  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400
    for field in ("plan", "end_date", "categories_text"):
        assert f'data-field="{field}"' in page
    assert not Programme.objects.exists()


@pytest.mark.django_db
def test_it_counts_down_in_days_and_hours(ceremony, opening):
    found = services.countdowns([ceremony, opening], NOW)
    # 20 March 10:00 → 15 April 19:30 is 26 days 9½ hours; → 19 April 09:30 is 29 days 23½ hours
    assert [(c.activity.title, c.days, c.hours, c.label) for c in found] == [
        ("开幕式", 26, 9, "first"), ("拜祖大典", 29, 23, "main"),
    ]  # fmt: skip
    after_opening = NOW.replace(month=4, day=16)
    assert [(c.activity.title, c.label) for c in services.countdowns([ceremony, opening], after_opening)] == [
        ("拜祖大典", "main")
    ]
    assert services.countdowns([ceremony, opening], NOW.replace(month=5)) == []


@pytest.mark.django_db
def test_it_shows_the_programme_with_countdown_readiness_and_categories(client, sup, alice, ceremony, opening,
                                                                        template, unit_a):  # fmt: skip
    preparation.apply_template(actor=sup, activity=ceremony, template=template)
    first = ceremony.checklist.get(title="应急预案")
    checklist.sign_off(actor=alice, item=first)
    login(client, sup)
    page = client.get(reverse("events_programme_detail", args=[ceremony.programme.code])).content.decode()
    assert 'data-testid="countdown-first"' in page and 'data-testid="countdown-main"' in page
    assert 'data-part="days">29<' in page and 'data-part="hours">23<' in page
    assert page.index("2026年4月15日") < page.index("2026年4月19日")  # the timeline runs by day
    assert 'data-testid="programme-readiness">25<' in page  # 1 of 4 items
    assert 'data-testid="activity-readiness">25%' in page
    safety = page.split('data-category="安全"')[1].split("</tr>")[0]
    assert ">1<" in safety  # one task in 安全
    assert reverse("plan_detail", args=[ceremony.programme.plan.code]) in page


@pytest.mark.django_db
def test_it_rates_preparation_tasks_red_and_yellow_like_the_task_engine(sup, alice, ceremony, unit_a):
    preparation.add_prep_task(actor=sup, activity=ceremony, category="安全", title="已逾期的任务", lead_units=[unit_a],
                              deadline=datetime.date(2026, 3, 18))  # fmt: skip
    preparation.add_prep_task(actor=sup, activity=ceremony, category="安全", title="即将到期的任务",
                              lead_units=[unit_a], deadline=datetime.date(2026, 3, 24))  # fmt: skip
    from tuijin.events.summary import task_counts

    counts = task_counts(sup, ceremony.programme)
    assert counts["by_category"]["安全"]["overdue"] == 1
    assert counts["by_category"]["安全"]["warning"] == 1
    assert counts["by_activity"][ceremony.pk]["total"] == 2


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "alice"])
def test_it_costs_the_same_queries_for_many_activities(client, sup, programme, unit_a, unit_b, template, who,
                                                       request):  # fmt: skip
    def add(n):
        for i in range(n):
            activity = services.create_activity(
                actor=sup, programme=programme, title=f"活动{i}", date=datetime.date(2026, 4, 16 + i % 10),
                start_time=datetime.time(8 + i % 8), end_time=datetime.time(9 + i % 8), venue=f"场馆{i}",
                lead_unit=unit_a, supporting_units=[unit_b],
            )  # fmt: skip
            preparation.apply_template(actor=sup, activity=activity, template=template)

    add(2)
    login(client, request.getfixturevalue(who))
    urls = [reverse("events_programme_list"), reverse("events_programme_detail", args=[programme.code]),
            reverse("events_run_sheet", args=[programme.code]) + "?date=2026-04-16"]  # fmt: skip
    small = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        small[url] = len(queries)
    add(8)
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries) == small[url], url


@pytest.mark.django_db
def test_it_costs_the_same_queries_for_a_longer_checklist(client, sup, alice, ceremony, template, unit_a,
                                                          django_assert_max_num_queries):  # fmt: skip
    preparation.apply_template(actor=sup, activity=ceremony, template=template)
    url = reverse("events_activity_detail", args=[ceremony.code])
    login(client, alice)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for i in range(6):
        checklist.add_item(actor=sup, activity=ceremony, title=f"检查项{i}", unit=unit_a)
    with django_assert_max_num_queries(len(queries)):
        client.get(url)
