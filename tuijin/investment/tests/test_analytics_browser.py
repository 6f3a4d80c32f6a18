"""The analytics page and the import preview in a real browser, with screenshots to look at (var/screenshots/)."""

import datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tuijin.conftest import shot, sign_in
from tuijin.investment import services
from tuijin.investment.models import MeasureBinding
from tuijin.tasks import services as task_services
from tuijin.tasks.models import Plan

from .test_analytics import story  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


def test_it_draws_the_charts_and_opens_the_list_behind_a_figure(page, live_server, story, sup, ivan,  # noqa: F811
                                                                  unit_a):  # fmt: skip
    plan = Plan.objects.create(name="2021年中原科技城建设重点任务清单", year=2021, start_date=D(2021, 1, 1))
    task = task_services.create_task(actor=sup, plan=plan, number="1", title="引进头部企业等各类主体",
                                     lead_units=[unit_a], measure_quantity=Decimal(5), measure_unit="家",
                                     limit_text="年底前")  # fmt: skip
    services.bind_measure(
        actor=sup, task=task, metric=MeasureBinding.Metric.SIGNED_COUNT, year=2021, sector=unit_a
    )
    page.set_viewport_size({"width": 1400, "height": 900})
    sign_in(page, live_server, ivan)
    page.goto(f"{live_server.url}/investment/analytics/")
    page.wait_for_selector(".tj-chart[data-chart=funnel] canvas")
    page.wait_for_selector(".tj-chart[data-chart=sector] canvas")
    assert page.locator("[data-testid=target-row]").count() == 1
    shot(page, "investment-analytics", settle_ms=800)
    page.locator("[data-testid=funnel] a[data-testid=funnel-count]").nth(2).click()
    page.wait_for_selector("[data-testid=drill-caption]")
    assert page.locator("[data-testid=project-table] tbody tr").count() == 4
    shot(page, "investment-analytics-drill")
    page.goto(f"{live_server.url}/investment/analytics/batches/")
    shot(page, "investment-analytics-batches")


def test_it_shows_the_problems_of_a_defective_sheet_in_the_preview(page, live_server, ivan, unit_a, head,
                                                                   tmp_path):  # fmt: skip
    wb = Workbook()
    ws = wb.active
    ws.append(["2021年招商项目清单"])
    ws.append(["项目名称", "企业名称", "统一社会信用代码", "所属板块", "项目类别", "招商方式", "阶段", "签约日期",
               "协议类型", "签约金额"])  # fmt: skip
    ws.append(["鲲鹏生态创新中心", "华为技术有限公司", "914403001922038217", "中原科技城管委会", "头部企业", "定向招商",
               "签约", "2021年3月1日", "框架协议", "5亿元"])  # fmt: skip
    ws.append(["量子计算实验室", "中原量子科技有限公司", "", "不存在的板块", "独角兽", "路演", "签约", "2021年13月1日",
               "框架协议", "5000"])  # fmt: skip
    ws.append(["鲲鹏生态创新中心", "华为技术有限公司", "914403001922038217", "中原科技城管委会", "头部企业", "定向招商",
               "洽谈", "", "", ""])  # fmt: skip
    path = tmp_path / "招商项目.xlsx"
    wb.save(path)
    page.set_viewport_size({"width": 1400, "height": 900})
    sign_in(page, live_server, ivan)
    page.goto(f"{live_server.url}/investment/import/")
    shot(page, "investment-import-upload")
    page.set_input_files("input[type=file]", str(path))
    page.click("[data-testid=import-form] button")
    page.wait_for_selector("[data-testid=import-problems]")
    assert page.locator("[data-testid=import-confirm]").count() == 0
    assert page.locator("[data-testid=problem]").count() >= 7
    shot(page, "investment-import-preview-errors")


def test_it_shows_the_demo_pipeline(page, live_server):
    from tuijin.core import demo
    from tuijin.core.demo_data import PASSWORD
    from tuijin.investment.demo import load_demo_investment
    from tuijin.org.models import User

    demo.load_demo()  # the investment pipeline comes with it
    assert not load_demo_investment()  # and is not loaded twice
    page.set_viewport_size({"width": 1400, "height": 900})
    sign_in(page, live_server, User.objects.get(username="investment"), password=PASSWORD)
    page.goto(f"{live_server.url}/investment/analytics/")
    page.wait_for_selector(".tj-chart[data-chart=sector] canvas")
    assert page.locator("[data-testid=target-row]").count() == 2
    shot(page, "investment-analytics-demo", settle_ms=800)
    page.goto(f"{live_server.url}/investment/")
    shot(page, "investment-board-demo", full_page=False)


def test_it_fits_the_analytics_on_a_phone(browser, live_server, story, ivan):  # noqa: F811
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    sign_in(page, live_server, ivan)
    page.goto(f"{live_server.url}/investment/analytics/")
    page.wait_for_selector(".tj-chart[data-chart=funnel] canvas")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    shot(page, "investment-analytics-phone", settle_ms=500)
    phone.close()
