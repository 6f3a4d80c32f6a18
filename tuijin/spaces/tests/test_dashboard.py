"""The dashboard: occupancy by building, sector and kind; queues and waits; subsidy granted per month (market
rent less the rent charged); the .xlsx export."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .. import reports, services
from ..models import Lease
from .conftest import login, queue_up, submit

pytestmark = pytest.mark.django_db


def test_occupancy_counts_let_spaces_by_building_sector_and_kind(lease, office_space, manager):
    groups = reports.occupancy(manager)
    building = groups["building"][0]
    assert (building.label, building.total, building.let, building.rate) == ("中原科技城人才公寓", 2, 1, 50.0)
    assert groups["sector"][0].label == "中原科技城管委会"
    assert {o.label: o.let for o in groups["kind"]} == {"人才公寓": 1, "拎包办公": 0} or {
        o.label: o.let for o in groups["kind"]} == {"Talent apartment": 1, "Furnished office": 0}  # fmt: skip


def test_subsidy_per_month_is_market_rent_less_rent_charged(lease, manager, ben, office_policy, office_space):
    services.check_in(actor=manager, lease=lease, present={})
    Lease.objects.filter(pk=lease.pk).update(start=datetime.date(2026, 4, 1))
    office_app = queue_up(submit(ben, office_policy, category="tech_sme", n=2, credit_code="91410100MA9FXXK10U"),
                          manager)  # fmt: skip
    office_lease = services.allocate(actor=manager, application=office_app, space=office_space,
                                     start=datetime.date(2026, 5, 1))  # fmt: skip
    services.check_in(actor=manager, lease=office_lease, present={})
    rows = reports.monthly_subsidy(manager, months=3, today=datetime.date(2026, 5, 20))
    assert [r["month"] for r in rows] == [
        datetime.date(2026, 3, 1),
        datetime.date(2026, 4, 1),
        datetime.date(2026, 5, 1),
    ]
    # April: the apartment (2,400 − 1,920); May: also the office in its first year (10,000 fully subsidised)
    assert [r["apartment"] for r in rows] == [Decimal(0), Decimal(480), Decimal(480)]
    assert [r["office"] for r in rows] == [Decimal(0), Decimal(0), Decimal(10000)]


def test_queues_count_each_step(ann_queued, ben, apartment_policy):
    submit(ben, apartment_policy, n=2)
    apartments = next(q for q in reports.queues() if q["kind"] == "apartment")
    assert (apartments["queued"], apartments["reviewing"], apartments["publicity"]) == (1, 1, 0)


def test_the_page_and_the_workbook(client, manager, lease, sup):
    page = login(client, manager).get(reverse("spaces_home")).content.decode()
    assert 'data-testid="occupancy"' in page and 'data-testid="subsidy"' in page
    book = load_workbook(io.BytesIO(client.get(reverse("spaces_dashboard_xlsx")).content))
    assert book.sheetnames == ["入住率", "每月补贴", "房源", "申请", "租约"]
    # supervisors get the aggregates and the inventory, not the applicants
    book = load_workbook(io.BytesIO(login(client, sup).get(reverse("spaces_dashboard_xlsx")).content))
    assert book.sheetnames == ["入住率", "每月补贴", "房源"]
