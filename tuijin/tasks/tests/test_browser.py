"""The main journeys in a real browser (Debian's Chromium through Playwright), with screenshots to look at.

Screenshots go to var/screenshots/ so a person can check what users see.
"""

import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from tuijin.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo_file(tmp_path) -> Path:
    path = tmp_path / "工地.jpg"
    img = Image.new("RGB", (800, 600), (135, 180, 230))
    img.paste((120, 110, 90), (0, 400, 800, 600))
    exif = img.getexif()
    exif[0x0132] = "2026:11:20 09:30:00"
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


def test_it_shows_the_interface_in_chinese_and_switches_to_english(page, live_server, task, alice):
    sign_in(page, live_server, alice)
    assert "退出" in page.content() or "工作台" in page.content()
    shot(page, "dashboard-alice-zh")
    page.click("[data-testid=lang-switch]")
    page.wait_for_load_state()
    assert "Sign out" in page.content()
    page.click("[data-testid=lang-switch]")
    page.wait_for_load_state()
    assert "Sign out" not in page.content()


def test_it_lets_a_sector_officer_report_from_a_phone_and_the_office_close(browser, live_server, task, alice, sup,
                                                                           tmp_path):  # fmt: skip
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/tasks/{task.code}/")
    page.click("[data-testid=acknowledge]")
    page.wait_for_load_state()
    page.click("[data-testid=report]")
    assert page.locator("input[type=file][capture=environment]").count() == 1
    page.fill("textarea[name=text]", "孵化基地主体结构封顶，正在进行幕墙施工")
    page.fill("input[name=progress]", "70")
    page.set_input_files("input[name=files]", str(photo_file(tmp_path)))
    shot(page, "report-form-phone")
    page.click("[data-testid=submit-report]")
    page.wait_for_url(f"**/tasks/{task.code}/")
    assert page.get_by_test_id("progress").inner_text() == "70%"
    assert "2026-11-20 09:30" in page.content()  # capture time read from the photo
    shot(page, "task-after-report-phone")
    page.click("[data-testid=open-closure]")
    page.fill("#closure-panel textarea[name=note]", "已建成投用")
    page.set_input_files("#closure-panel input[name=files]", str(photo_file(tmp_path)))
    page.click("[data-testid=submit-closure]")
    page.wait_for_load_state()
    phone.close()

    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    page = desk.new_page()
    sign_in(page, live_server, sup)
    assert task.title in page.content()  # on the supervisor's closure list
    page.goto(f"{live_server.url}/tasks/{task.code}/")
    shot(page, "task-closure-requested-supervisor")
    page.click("[data-testid=close]")
    page.wait_for_load_state()
    assert (
        "已办结" in page.get_by_test_id("task-state").inner_text()
        or "Closed" in page.get_by_test_id("task-state").inner_text()
    )
    shot(page, "task-closed-supervisor")
    desk.close()


def test_it_filters_the_task_list_without_reloading(page, live_server, task, sup):
    sign_in(page, live_server, sup)
    page.goto(f"{live_server.url}/plans/{task.plan.code}/")
    rows = page.locator("[data-testid=task-table] tbody tr[data-status]")
    assert rows.count() == 1
    page.fill("input[name=q]", "不存在的任务")
    expect(rows).to_have_count(0)  # polls from Python: the page's CSP forbids the eval that wait_for_function needs
    shot(page, "task-list-filtered")
