"""Under the strict Content-Security-Policy the main pages work in a real browser: no violation, no JavaScript
error, charts drawn, confirmations asked, selects that submit themselves, form fields styled, htmx swaps.

The demo scenario supplies realistic pages; screenshots of the charts go to var/screenshots/csp-*.png.
"""

import re

import pytest

from tuijin.conftest import shot, sign_in
from tuijin.core.demo_data import PASSWORD as DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = ("Content Security Policy", "Refused to", "Permissions-Policy", "Permissions policy")


class Watcher:
    """Every CSP violation, console error and uncaught exception of a page, with the URL it happened on."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: JavaScript error: {error}"))

    def on_console(self, message):
        if message.type == "error" or any(word in message.text for word in BLOCKING):
            self.problems.append(f"{self.page.url}: console {message.type}: {message.text}")

    def visit(self, url: str, *, wait_for: str | None = None):
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        if wait_for:
            self.page.wait_for_selector(wait_for)
        self.page.wait_for_timeout(300)  # late console messages (charts draw after load)

    def assert_clean(self):
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def demo(db):
    from tuijin.core import demo

    demo.load_demo()
    from tuijin.assessment.models import Round
    from tuijin.org.models import Unit, User
    from tuijin.supervision.models import Order
    from tuijin.tasks.models import Evidence, Plan, TaskState

    photo = Evidence.objects.filter(kind=Evidence.Kind.PHOTO).select_related("task").first()
    kjc = User.objects.get(username="kjc")
    reportable = (
        kjc.memberships.first()
        .unit.task_units.filter(role="lead", task__state=TaskState.IN_PROGRESS)
        .first()
        .task
    )
    return {
        "supervisor": User.objects.get(username="supervisor"),
        "kjc": kjc,
        "plan": Plan.objects.filter(is_illustrative=True).first(),
        "photo_task": photo.task,
        "reportable": reportable,
        "round": Round.objects.order_by("-id").first(),
        "order": Order.objects.first(),
        "unit": Unit.objects.filter(is_active=True).order_by("name").first(),
    }


def test_it_runs_the_supervisors_pages_without_a_policy_violation(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    watcher = Watcher(page)
    sign_in(page, live_server, demo["supervisor"], password=DEMO_PASSWORD)
    base = live_server.url
    r, plan = demo["round"], demo["plan"]

    watcher.visit(f"{base}/", wait_for="#status-chart canvas")
    shot(page, "csp-dashboard-supervisor", settle_ms=1000)
    watcher.visit(f"{base}/tasks/")
    page.fill("input[name=q]", "科技城")  # an htmx swap of the table, with allowEval off
    page.wait_for_timeout(900)
    page.wait_for_load_state("networkidle")
    assert "q=" in page.url
    for url in (
        f"{base}/tasks/{demo['photo_task'].code}/",
        f"{base}/plans/",
        f"{base}/plans/{plan.code}/",
        f"{base}/plans/{plan.code}/reporting/",
        f"{base}/plans/{plan.code}/tasks/new/",
        f"{base}/plans/import/",
        f"{base}/supervision/warnings/",
        f"{base}/supervision/orders/",
        f"{base}/supervision/orders/{demo['order'].code}/",
        f"{base}/supervision/evidence-checks/",
        f"{base}/assessment/",
        f"{base}/assessment/schemes/{r.scheme.code}/",
        f"{base}/assessment/schemes/{r.scheme.code}/adjustments/",
        f"{base}/org/units/",
        f"{base}/org/units/{demo['unit'].code}/edit/",
        f"{base}/org/units/import/",
        f"{base}/org/tokens/",
        f"{base}/calendar/",
        f"{base}/notifications/",
        f"{base}/notifications/preferences/",
    ):
        watcher.visit(url)
    watcher.visit(f"{base}/api/v1/docs", wait_for=".swagger-ui .info")  # Swagger UI renders under the policy
    assert page.locator(".swagger-ui .opblock").count() > 5
    shot(page, "csp-api-docs", full_page=False)
    # the form-field helper (tuijin.js) styled the fields the partial rendered, check boxes included
    watcher.visit(f"{base}/plans/{plan.code}/tasks/new/")
    assert "form-control" in page.get_attribute("form [name=title]", "class")
    watcher.visit(f"{base}/assessment/schemes/{r.scheme.code}/adjustments/")
    assert "form-control" in page.get_attribute("form [name=points]", "class")

    watcher.visit(f"{base}/assessment/rounds/{r.code}/", wait_for="#ranking-chart canvas")
    shot(page, "csp-assessment-round", settle_ms=1000)

    watcher.visit(f"{base}/cockpit/", wait_for="#trend-chart canvas")
    page.wait_for_timeout(1200)  # the opening animation
    page.hover("#trend-chart canvas")  # ECharts writes its tooltip as HTML with style attributes
    page.wait_for_selector("#trend-chart div[style*='position: absolute']:has(b)", state="attached")
    page.click("nav [data-bs-toggle=dropdown]")  # Bootstrap (Popper) places the menu through the CSSOM
    page.wait_for_selector("nav .dropdown-menu.show")
    shot(page, "csp-cockpit", settle_ms=300)
    choice = page.locator("select[data-autosubmit] option").nth(1).get_attribute("value")
    page.select_option("select[data-autosubmit]", choice)  # submits its form by itself
    page.wait_for_url(re.compile(r".*plan=" + choice))
    page.wait_for_selector("#trend-chart canvas")

    # the wall screen (1920×1080): dark before the first paint, charts drawn
    page.set_viewport_size({"width": 1920, "height": 1080})
    watcher.visit(f"{base}/cockpit/?wall=1", wait_for="#trend-chart canvas")
    assert page.evaluate("document.documentElement.getAttribute('data-bs-theme')") == "dark"
    shot(page, "csp-cockpit-wall", full_page=False, settle_ms=1200)
    page.set_viewport_size({"width": 1440, "height": 900})

    # a confirmation is asked before deactivating a unit: dismissed, nothing happens; accepted, it is done
    from tuijin.org.models import Unit

    unit = demo["unit"]
    watcher.visit(f"{base}/org/units/")
    form = page.locator(f"form[action$='/units/{unit.code}/active/']")
    assert form.get_attribute("data-confirm")
    page.once("dialog", lambda dialog: dialog.dismiss())
    form.locator("button").click()
    page.wait_for_timeout(500)
    assert Unit.objects.get(pk=unit.pk).is_active
    page.once("dialog", lambda dialog: dialog.accept())
    form.locator("button").click()
    page.wait_for_load_state("networkidle")
    assert not Unit.objects.get(pk=unit.pk).is_active
    watcher.assert_clean()
    context.close()


def test_it_runs_a_unit_users_pages_without_a_policy_violation(browser, live_server, demo):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    watcher = Watcher(page)
    sign_in(page, live_server, demo["kjc"], password=DEMO_PASSWORD)
    base = live_server.url
    task = demo["reportable"]

    watcher.visit(f"{base}/", wait_for="#status-chart canvas")
    shot(page, "csp-dashboard-unit-phone", settle_ms=1000)
    for url in (
        f"{base}/tasks/",
        f"{base}/tasks/{task.code}/",
        f"{base}/supervision/warnings/",
        f"{base}/supervision/orders/",
        f"{base}/assessment/",
        f"{base}/assessment/rounds/{demo['round'].code}/",
        f"{base}/notifications/",
        f"{base}/org/tokens/",
    ):
        watcher.visit(url)
    watcher.visit(f"{base}/tasks/{task.code}/report/")
    assert "form-control" in page.get_attribute("textarea[name=text]", "class")
    assert "form-control" in page.get_attribute("input[type=file][name=files]", "class")
    assert page.locator("input[type=file][capture=environment]").count() == 1
    shot(page, "csp-report-form-phone")
    watcher.visit(f"{base}/cockpit/", wait_for="#trend-chart canvas")
    shot(page, "csp-cockpit-unit-phone", settle_ms=1200)
    watcher.assert_clean()
    # the watcher is not blind: a script injected into the page is refused, and the browser says so
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.pwned = 1';"
                  " document.body.appendChild(s); }")  # fmt: skip
    page.wait_for_timeout(300)
    assert page.evaluate("window.pwned") is None
    assert any("Content Security Policy" in problem for problem in watcher.problems)
    phone.close()
