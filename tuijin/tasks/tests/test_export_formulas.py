"""A plan's list exported as .xlsx or .csv never holds a formula, whatever users typed into titles, targets,
unit names, leaders, reports or the plan's name."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tuijin.conftest import PASSWORD
from tuijin.tasks.models import Report, Task
from tuijin.tasks.services import create_task

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://x","y")'
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile_plan(plan, sup, unit_a, alice):
    plan.name = "@SUM(1+1)*cmd|' /C calc'!A0"
    plan.save()
    unit_a.name = "+cmd|' /C calc'!A0"
    unit_a.save()
    task = create_task(actor=sup, plan=plan, number="1", title=HOSTILE, target="-1+1", lead_units=[unit_a],
                       leader="\t=1+1", limit_text="年底前")  # fmt: skip
    report = Report.objects.create(task=task, unit=unit_a, author=alice, period="2026-03", text="\r=2*3")
    Task.objects.filter(pk=task.pk).update(latest_report=report)
    return plan


def export(client, sup, plan, fmt):
    client.login(username=sup.username, password=PASSWORD)
    response = client.get(f"/plans/{plan.code}/export.{fmt}")
    assert response.status_code == 200
    return response.content


def test_it_writes_no_formula_into_the_xlsx(client, sup, hostile_plan):
    book = load_workbook(io.BytesIO(export(client, sup, hostile_plan, "xlsx")))
    texts = []
    for row in book.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                assert not cell.value.startswith(DANGEROUS), (cell.coordinate, cell.value)
                texts.append(cell.value)
    assert "'" + HOSTILE in texts
    assert texts[0].startswith("'@SUM")  # the title row: the plan's name
    assert {"'+cmd|' /C calc'!A0", "'-1+1", "'\t=1+1", "'\r=2*3"} <= set(texts)


def test_it_writes_no_formula_into_the_csv(client, sup, hostile_plan):
    text = export(client, sup, hostile_plan, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for value in row:
            assert not value.startswith(DANGEROUS), value
    assert rows[1][1] == "'" + HOSTILE
    assert "'+cmd|' /C calc'!A0" in rows[1]
