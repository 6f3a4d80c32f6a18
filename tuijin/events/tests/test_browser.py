"""The main journeys of event preparation in Chromium, with screenshots under var/screenshots/ to look at:
the organiser generates an activity's standard preparation tasks, a unit officer signs off a checklist item on
a phone, and the programme page counts down to the ceremony.

The browser's cookies live on the real clock, so these tests do too: dates are counted from today.
"""

import datetime

import pytest
from django.utils import timezone

from tuijin.conftest import shot, sign_in
from tuijin.events import checklist, preparation, services
from tuijin.tasks.models import Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def clock():
    """No frozen clock here (overrides the package's)."""


@pytest.fixture
def event_plan(db):
    today = timezone.localdate()
    return Plan.objects.create(name=f"{today.year}年黄河文化月暨拜祖大典筹备工作任务清单", year=today.year,
                               kind=Plan.Kind.EVENT, start_date=today, cadence="weekly")  # fmt: skip


@pytest.fixture
def programme(sup, office, event_plan):
    today = timezone.localdate()
    return services.create_programme(
        actor=sup, name="黄河文化月暨丙午年黄帝故里拜祖大典", plan=event_plan, organiser=office,
        start_date=today + 10 * DAY, end_date=today + 40 * DAY,
    )  # fmt: skip


@pytest.fixture
def ceremony(sup, programme, unit_a, unit_b, unit_c):
    services.create_activity(
        actor=sup, programme=programme, title="黄河文化月开幕式", date=programme.start_date,
        start_time=datetime.time(19, 30), end_time=datetime.time(21, 0), venue="郑州黄河文化公园",
        lead_unit=unit_b, supporting_units=[unit_c], capacity=3000, contact_name="李静怡", contact_phone="13900001111",
    )  # fmt: skip
    services.create_activity(
        actor=sup, programme=programme, title="黄河文化论坛", date=programme.start_date + 5 * DAY,
        start_time=datetime.time(9, 0), end_time=datetime.time(12, 0), venue="郑州国际会展中心",
        lead_unit=unit_b, capacity=600,
    )  # fmt: skip
    return services.create_activity(
        actor=sup, programme=programme, title="丙午年黄帝故里拜祖大典", date=programme.start_date + 4 * DAY,
        start_time=datetime.time(9, 30), end_time=datetime.time(11, 0), venue="新郑黄帝故里景区",
        lead_unit=unit_a, supporting_units=[unit_b], capacity=10000, contact_name="王晓明",
        contact_phone="13812345678", notes="农历三月初三", is_main=True,
    )  # fmt: skip


def test_it_lets_the_organiser_generate_the_standard_preparation_tasks(
    page, live_server, sup, ceremony, template
):
    sign_in(page, live_server, sup)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/events/activities/{ceremony.code}/")
    page.click("[data-testid=generate]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=preview-row]").count() == 10
    shot(page, "events-generate-preview")
    page.click("[data-testid=create-tasks]")
    page.wait_for_url(f"**/events/activities/{ceremony.code}/")
    assert page.locator("[data-testid=prep-tasks] tbody tr[data-status]").count() == 6
    assert page.locator("[data-testid=check-item]").count() == 4
    shot(page, "events-activity-after-generate")
    page.click("[data-testid=prep-tasks] tbody tr[data-status] a >> nth=0")
    page.wait_for_load_state()
    assert "丙午年黄帝故里拜祖大典：" in page.content()  # an ordinary task page
    shot(page, "events-prep-task-page")


def test_it_lets_a_unit_officer_sign_off_on_a_phone(browser, live_server, sup, alice, ceremony, template):
    preparation.apply_template(actor=sup, activity=ceremony, template=template)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/events/activities/{ceremony.code}/")
    assert page.get_by_test_id("readiness").inner_text().startswith("0%")
    assert page.locator("[data-testid=waits-for]").count() == 2  # tied to tasks not closed yet
    page.locator("[data-testid=sign-off]").first.scroll_into_view_if_needed()
    shot(page, "events-checklist-phone-before")
    page.locator("[data-testid=sign-off]").first.click()
    page.wait_for_selector("[data-testid=signed-by]")
    assert page.get_by_test_id("readiness").inner_text().startswith("25%")
    assert "张科技" in page.get_by_test_id("signed-by").inner_text()
    shot(page, "events-checklist-phone-signed")
    phone.close()
    assert ceremony.checklist.filter(signed_by=alice).count() == 1


def test_it_shows_the_programme_with_its_countdown(page, live_server, sup, alice, leader, ceremony, template):
    preparation.apply_template(actor=sup, activity=ceremony, template=template)
    checklist.sign_off(actor=alice, item=ceremony.checklist.get(title="应急预案"))
    sign_in(page, live_server, leader)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/events/")
    shot(page, "events-programme-list")
    page.click(f"text={ceremony.programme.name}")
    page.wait_for_load_state()
    main = page.get_by_test_id("countdown-main")
    assert int(main.locator("[data-part=days]").inner_text()) in (13, 14)
    assert int(page.get_by_test_id("countdown-first").locator("[data-part=days]").inner_text()) in (9, 10)
    assert page.get_by_test_id("programme-readiness").inner_text().startswith("25")
    assert page.locator("[data-testid=activity]").count() == 3
    shot(page, "events-programme-page")
    page.click("[data-testid=run-sheet-link]")
    page.wait_for_load_state()
    assert "139****1111" in page.content() and "13900001111" not in page.content()  # masked for the leader
    shot(page, "events-run-sheet")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/events/{ceremony.programme.code}/")
    shot(page, "events-programme-phone")
