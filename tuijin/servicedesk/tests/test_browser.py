"""The service desk in a real browser, with screenshots to look at: an enterprise raises a request on its phone,
the unit acknowledges and replies at its desk, the enterprise is not satisfied and the request goes back with a
fresh clock; the office's list with its filters."""

import pytest

from tuijin.conftest import shot, sign_in
from tuijin.servicedesk.models import ServiceRequest, State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_it_runs_a_request_from_the_portal_to_reopening(
    browser, live_server, eva, alice, sup, five_days, one_day
):
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    sign_in(page, live_server, eva)
    page.goto(f"{live_server.url}/services/portal/")
    page.click("[data-testid=portal-new]")
    page.select_option("select[name=category]", str(five_days.pk))
    page.fill("input[name=title]", "研发中心二期用地指标落实")
    page.fill(
        "textarea[name=description]",
        "研发中心二期项目已完成备案，急需落实约30亩建设用地指标，请协调土地报批进度。",
    )
    page.fill("input[name=contact_name]", "王海燕")
    shot(page, "servicedesk-portal-form-phone")
    page.click("form[data-testid=portal-form] button")
    req = ServiceRequest.objects.get()
    page.wait_for_url(f"**/services/portal/{req.code}/")
    shot(page, "servicedesk-portal-detail-phone")
    phone.close()

    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    page = desk.new_page()
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/services/inbox/")
    shot(page, "servicedesk-inbox")
    page.click(f"[data-testid=ack-{req.number}]")
    page.wait_for_url(f"**/services/{req.code}/")
    page.fill(
        "form[data-testid=reply-form] textarea[name=text]",
        "已会同市自然资源和规划局现场踏勘，用地指标已列入下批次报批计划。",
    )
    page.click("form[data-testid=reply-form] button")
    page.wait_for_url(f"**/services/{req.code}/")
    assert "已会同" in page.get_by_test_id("reply").inner_text()
    shot(page, "servicedesk-detail-replied")
    desk.close()

    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    sign_in(page, live_server, eva)
    page.goto(f"{live_server.url}/services/portal/{req.code}/")
    page.check("input[value=unsatisfied]")
    page.fill("textarea[name=comment]", "指标何时落实未明确，请给出时间表。")
    shot(page, "servicedesk-portal-rate-phone")
    page.click("[data-testid=rate]")
    page.wait_for_url(f"**/services/portal/{req.code}/")
    req.refresh_from_db()
    assert req.state == State.REOPENED and req.reopen_count == 1
    shot(page, "servicedesk-portal-reopened-phone")
    phone.close()

    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    page = desk.new_page()
    sign_in(page, live_server, sup)
    page.goto(f"{live_server.url}/services/")
    assert page.locator(f"[data-request='{req.number}']").is_visible()
    shot(page, "servicedesk-list")
    page.goto(f"{live_server.url}/services/{req.code}/")
    assert page.get_by_test_id("timeline").locator("[data-kind=reopened]").count() == 1
    shot(page, "servicedesk-detail-reopened")
    desk.close()
