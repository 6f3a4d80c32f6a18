"""The day's run sheet: the activities of one day in order of time, exported as a GB/T 9704 .docx and as .xlsx;
contact phones in full for the organising office only, masked for everyone else; no cell starts like a formula."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tuijin.core.models import AuditEvent
from tuijin.events import services

from .conftest import PHONE, login


@pytest.fixture
def day_of_ceremony(sup, ceremony, unit_b):
    """A second, earlier activity on the ceremony's day, added after it, and one with a formula-like note."""
    services.create_activity(
        actor=sup, programme=ceremony.programme, title="嘉宾签到", date=ceremony.date,
        start_time=datetime.time(8, 0), end_time=datetime.time(9, 0), venue="黄帝故里游客中心", lead_unit=unit_b,
        contact_name="刘洋", contact_phone="13700003333", notes="=HYPERLINK(\"http://x\")",
    )  # fmt: skip
    return ceremony.date


def docx_text(content: bytes) -> tuple[Document, list[list[str]], str]:
    doc = Document(io.BytesIO(content))
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    return doc, rows, "\n".join(p.text for p in doc.paragraphs)


@pytest.mark.django_db
def test_it_exports_the_day_as_an_official_document(client, sup, day_of_ceremony, programme):
    login(client, sup)
    response = client.get(reverse("events_run_sheet_docx", args=[programme.code]) + "?date=2026-04-19")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert (
        "filename*=UTF-8''" in response["Content-Disposition"]
        and "20260419.docx" in response["Content-Disposition"]
    )
    doc, rows, text = docx_text(response.content)
    section = doc.sections[0]
    assert [round(v.mm) for v in (section.page_width, section.top_margin, section.left_margin)] == [
        210,
        37,
        28,
    ]
    assert "4月19日活动运行表" in text and "2026年4月19日（星期日）共安排活动2项" in text
    assert rows[0] == ["时间", "活动", "地点", "牵头单位", "人数", "联系人"]
    assert [r[0] for r in rows[1:]] == ["08:00—09:00", "09:30—11:00"]  # in order of time
    assert rows[2][1:4] == ["拜祖大典", "新郑黄帝故里景区", "中原科技城管委会"]
    assert rows[2][5] == f"王晓明 {PHONE}"  # the office sees the number in full
    assert "配合单位：市科技局" in text and "市委督查室" in text
    export = AuditEvent.objects.get(action="personal_data.export")
    assert export.actor == sup
    assert export.after == {"fields": ["contact_name", "contact_phone"], "rows": 2, "full": True}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["alice", "bob", "leader"])
def test_it_masks_contacts_for_everyone_else(client, day_of_ceremony, programme, who, request):
    login(client, request.getfixturevalue(who))
    _doc, rows, _text = docx_text(
        client.get(reverse("events_run_sheet_docx", args=[programme.code]) + "?date=2026-04-19").content
    )
    assert rows[2][5] == "王晓明 138****5678"
    book = load_workbook(
        io.BytesIO(
            client.get(reverse("events_run_sheet_xlsx", args=[programme.code]) + "?date=2026-04-19").content
        )
    )
    values = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "王晓明 138****5678" in values and not any(PHONE in str(v) for v in values)
    page = client.get(
        reverse("events_run_sheet", args=[programme.code]) + "?date=2026-04-19"
    ).content.decode()
    assert PHONE not in page and "138****5678" in page and 'data-testid="reveal"' not in page
    assert {e.after["full"] for e in AuditEvent.objects.filter(action="personal_data.export")} == {False}


@pytest.mark.django_db
def test_it_exports_the_day_as_a_spreadsheet_without_formulas(client, sup, day_of_ceremony, programme):
    login(client, sup)
    response = client.get(reverse("events_run_sheet_xlsx", args=[programme.code]) + "?date=2026-04-19")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "4月19日活动运行表" in rows[0][0]
    assert rows[2] == ("时间", "活动", "地点", "牵头单位", "配合单位", "人数", "联系人", "备注")
    assert rows[3][:2] == ("08:00—09:00", "嘉宾签到") and rows[3][7] == '\'=HYPERLINK("http://x")'
    assert rows[4][4] == "市科技局" and rows[4][5] == 10000
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.django_db
def test_it_offers_the_days_that_have_activities(client, alice, day_of_ceremony, opening, programme):
    login(client, alice)
    page = client.get(reverse("events_run_sheet", args=[programme.code])).content.decode()
    assert 'data-testid="run-day">2026年4月15日' in page  # the next day with activities
    assert "?date=2026-04-19" in page
    page = client.get(
        reverse("events_run_sheet", args=[programme.code]) + "?date=2026-04-16"
    ).content.decode()
    assert "08:00" not in page and "嘉宾签到" not in page
    page = client.get(reverse("events_run_sheet", args=[programme.code]) + "?date=nonsense").content.decode()
    assert 'data-testid="run-day">2026年4月15日' in page
