"""The annual summary per unit — members registered, share who served, confirmed hours, needs fulfilled — ranked
by hours, then share; it matches a count by hand on a worked example.

| unit      | members registered (served)   | confirmed hours 2026 | needs done | rank |
|-----------|-------------------------------|----------------------|------------|------|
| 市科技局  | bob (5)                       | 5                    | 0          | 1    |
| unit_a    | alice (2+3), alan (—)         | 5  (share 50 %)      | 1          | 2    |
| 市商务局  | charlie (1)                   | 1                    | 0          | 3    |
| 市工信局  | dave (1)                      | 1                    | 0          | 3    |
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tuijin.conftest import make_user
from tuijin.org.models import Role, Unit, UnitKind

from .. import services
from ..feedback import annual_summary, summary_xlsx
from ..services_service import claim_need, complete_need, decide_record, submit_record
from .conftest import login

D = datetime.date


def join(member, unit, community, staff):
    reg = services.register_member(actor=member, unit=unit, community=community, address="某小区",
                                   availability="weekends", registered_on=D(2026, 3, 1))  # fmt: skip
    services.decide_member_registration(actor=staff, registration=reg, accept=True)


def serve(member, community, staff, day, hours, confirm=True):
    record = submit_record(actor=member, community=community, served_on=day, hours=hours, activity="志愿服务")
    decide_record(actor=staff, service=record, confirm=confirm, reason="" if confirm else "不符")


@pytest.fixture
def year(registration, alice_member, alice, bob, charlie, unit_a, unit_b, unit_c, community, dora, need):
    gxj = Unit.objects.create(name="市工信局", kind=UnitKind.DEPARTMENT)
    dave = make_user("dave", Role.UNIT, gxj, "孙工信")
    alan = make_user("alan", Role.UNIT, unit_a, "王同事")
    for member, unit in ((alan, unit_a), (bob, unit_b), (charlie, unit_c), (dave, gxj)):
        join(member, unit, community, dora)
    serve(alice, community, dora, D(2026, 1, 10), 2)
    serve(alice, community, dora, D(2026, 4, 10), 3)
    serve(alice, community, dora, D(2026, 4, 11), 8, confirm=False)  # rejected: does not count
    serve(bob, community, dora, D(2026, 2, 1), 5)
    serve(charlie, community, dora, D(2026, 3, 3), 1)
    serve(dave, community, dora, D(2026, 3, 4), 1)
    submit_record(actor=dave, community=community, served_on=D(2026, 5, 1), hours=6, activity="未确认")
    claim_need(actor=alice, need=need)
    complete_need(actor=dora, need=need)
    return gxj


@pytest.mark.django_db
def test_it_ranks_units_as_counted_by_hand(year):
    rows = [(r.rank, r.unit.name, r.registered, r.serving, r.share, r.hours, r.needs_done, r.communities)
            for r in annual_summary(2026)]  # fmt: skip
    assert rows == [
        (1, "市科技局", 1, 1, 100.0, Decimal(5), 0, 0),
        (2, "中原科技城管委会", 2, 1, 50.0, Decimal(5), 1, 1),
        (3, "市商务局", 1, 1, 100.0, Decimal(1), 0, 0),
        (3, "市工信局", 1, 1, 100.0, Decimal(1), 0, 0),
    ]
    assert all(r.hours == 0 for r in annual_summary(2025))


@pytest.mark.django_db
def test_it_exports_the_ranking(year):
    book = openpyxl.load_workbook(io.BytesIO(summary_xlsx(2026, annual_summary(2026))))
    sheet = book.active
    assert sheet["A1"].value == "2026年度机关党组织和在职党员“双报到”工作汇总"
    assert [c.value for c in sheet[3]] == [1, "市科技局", 0, 1, 1, 100, 5, 0]
    assert [c.value for c in sheet[6]][:2] == [3, "市工信局"]


@pytest.mark.django_db
def test_it_shows_the_summary_to_the_office_and_leaders_only(client, year, sup, leader, alice, dora, auditor):
    for who in (sup, leader):
        login(client, who)
        page = client.get(reverse("party_summary") + "?year=2026").content.decode()
        assert page.index("市科技局") < page.index("中原科技城管委会") < page.index("市商务局")
        assert client.get(reverse("party_summary_xlsx", args=[2026])).status_code == 200
        client.logout()
    for who in (alice, dora, auditor):
        login(client, who)
        assert client.get(reverse("party_summary")).status_code == 403
        assert client.get(reverse("party_summary_xlsx", args=[2026])).status_code == 403
        client.logout()
