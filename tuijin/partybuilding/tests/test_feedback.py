"""Each quarter every employer hears its members' confirmed service: a page, a workbook, a notice sent once."""

import datetime
import io
import zoneinfo
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tuijin.conftest import make_user
from tuijin.core.models import AuditEvent
from tuijin.org.models import Role

from .. import services
from ..feedback import feedback_xlsx, send_quarterly_feedback, unit_quarter
from ..models import Feedback
from ..services_service import decide_record, submit_record
from .conftest import login

D = datetime.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def serve(member, community, staff, day, hours, activity, confirm=True):
    record = submit_record(actor=member, community=community, served_on=day, hours=hours, activity=activity)
    return decide_record(actor=staff, service=record, confirm=confirm, reason="" if confirm else "不符")


@pytest.fixture
def quarter(alice_member, alice, community, dora, unit_a, registration):
    """unit_a in 2026-Q2: alice served 2 + 3 confirmed hours (and 4 rejected); alan is registered and idle."""
    alan = make_user("alan", Role.UNIT, unit_a, "王同事")
    reg = services.register_member(actor=alan, unit=unit_a, community=community, address="金水区某小区",
                                   availability="evenings", registered_on=D(2026, 4, 2))  # fmt: skip
    services.decide_member_registration(actor=dora, registration=reg, accept=True)
    serve(alice, community, dora, D(2026, 4, 11), 2, "社区义诊")
    serve(alice, community, dora, D(2026, 5, 9), 3, '=HYPERLINK("http://x")普法')
    serve(alice, community, dora, D(2026, 5, 16), 4, "未核实", confirm=False)
    serve(alice, community, dora, D(2026, 3, 28), 6, "上季度")
    return alan


@pytest.mark.django_db
def test_it_sums_each_members_confirmed_hours_in_the_quarter(quarter, unit_a):
    data = unit_quarter(unit_a, "2026-Q2")
    assert data.label == "2026年第二季度"
    assert [(m.name, m.hours, len(m.records)) for m in data.members] == [
        ("张科技", Decimal(5), 2),
        ("王同事", 0, 0),
    ]
    assert (data.hours, data.record_count, data.serving_members) == (Decimal(5), 2, 1)
    assert unit_quarter(unit_a, "2026-Q1").hours == Decimal(6)


@pytest.mark.django_db
def test_it_exports_the_feedback_card_without_live_formulas(quarter, unit_a):
    book = openpyxl.load_workbook(io.BytesIO(feedback_xlsx(unit_quarter(unit_a, "2026-Q2"))))
    summary, records = book["汇总"], book["服务记录"]
    assert summary["A1"].value == "中原科技城管委会在职党员到社区报到服务情况反馈（2026年第二季度）"
    rows = [[c.value for c in row] for row in summary.iter_rows(min_row=3)]
    assert rows[0][:6] == [1, "张科技", "金水区丰产路街道文化路社区", "已接收", 5, 2]
    assert rows[-1][1] == "合计" and rows[-1][4] == 5
    activities = [row[3].value for row in records.iter_rows(min_row=3)]
    assert '\'=HYPERLINK("http://x")普法' in activities  # neutralised: never evaluated
    assert all(cell.data_type != "f" for row in records.iter_rows() for cell in row)


@pytest.mark.django_db
def test_it_shows_the_feedback_page_to_the_unit_and_the_office_only(client, quarter, unit_a, alice, sup, leader,
                                                                    charlie, dora):  # fmt: skip
    url = reverse("party_feedback", args=[unit_a.code, "2026-Q2"])
    for who in (alice, sup, leader):
        login(client, who)
        page = client.get(url).content.decode()
        assert "张科技" in page and 'data-testid="hours">5<' in page
        response = client.get(reverse("party_feedback_xlsx", args=[unit_a.code, "2026-Q2"]))
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
        assert AuditEvent.objects.filter(action="party.feedback.export", actor=who).exists()
        client.logout()
    for who in (charlie, dora):
        login(client, who)
        assert client.get(url).status_code == 404
        assert client.get(reverse("party_feedback_xlsx", args=[unit_a.code, "2026-Q2"])).status_code == 404
        client.logout()
    login(client, alice)
    assert client.get(reverse("party_feedback", args=[unit_a.code, "2026-Q5"])).status_code == 404


@pytest.mark.django_db
def test_it_lists_every_employer_for_the_office_and_only_its_own_for_a_unit(client, quarter, unit_a, alice, sup,
                                                                            dora, bob):  # fmt: skip
    login(client, sup)
    page = client.get(reverse("party_feedback_index") + "?period=2026-Q2").content.decode()
    assert "中原科技城管委会" in page and reverse("party_feedback", args=[unit_a.code, "2026-Q2"]) in page
    assert "文化路社区" not in page  # a community's account unit is not an employer
    client.logout()
    login(client, bob)
    page = client.get(reverse("party_feedback_index")).content.decode()
    assert "市科技局" in page and "中原科技城管委会" not in page
    client.logout()
    login(client, dora)
    assert client.get(reverse("party_feedback_index")).status_code == 403


@pytest.mark.django_db
def test_it_sends_last_quarters_feedback_once_after_the_grace_days(quarter, unit_a, alice):
    before = datetime.datetime(2026, 4, 5, 9, tzinfo=SHANGHAI)
    assert send_quarterly_feedback(now=before) == 0
    now = datetime.datetime(2026, 4, 7, 9, tzinfo=SHANGHAI)
    assert send_quarterly_feedback(now=now) == 1
    feedback = Feedback.objects.get(unit=unit_a, period="2026-Q1")
    assert (feedback.hours, feedback.records, feedback.members) == (Decimal(6), 1, 1)
    notice = alice.notifications.get(kind="party.feedback")
    assert "2026年第一季度" in notice.title
    assert notice.url == reverse("party_feedback", args=[unit_a.code, "2026-Q1"])
    assert send_quarterly_feedback(now=now + datetime.timedelta(days=1)) == 0
    assert alice.notifications.filter(kind="party.feedback").count() == 1
