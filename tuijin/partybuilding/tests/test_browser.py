"""双报到 and 办实事 in a real browser (Debian's Chromium through Playwright), with screenshots to look at:
a member claims a need and logs the service on a phone, the community confirms it; the public 办实事 page
on a phone, on a desk and printed."""

import pytest
from django.conf import settings
from django.test import Client

from tuijin.conftest import shot, sign_in
from tuijin.org.models import User
from tuijin.tasks import services as tasks
from tuijin.tasks.models import Plan, Task

from .. import practical
from ..models import ServiceRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_it_lets_a_member_claim_a_need_and_log_service_on_a_phone(browser, live_server, registration, alice_member,
                                                                  need, alice, dora):  # fmt: skip
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/party/")
    shot(page, "party-home-member-phone")
    page.click("[data-testid=open-needs]")
    page.wait_for_url("**/party/needs/")
    shot(page, "party-needs-phone")
    page.click(f"[data-testid=claim-{need.code}]")
    page.wait_for_url(f"**/party/needs/{need.code}/")
    assert page.get_by_test_id("claimed-badge").is_visible()
    assert "1/2" in page.get_by_test_id("places").inner_text()
    shot(page, "party-need-claimed-phone")
    page.click("[data-testid=log-service]")
    assert page.input_value("input[name=activity]") == need.title
    page.fill("input[name=hours]", "2.5")
    page.fill("input[name=served_on]", "2026-05-20")
    shot(page, "party-record-form-phone")
    page.click("[data-testid=submit-record]")
    page.wait_for_url("**/party/records/?mine=1")
    record = ServiceRecord.objects.get()
    assert page.locator(f"[data-record='{record.code}']").is_visible()
    shot(page, "party-my-records-phone")
    phone.close()

    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    sign_in(page, live_server, dora)
    page.goto(f"{live_server.url}/party/")
    page.click("[data-testid=records-to-confirm]")
    page.wait_for_url("**/party/records/?state=submitted")
    shot(page, "party-records-to-confirm-community-phone")
    page.click(f"[data-testid=confirm-{record.code}]")
    page.wait_for_load_state()
    record.refresh_from_db()
    assert record.state == ServiceRecord.State.CONFIRMED
    shot(page, "party-record-confirmed-community-phone")
    phone.close()


def test_it_shows_the_public_practical_page_on_a_phone_a_desk_and_on_paper(browser, live_server, sup, alice, unit_a,
                                                                           unit_b):  # fmt: skip
    plan = tasks.create_plan(
        actor=sup, name="2026年“我为群众办实事”重点项目清单", year=2026, kind=Plan.Kind.PRACTICAL
    )
    items = [
        ("1", "老旧小区改造提质", unit_a),
        ("2", "“15分钟便民生活圈”建设", unit_a),
        ("3", "新建城市书房", unit_b),
    ]
    made = [tasks.create_task(actor=sup, plan=plan, number=n, title=t, lead_units=[u], limit_text="年底前")
            for n, t, u in items]  # fmt: skip
    tasks.acknowledge(actor=alice, task=made[1])
    Task.objects.filter(pk=made[0].pk).update(
        state="closed", closed_at="2026-04-30T10:00:00+08:00", progress=100
    )
    practical.write_public_update(actor=sup, task=made[0], text="120个老旧小区改造全部完工，3.2万户居民受益。",
                                  publish=True)  # fmt: skip
    practical.write_public_update(
        actor=sup, task=made[1], text="已建成示范社区18个，其余正在加紧建设。", publish=True
    )
    practical.save_practical_list(actor=sup, plan=plan, is_public=True, title="我为群众办实事",
                                  intro="本页面向社会公开各项实事的牵头单位和推进情况，接受群众监督。")  # fmt: skip
    url = f"{live_server.url}/party/practical/{plan.code}/"

    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(url)
    assert page.get_by_test_id("public-title").inner_text() == "我为群众办实事"
    statuses = page.locator("[data-status]").all_inner_texts()
    assert statuses == ["已完成", "推进中", "未开始"] or statuses == [
        "Completed",
        "In progress",
        "Not started",
    ]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    shot(page, "practical-public-phone")
    phone.close()

    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    page = desk.new_page()
    page.goto(url)
    shot(page, "practical-public-desk")
    page.emulate_media(media="print")
    shot(page, "practical-public-print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    desk.close()


def test_it_shows_the_demo_pages_to_the_office_and_a_community(browser, live_server):
    """A tour of the demo on a desk: the office's overview, ranking and feedback; a community's queue."""
    from tuijin.core.demo import load_demo
    from tuijin.tasks.models import Plan

    load_demo()  # 双报到 and 办实事 come with the main scenario
    plan = Plan.objects.get(kind=Plan.Kind.PRACTICAL)
    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    page = desk.new_page()

    def sign_in_as(login):
        """A session made on the server (the sign-in page itself is tested elsewhere), handed to the browser."""
        client = Client()
        client.force_login(User.objects.get(username=login))
        desk.clear_cookies()
        desk.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                           "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])  # fmt: skip

    sign_in_as("supervisor")
    for path, name in [("/party/", "party-home-supervisor"), ("/party/summary/", "party-summary-supervisor"),
                       ("/party/feedback/", "party-feedback-index-supervisor"),
                       ("/party/registrations/", "party-registrations-supervisor"),
                       (f"/party/practical/{plan.code}/manage/", "practical-manage-supervisor")]:  # fmt: skip
        page.goto(live_server.url + path)
        assert page.locator(".alert-danger").count() == 0
        shot(page, name)
    page.goto(live_server.url + "/party/feedback/")
    page.locator("[data-testid=feedback-table] a").first.click()
    page.wait_for_load_state()
    shot(page, "party-feedback-unit-supervisor")
    sign_in_as("sq_whl")
    page.goto(live_server.url + "/party/")
    assert page.get_by_test_id("community-panel").is_visible()
    shot(page, "party-home-community")
    page.goto(live_server.url + "/party/members/")
    shot(page, "party-members-community")
    desk.close()
