"""The .xlsx export (scoped like the list, formula cells neutralised) and import (row and column named for each
problem; all rows or none)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tuijin.servicedesk.models import ServiceRequest

from .conftest import at

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows, name="诉求.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(["2021年企业诉求台账"])
    ws.append(["企业名称", "诉求类别", "诉求标题", "诉求内容", "承办单位", "提出日期"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


@pytest.fixture(autouse=True)
def late_2021(time_machine):
    time_machine.move_to(at(2021, 11, 26, 10, 0))


def test_it_exports_what_the_viewer_sees_with_formulas_neutralised(
    client, raise_for, alice, unit_b, other_enterprise
):
    raise_for(at(2021, 9, 30, 10, 0), title='=HYPERLINK("http://x")')
    raise_for(at(2021, 9, 30, 11, 0), unit=unit_b, ent=other_enterprise, title="别的单位")
    client.force_login(alice)
    response = client.get(reverse("servicedesk_export"))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and len(rows) == 2
    title = rows[1][list(rows[0]).index("诉求标题")]
    assert title.startswith("'=")


def test_it_imports_all_rows_or_none_naming_row_and_column(client, sup, enterprise, five_days, unit_b):
    client.force_login(sup)
    bad = workbook([
        ["华瀚云计算科技有限公司", "审批服务", "环评审批", "请加快。", "", "2021-09-30"],
        ["不存在的企业", "审批服务", "用地", "请协调。", "", "2021-10-08"],
        ["华瀚云计算科技有限公司", "不知道的类别", "融资", "请协调。", "火星局", "2021年13月1日"],
    ])  # fmt: skip
    response = client.post(reverse("servicedesk_import"), {"file": bad})
    assert response.status_code == 400
    problems = [str(p) for p in response.context["problems"]]
    assert any(p.startswith("第4行 A列") for p in problems)
    assert any(p.startswith("第5行 B列") for p in problems)
    assert any(p.startswith("第5行 E列") for p in problems)
    assert any(p.startswith("第5行 F列") for p in problems)
    assert not ServiceRequest.objects.exists()
    good = workbook([
        ["华瀚云计算科技有限公司", "审批服务", "环评审批", "请加快。", "", "2021-09-30"],
        ["华瀚云计算科技有限公司", "审批服务", "科技项目", "请协调。", "市科技局", "2021/10/08"],
    ])  # fmt: skip
    response = client.post(reverse("servicedesk_import"), {"file": good})
    assert response.status_code == 302
    first, second = ServiceRequest.objects.order_by("raised_at")
    assert first.channel == "import" and first.unit == five_days.default_unit
    assert second.unit == unit_b
    from django.utils import timezone

    assert (
        timezone.localtime(first.due).date().isoformat() == "2021-10-13"
    )  # the National Day rule on import too


def test_it_refuses_what_is_not_a_workbook(client, sup):
    client.force_login(sup)
    response = client.post(
        reverse("servicedesk_import"), {"file": SimpleUploadedFile("x.xlsx", b"not a zip")}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_it_gives_the_office_a_template(client, sup):
    client.force_login(sup)
    response = client.get(reverse("servicedesk_import_template"))
    headings = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[0]
    assert headings[:4] == ("企业名称", "统一社会信用代码", "诉求类别", "诉求标题")
