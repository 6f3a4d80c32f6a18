"""Export in the import's columns, with formula neutralisation; an export reads back into the import."""

import datetime
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from tuijin.investment import services
from tuijin.investment.importing import preview_import
from tuijin.investment.models import Stage

from .conftest import make_project, sign

D = datetime.date


def test_it_neutralises_formulas_and_reads_back_into_the_import(
    client, ivan, enterprise, unit_a, head, tmp_path
):
    project = make_project(ivan, enterprise, unit_a, head, name="=HYPERLINK(\"http://evil\",\"点我\")",
                           description="+cmd|' /C calc'!A0")  # fmt: skip
    sign(ivan, project, D(2021, 3, 1), "50000")
    services.move_stage(actor=ivan, project=project, to_stage=Stage.REGISTERED, date=D(2021, 4, 1),
                        registered_capital=Decimal("3000"))  # fmt: skip
    client.force_login(ivan)
    response = client.get(reverse("investment_export_projects"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = response.content
    book = load_workbook(io.BytesIO(data))
    sheet = book["招商项目"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["项目名称"].startswith("'=") and row["项目简介"].startswith("'+")
    assert all(cell.data_type != "f" for cell in sheet[2])
    assert row["签约金额（万元）"] == 50000 and row["阶段"] == "注册"
    assert row["签约日期"].date() == D(2021, 3, 1)
    path = tmp_path / "export.xlsx"
    path.write_bytes(data)
    preview = preview_import(kind="projects", source=path, filename=path.name, actor=ivan)
    assert preview.ignored == []  # every exported column is one the import reads
    [problem] = preview.errors  # the only problem: the project is in the pipeline already
    assert problem.field == "name" and preview.rows[0].get("name") == project.name


def test_it_exports_with_the_project_lists_filters(client, ivan, enterprise, unit_a, head, hightech):
    make_project(ivan, enterprise, unit_a, head, name="头部项目")
    make_project(ivan, enterprise, unit_a, hightech, name="高新项目")
    client.force_login(ivan)
    response = client.get(reverse("investment_export_projects"), {"category": hightech.pk})
    names = [
        r[0]
        for r in load_workbook(io.BytesIO(response.content))["招商项目"].iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert names == ["高新项目"]


def test_it_exports_phones_as_the_viewer_may_see_them(client, ivan, leader, enterprise, unit_a, head):
    services.save_contact(actor=ivan, enterprise=enterprise, name="张经理", phone="13812345678")
    make_project(ivan, enterprise, unit_a, head)
    client.force_login(ivan)
    rows = list(load_workbook(io.BytesIO(client.get(reverse("investment_export_enterprises")).content))["企业"]
                .iter_rows(min_row=2, values_only=True))  # fmt: skip
    assert "13812345678" in rows[0]
    client.force_login(leader)
    rows = list(load_workbook(io.BytesIO(client.get(reverse("investment_export_enterprises")).content))["企业"]
                .iter_rows(min_row=2, values_only=True))  # fmt: skip
    assert "13812345678" not in rows[0] and "138****5678" in rows[0]
