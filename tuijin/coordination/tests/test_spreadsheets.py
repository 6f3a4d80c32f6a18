"""Decisions to and from .xlsx: the export with task states; the import all-or-nothing, each problem named by row
and column."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tuijin.coordination.models import Decision

from .conftest import login

pytestmark = pytest.mark.django_db
HEADER = ["序号", "议定事项", "牵头单位", "配合单位", "完成时限"]


def workbook(*rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["中原科技城建设联席会议议定事项"])
    ws.append(HEADER)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("decisions.xlsx", out.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip


def test_it_exports_decisions_with_their_task_state(client, bob, issued):
    response = login(client, bob).get(
        reverse("coordination_decisions_xlsx", args=[issued.joint_meeting.code])
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[1][:5]) == ["纪要编号", "序号", "议定事项", "牵头单位", "配合单位"]
    assert rows[2][0] == "纪要〔2021〕1号" and rows[2][3] == "中原科技城管委会" and rows[2][7] == "待签收"


def test_it_imports_all_rows(client, alice, meeting, unit_a, unit_b):
    upload = workbook([1, "编制“三区”整体规划", "中原科技城管委会", "市科技局", "9月底前"],
                      [2, "建立头部企业目标库", "市科技局", "", "年底前"])  # fmt: skip
    response = login(client, alice).post(
        reverse("coordination_decision_import", args=[meeting.code]), {"file": upload}
    )
    assert response.status_code == 302
    first, second = meeting.decisions.order_by("position")
    assert (first.lead_unit, list(first.supporting_units.all()), first.limit_text) == (
        unit_a,
        [unit_b],
        "9月底前",
    )
    assert second.lead_unit == unit_b


def test_it_imports_nothing_and_names_row_and_column_when_a_row_is_wrong(client, alice, meeting, unit_a):
    upload = workbook([1, "编制“三区”整体规划", "中原科技城管委会", "", "9月底前"],
                      [2, "建立头部企业目标库", "不存在的局", "", "年底前"],
                      [3, "", "市科技局", "", ""],
                      [4, "=HYPERLINK(\"http://x\")", "市科技局", "", ""])  # fmt: skip
    response = login(client, alice).post(
        reverse("coordination_decision_import", args=[meeting.code]), {"file": upload}
    )
    page = response.content.decode()
    assert response.status_code == 400 and not Decision.objects.exists()
    assert "<td>4</td><td>C</td>" in page and "不存在的局" in page
    assert "<td>5</td><td>B</td>" in page and "<td>6</td><td>B</td>" in page


def test_it_refuses_a_file_that_is_not_a_workbook(client, alice, meeting):
    upload = SimpleUploadedFile("decisions.xlsx", b"not a workbook at all")
    response = login(client, alice).post(
        reverse("coordination_decision_import", args=[meeting.code]), {"file": upload}
    )
    assert response.status_code == 400 and not Decision.objects.exists()
