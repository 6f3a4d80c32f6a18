"""A newcomer applies for a talent apartment on a phone, is reviewed (初审, 复审), waits out the publicity, sees
where they stand and why, is allocated a flat and checked in — in a real browser, with screenshots."""

import datetime

import pytest

from tuijin.conftest import shot, sign_in

from .. import services
from ..models import Application, Lease
from .conftest import PDF, id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_a_newcomer_applies_is_reviewed_allocated_and_checked_in_on_a_phone(browser, live_server, ann, manager,
                                                                             flat, apartment_policy):  # fmt: skip
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    sign_in(page, live_server, ann)
    page.goto(f"{live_server.url}/spaces/")
    page.wait_for_url("**/spaces/my/")
    shot(page, "spaces-portal-empty-phone")
    page.click("[data-testid=apply-apartment]")
    page.select_option("select[name=category]", "C")
    page.fill("input[name=name]", "安申请")
    right = id_number(1)
    page.fill("input[name=id_number]", right[:-1] + ("0" if right[-1] != "0" else "1"))  # a wrong check digit
    page.fill("input[name=phone]", "13812345678")
    page.fill("input[name=employer]", "超聚变数字技术有限公司")
    for index, _title in enumerate(apartment_policy.required_documents):
        page.set_input_files(f"input[name=document_{index}]",
                             {"name": f"材料{index}.pdf", "mimeType": "application/pdf", "buffer": PDF})  # fmt: skip
    page.check("input[name=consent]")
    shot(page, "spaces-apply-form-phone")
    page.click("[data-testid=submit-application]")
    error = page.locator("[data-field=id_number]")
    assert error.is_visible()
    error.scroll_into_view_if_needed()
    shot(page, "spaces-apply-error-phone", full_page=False)
    assert not Application.objects.exists()
    page.fill("input[name=id_number]", right)
    for index, _title in enumerate(
        apartment_policy.required_documents
    ):  # files are chosen again after an error
        page.set_input_files(f"input[name=document_{index}]",
                             {"name": f"材料{index}.pdf", "mimeType": "application/pdf", "buffer": PDF})  # fmt: skip
    page.check("input[name=consent]")
    page.click("[data-testid=submit-application]")
    application = Application.objects.get()
    page.wait_for_url(f"**/spaces/applications/{application.code}/")
    assert len(page.locator("[data-testid=eligibility] .bi-check-circle").all()) >= 4
    shot(page, "spaces-application-submitted-phone")

    staff = browser.new_context(**PHONE)
    desk = staff.new_page()
    sign_in(desk, live_server, manager)
    desk.goto(f"{live_server.url}/spaces/applications/{application.code}/")
    desk.check("input[name=approve][value='1']")
    desk.fill("textarea[name=note]", "材料齐全，符合C类人才申请条件。")
    shot(desk, "spaces-first-review-manager-phone")
    desk.click("[data-testid=submit-review]")
    desk.wait_for_load_state()
    desk.check("input[name=approve][value='1']")
    desk.click("[data-testid=submit-review]")
    desk.wait_for_selector("[data-testid=publicity]")
    shot(desk, "spaces-publicity-manager-phone")
    application.refresh_from_db()
    assert application.state == Application.State.PUBLICITY

    services.run_daily(today=application.publicity_ends + datetime.timedelta(days=1))  # the daily tick
    page.goto(f"{live_server.url}/spaces/my/")
    assert "1" in page.get_by_test_id("position").inner_text()
    page.click("[data-testid=my-application]")
    assert page.get_by_test_id("standing").is_visible()
    shot(page, "spaces-queue-position-phone")

    desk.goto(f"{live_server.url}/spaces/applications/{application.code}/")
    desk.click("[data-testid=allocate]")
    desk.select_option("select[name=space]", str(flat.code))
    shot(desk, "spaces-allocate-manager-phone")
    desk.click("[data-testid=submit-allocation]")
    lease = Lease.objects.get()
    desk.wait_for_url(f"**/spaces/leases/{lease.code}/")
    desk.click("[data-testid=check-in]")
    shot(desk, "spaces-check-in-manager-phone")
    desk.click("[data-testid=submit-checklist]")
    desk.wait_for_url(f"**/spaces/leases/{lease.code}/")
    assert desk.get_by_test_id("checkin-list").is_visible()
    shot(desk, "spaces-checked-in-manager-phone")
    lease.refresh_from_db()
    assert lease.state == Lease.State.ACTIVE

    page.goto(f"{live_server.url}/spaces/my/")
    page.click("[data-testid=my-lease]")
    assert "1920.00" in page.get_by_test_id("rent").inner_text()
    shot(page, "spaces-my-lease-phone")
    phone.close()
    staff.close()


def test_the_demo_dashboard_queue_and_inventory_on_a_desk(browser, live_server):
    from django.test import override_settings

    from tuijin.core.demo import load_demo
    from tuijin.org.models import User

    with override_settings(DEMO_MODE=True):
        load_demo()
    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    page = desk.new_page()
    sign_in(page, live_server, User.objects.get(username="spaces"), password="Tuijin@2026")
    page.goto(f"{live_server.url}/spaces/")
    assert page.get_by_test_id("occupancy").is_visible()
    shot(page, "spaces-dashboard-desk")
    page.goto(f"{live_server.url}/spaces/queue/apartment/")
    assert page.get_by_test_id("queue-table").locator("tbody tr").count() == 4
    shot(page, "spaces-queue-desk")
    page.goto(f"{live_server.url}/spaces/inventory/")
    shot(page, "spaces-inventory-desk")
    page.goto(f"{live_server.url}/spaces/leases/")
    shot(page, "spaces-leases-desk")
    desk.close()
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    sign_in(page, live_server, User.objects.get(username="applicant"), password="Tuijin@2026")
    page.goto(f"{live_server.url}/spaces/my/")
    page.click("[data-testid=my-application]")
    shot(page, "spaces-demo-applicant-standing-phone")
    phone.close()
