"""The list's filters: state, category, unit, overdue, call-back; the export takes the same filters."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tuijin.servicedesk import services

from .conftest import at


@pytest.fixture(autouse=True)
def mid_october(time_machine):
    time_machine.move_to(at(2021, 10, 20, 10, 0))


@pytest.fixture
def world(raise_for, alice, eva, sup, unit_b, one_day):
    overdue = raise_for(at(2021, 9, 30, 10, 0), title="逾期未办")  # due 10-13
    fresh = raise_for(at(2021, 10, 20, 9, 0), title="刚提出", unit=unit_b, category=one_day)
    closed = raise_for(at(2021, 10, 8, 10, 0), title="已办结")
    services.reply(actor=alice, request=closed, text="答复", now=at(2021, 10, 9, 10, 0))
    services.rate(actor=eva, request=closed, satisfaction="satisfied", now=at(2021, 10, 11, 10, 0))
    called = raise_for(at(2021, 10, 8, 11, 0), title="已回访")
    services.reply(actor=alice, request=called, text="答复", now=at(2021, 10, 9, 10, 0))
    services.rate(actor=eva, request=called, satisfaction="satisfied", now=at(2021, 10, 11, 10, 0))
    services.record_callback(actor=sup, request=called, called_on=datetime.date(2021, 10, 12), satisfaction="basic",
                             now=at(2021, 10, 12, 10, 0))  # fmt: skip
    return {"overdue": overdue, "fresh": fresh, "closed": closed, "called": called}


def titles(client, **params):
    response = client.get(reverse("servicedesk_list"), params)
    assert response.status_code == 200
    return sorted(r.title for r in response.context["page"].object_list)


def test_it_filters_the_list(client, sup, world, unit_b, one_day):
    client.force_login(sup)
    assert titles(client, overdue="on") == ["逾期未办"]
    assert titles(client, state="closed") == ["已办结", "已回访"]
    assert titles(client, state="closed", callback="none") == ["已办结"]
    assert titles(client, callback="done") == ["已回访"]
    assert titles(client, unit=str(unit_b.code)) == ["刚提出"]
    assert titles(client, category=str(one_day.code)) == ["刚提出"]
    assert titles(client, q="回访") == ["已回访"]


def test_it_answers_htmx_with_the_table_only(client, sup, world):
    client.force_login(sup)
    response = client.get(reverse("servicedesk_list"), {"overdue": "on"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "逾期未办" in body and "<html" not in body


def test_it_exports_with_the_same_filters(client, sup, world):
    client.force_login(sup)
    response = client.get(reverse("servicedesk_export"), {"state": "closed"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = list(rows[0])
    assert sorted(r[header.index("诉求标题")] for r in rows[1:]) == ["已办结", "已回访"]
    assert [r[header.index("回访")] for r in rows[1:]].count("是") == 1
