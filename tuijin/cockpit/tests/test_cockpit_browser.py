"""The cockpit in a real browser: a 1920×1080 wall screen and a phone, with the chart drawn.

Screenshots go to var/screenshots/cockpit-*.png so a person can check what leaders see. The data is made at
the real date (a moved clock would make the session cookie look expired to the browser).
"""

import pytest

from tuijin.conftest import shot as base_shot
from tuijin.conftest import sign_in
from tuijin.tasks import services
from tuijin.tasks.models import Task

from .conftest import photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name, full_page=True):
    base_shot(page, name, full_page=full_page, settle_ms=1200)  # let the chart's opening animation finish


@pytest.fixture
def year_of_work(plan, sup, alice, unit_a, unit_b, unit_c, sector_b, district):
    """Tasks due early in the year (overdue now) and later, in several sectors, one closed with a photo."""
    made = [
        services.create_task(
            actor=sup,
            plan=plan,
            number=str(n),
            title=title,
            lead_units=lead,
            supporting_units=support,
            limit_text=limit,
        )  # fmt: skip
        for n, (title, lead, support, limit) in enumerate(
            [
                ("完成科技城征地拆迁", [unit_a], [unit_b], "3月底前"),
                ("金融岛二期主体工程封顶", [sector_b], [], "6月底前"),
                ("郑东新区道路提升", [district], [unit_a], "9月底前"),
                ("引进头部企业区域总部", [unit_c], [unit_a], "年底前"),
                ("建设人才公寓", [unit_a, sector_b], [], "年底前"),
            ],
            start=1,
        )
    ]
    first = Task.objects.for_list().get(pk=made[0].pk)
    services.acknowledge(actor=alice, task=first)
    services.request_closure(actor=alice, task=first, note="已完成", files=[photo()])
    services.close_task(actor=sup, task=Task.objects.for_list().get(pk=first.pk))
    services.refresh_all_statuses()
    return made


def test_it_fills_a_wall_screen_with_the_chart_drawn(browser, live_server, year_of_work, leader):
    wall = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = wall.new_page()
    sign_in(page, live_server, leader)
    page.goto(f"{live_server.url}/cockpit/?wall=1")
    page.wait_for_selector("#trend-chart canvas")
    assert page.locator("#trend-chart canvas").count() >= 1
    assert page.evaluate("document.documentElement.getAttribute('data-bs-theme')") == "dark"
    assert not page.locator("nav.tj-navbar").is_visible()
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080  # one screen, nothing below
    page.wait_for_function("Array.from(document.images).every(i => i.complete)")
    assert page.locator(".tj-photo img").first.bounding_box()["height"] > 50  # the photo wall is on screen
    shot(page, "cockpit-wall", full_page=False)

    page.goto(f"{live_server.url}/cockpit/")
    page.wait_for_selector("#trend-chart canvas")
    # What the 60-second poll does: the figures are swapped, the chart keeps its canvas.
    page.evaluate("htmx.ajax('GET', location.href, {target: '#cockpit-figures', swap: 'outerHTML'})")
    page.wait_for_timeout(800)
    assert page.locator("#cockpit-figures").count() == 1
    assert page.locator("#trend-chart canvas").count() >= 1
    assert page.locator("#cockpit-updated").count() == 1
    shot(page, "cockpit-desk")
    cell = page.locator("[data-testid=matrix] tbody tr").first.locator("a.tj-fig").first
    value = int(cell.inner_text())
    cell.click()
    page.wait_for_url("**/cockpit/list/tasks/**")
    assert int(page.get_by_test_id("list-count").inner_text()) == value
    assert page.locator("[data-testid=task-table] tbody tr[data-status]").count() == value
    shot(page, "cockpit-drill-down")
    wall.close()


def test_it_fits_a_phone(browser, live_server, year_of_work, leader):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    sign_in(page, live_server, leader)
    page.goto(f"{live_server.url}/cockpit/")
    page.wait_for_selector("#trend-chart canvas")
    assert page.locator("#trend-chart canvas").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.wait_for_function("Array.from(document.images).every(i => i.complete)")
    shot(page, "cockpit-phone")
    phone.close()
