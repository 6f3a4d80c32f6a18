"""The pipeline in a real browser: the board, moving a card to 签约 through the stage form (by its button and by
dragging it), and the project page. Screenshots go to var/screenshots/investment-*.png."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tuijin.conftest import shot, sign_in
from tuijin.investment import services
from tuijin.investment.models import FollowUp, Project, Stage

from .conftest import make_project, sign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def mid_2021():
    """The real clock here: the browser judges cookie expiry by its own."""


@pytest.fixture
def pipeline(ivan, olga, enterprise, unit_a, head, hightech, sup):
    today = timezone.localdate()
    days = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    landed = make_project(ivan, enterprise, unit_a, head, name="鲲鹏生态创新中心", stage_since=days(200),
                          planned_investment=Decimal("200000"), responsible_leader="周副市长")  # fmt: skip
    sign(ivan, landed, days(150), "180000", "formal")
    services.move_stage(actor=ivan, project=landed, to_stage=Stage.REGISTERED, date=days(120),
                        registered_capital=Decimal("50000"))  # fmt: skip
    services.move_stage(actor=ivan, project=landed, to_stage=Stage.LANDED, date=days(90))
    other = services.create_enterprise(actor=ivan, name="郑州数智科技有限公司", credit_code="91410100MA44X8XX8K",
                                       origin="city")  # fmt: skip
    talks = make_project(ivan, other, unit_a, hightech, name="智能传感器研发基地", stage=Stage.NEGOTIATING,
                         stage_since=days(40), planned_investment=Decimal("125000"), channel="second_round",
                         anchor_project=landed, officer=ivan)  # fmt: skip
    services.add_follow_up(actor=ivan, project=talks, date=days(30), method=FollowUp.Method.VISIT,
                           content="赴企业总部洽谈选址，企业倾向智慧岛片区", next_step="报送用地方案",
                           next_step_due=days(5))  # fmt: skip
    make_project(ivan, other, unit_a, head, name="新型显示材料中试线", stage_since=days(10),
                 planned_investment=Decimal("8000"))  # fmt: skip
    services.save_policy(actor=sup, title="二次招商奖励", document_number="郑招〔2021〕3号",
                         channels=["second_round"], summary="以商招商引进项目，按实际到位资金给予引荐企业奖励")  # fmt: skip
    return {"talks": talks, "landed": landed}


def test_it_moves_a_card_to_signed_with_the_stage_form(page, live_server, ivan, pipeline):
    page.set_viewport_size({"width": 1500, "height": 900})
    sign_in(page, live_server, ivan)
    page.goto(f"{live_server.url}/investment/")
    assert page.locator("[data-testid=card]").count() == 3
    shot(page, "investment-board")
    talks = pipeline["talks"]
    card = page.locator(f"[data-project='{talks.code}']")
    card.get_by_test_id("advance").click()
    form = page.get_by_test_id("move-form")
    form.wait_for()
    page.fill("#id_contract_amount_0", "12.5")
    page.select_option("#id_contract_amount_1", "yi")
    page.select_option("#id_agreement_type", "framework")
    shot(page, "investment-board-move-to-signed", full_page=False, settle_ms=300)
    page.get_by_test_id("confirm-move").click()
    signed_column = page.locator("section[data-stage=signed]")
    expect(signed_column.locator(f"[data-project='{talks.code}']")).to_have_count(1)
    talks.refresh_from_db()
    assert (talks.stage, talks.contract_amount) == (Stage.SIGNED, Decimal("125000.00"))
    from tuijin.investment.templatetags.investment import money

    expected = Project.objects.counted_signings(year=timezone.localdate().year).signed_total()["amount"]
    assert (
        expected >= Decimal("125000") and money(expected) in page.get_by_test_id("board-totals").inner_text()
    )
    shot(page, "investment-board-after-signing")


def test_it_opens_the_stage_form_when_a_card_is_dragged(page, live_server, ivan, pipeline):
    page.set_viewport_size({"width": 1500, "height": 900})
    sign_in(page, live_server, ivan)
    page.goto(f"{live_server.url}/investment/")
    lead = Project.objects.get(name="新型显示材料中试线")
    page.locator(f"[data-project='{lead.code}']").drag_to(page.locator("section[data-stage=negotiating]"))
    page.get_by_test_id("move-form").wait_for()
    title = page.locator("#move-dialog-title").inner_text()
    assert "洽谈" in title or "Negotiating" in title
    page.get_by_test_id("confirm-move").click()
    expect(page.locator(f"section[data-stage=negotiating] [data-project='{lead.code}']")).to_have_count(1)
    lead.refresh_from_db()
    assert lead.stage == Stage.NEGOTIATING


def test_it_shows_the_project_page_with_its_timeline(page, live_server, ivan, pipeline):
    page.set_viewport_size({"width": 1400, "height": 900})
    sign_in(page, live_server, ivan)
    talks = pipeline["talks"]
    page.goto(f"{live_server.url}/investment/projects/{talks.code}/")
    assert page.get_by_test_id("overdue").is_visible()
    assert "二次招商奖励" in page.get_by_test_id("policies").inner_text()
    page.get_by_test_id("counting-rules-toggle").click()
    page.get_by_test_id("counting-rules").wait_for(state="visible")
    shot(page, "investment-project", settle_ms=300)
    landed = pipeline["landed"]
    page.goto(f"{live_server.url}/investment/projects/{landed.code}/")
    assert page.get_by_test_id("timeline").locator("[data-kind=stage]").count() == 4
    shot(page, "investment-project-landed")
