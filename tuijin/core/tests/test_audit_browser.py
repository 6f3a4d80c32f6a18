"""The auditor's screen in a real browser: the log with its diffs, verifying the chain from the page,
filtering to failures, exporting. Screenshots in var/screenshots/audit-*.png."""

import pytest
from django.conf import settings
from django.test import Client

from tuijin.conftest import shot
from tuijin.core.audit import record
from tuijin.core.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_directly(page, live_server, user) -> None:
    """The auditor signs in with two factors; the screen is what is tested here, so start with a session."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_it_lets_the_auditor_read_filter_verify_and_export_the_log(
    page, live_server, task, auditor, alice, sup
):
    record(actor=alice, action="task.acknowledge", obj=task, before={"state": "assigned"},
           after={"state": "in_progress"})  # fmt: skip
    record(actor=None, actor_name="zhangsan", action="auth.login_failed", object_type="auth.user",
           object_repr="zhangsan", success=False)  # fmt: skip
    record(actor=alice, action="permission.denied", object_type="request", object_repr="GET /audit/",
           after={"method": "GET", "path": "/audit/"}, success=False)  # fmt: skip
    record(actor=sup, action="plan.update", obj=task.plan, before={"name": "2026年重点任务", "year": 2026},
           after={"name": "2026年中原科技城建设重点任务清单", "year": 2026})  # fmt: skip
    sign_in_directly(page, live_server, auditor)

    page.goto(f"{live_server.url}/audit/")
    assert page.get_by_test_id("chain-status").is_visible()
    page.get_by_test_id("verify-now").click()
    page.wait_for_load_state()
    assert "border-success" in page.get_by_test_id("chain-status").get_attribute("class")
    shot(page, "audit-log-verified")

    page.select_option("select[name=category]", "failures")
    page.wait_for_url("**category=failures**")
    page.wait_for_timeout(300)
    rows = page.locator("#audit-rows table.tj-table > tbody > tr")
    assert rows.count() == 2 and "zhangsan" in page.locator("#audit-rows").inner_text()
    shot(page, "audit-log-failures")

    with page.expect_download() as download:
        page.get_by_test_id("audit-export").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert AuditEvent.objects.filter(action="audit.export", actor=auditor).exists()

    phone = page.context.browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    mobile = phone.new_page()
    sign_in_directly(mobile, live_server, auditor)
    mobile.goto(f"{live_server.url}/audit/")
    shot(mobile, "audit-log-phone")
    phone.close()
