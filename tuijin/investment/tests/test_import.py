"""Importing projects from a spreadsheet: every problem with its row and column, all rows or none, and imported
projects that count exactly as projects kept on their pages. (The suite's clock: 2021-11-26.)"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from tuijin.core.models import AuditEvent
from tuijin.investment import services
from tuijin.investment.importing import ImportRefused, commit_import, preview_import
from tuijin.investment.models import (
    Agreement,
    Enterprise,
    MeasureBinding,
    Project,
    ProjectKind,
    Stage,
    StageChange,
    VentureFirm,
)
from tuijin.tasks import services as task_services
from tuijin.tasks.models import Plan

from .conftest import OTHER_VALID_CODE, VALID_CODE

D = datetime.date
HEAD = ["序号", "项目名称", "企业名称", "统一社会信用代码", "企业来源", "所属板块", "项目类别", "招商方式", "合作创投机构",
        "项目性质", "原项目", "计划投资（亿元）", "签约金额（亿元）", "增资/升级金额（亿元）", "到位资金（万元）",
        "注册资本（万元）", "阶段", "线索日期", "协议类型", "签约日期", "注册日期", "落地日期", "开工日期"]  # fmt: skip


def sheet(tmp_path, rows, head=HEAD, title="2021年中原科技城招商项目清单", name="projects.xlsx"):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(head)
    for row in rows:
        ws.append([row.get(h.split("（")[0], "") for h in head])
    path = tmp_path / name
    wb.save(path)
    return path


def good_rows():
    return [
        {"序号": 1, "项目名称": "鲲鹏生态创新中心", "企业名称": "华为技术有限公司", "统一社会信用代码": VALID_CODE,
         "企业来源": "省外", "所属板块": "中原科技城管委会", "项目类别": "头部企业", "招商方式": "定向招商",
         "计划投资": 10, "签约金额": "8亿元", "到位资金": 30000, "注册资本": "5000万元", "阶段": "开工",
         "线索日期": "2021年1月4日", "协议类型": "正式协议", "签约日期": D(2021, 3, 1), "注册日期": "2021-05-01",
         "落地日期": "2021/6/1", "开工日期": "2021.8.2"},
        {"序号": 2, "项目名称": "鲲鹏二期", "企业名称": "华为技术有限公司", "统一社会信用代码": VALID_CODE,
         "所属板块": "科技城管委会", "项目类别": "头部企业", "招商方式": "以商招商", "项目性质": "增资",
         "原项目": "鲲鹏生态创新中心", "签约金额": 10, "增资/升级金额": 2, "阶段": "签约", "协议类型": "框架",
         "签约日期": "20210701"},
        {"序号": 3, "项目名称": "量子计算实验室", "企业名称": "中原量子科技有限公司", "所属板块": "中原科技城管委会",
         "项目类别": "大院大所", "招商方式": "上门招商", "计划投资": "3000万元", "阶段": "洽谈", "线索日期": "2021年9月1日"},
    ]  # fmt: skip


def problems_at(preview):
    return {(p.row, p.column) for p in preview.errors}


def test_it_refuses_a_defective_sheet_row_by_row_and_saves_nothing(tmp_path, ivan, unit_a, sector_b, head):
    """MUST SHOW: a defective project spreadsheet is refused row by row with nothing saved."""
    VentureFirm.objects.create(name="深创投")
    rows = good_rows() + [
        # row 6: a check digit, an unknown sector, a category and a channel nobody knows, a date that is no date
        {"项目名称": "坏项目一", "企业名称": "某某科技有限公司", "统一社会信用代码": "914403001922038217",
         "所属板块": "不存在的板块", "项目类别": "独角兽", "招商方式": "路演", "阶段": "签约", "签约日期": "2021年13月1日",
         "协议类型": "框架协议", "签约金额": "五亿"},
        # row 7: signed without its date, amount or agreement; a future lead date; a sector not the officer's
        {"项目名称": "坏项目二", "企业名称": "某某科技有限公司", "所属板块": "白沙科学谷管委会", "项目类别": "头部企业",
         "阶段": "签约", "线索日期": "2022年1月1日"},
        # row 8: the same project twice in the file; a venture channel without its firm; a 2-character code
        {"项目名称": "量子计算实验室", "企业名称": "中原量子科技有限公司", "统一社会信用代码": "91",
         "所属板块": "中原科技城管委会", "项目类别": "人才创新团队", "招商方式": "基金招商"},
        # row 9: landed before it was signed; a stage date for a stage not reached; an increase with no base
        {"项目名称": "坏项目四", "企业名称": "某某科技有限公司", "所属板块": "中原科技城管委会", "项目类别": "头部企业",
         "项目性质": "增资", "阶段": "签约", "协议类型": "框架协议", "签约金额": 2, "增资/升级金额": 3,
         "签约日期": "2021-06-01", "落地日期": "2021-05-01", "线索日期": "2021-07-01"},
    ]  # fmt: skip
    path = sheet(tmp_path, rows)
    before = (Project.objects.count(), Enterprise.objects.count(), StageChange.objects.count())
    preview = preview_import(kind="projects", source=path, filename=path.name, actor=ivan)
    at = problems_at(preview)
    # headings are on row 2 (a title above): data rows 3-5 are good, 6-9 are not; columns as in Excel
    assert not {r for r, _c in at} & {3, 4, 5}
    assert {
        (6, "D"),
        (6, "F"),
        (6, "G"),
        (6, "H"),
        (6, "T"),
        (6, "M"),
    } <= at  # code, sector, category, channel…
    assert {(7, "F"), (7, "R"), (7, "T")} <= at  # not the officer's sector, future date, signing date missing
    assert {(8, "B"), (8, "D"), (8, "I")} <= at  # duplicate of row 5, bad code, venture firm missing
    assert {
        (9, "V"),
        (9, "K"),
        (9, "N"),
        (9, "T"),
    } <= at  # landed undated stage, base, increase > contract, order
    assert all(p.message for p in preview.errors)
    assert not preview.can_commit
    with pytest.raises(ImportRefused):
        commit_import(actor=ivan, preview=preview)
    assert (Project.objects.count(), Enterprise.objects.count(), StageChange.objects.count()) == before
    assert not AuditEvent.objects.filter(action="investment.import").exists()


def test_it_imports_a_good_sheet_as_projects_kept_on_their_pages(tmp_path, sup, ivan, unit_a, head):
    plan = Plan.objects.create(name="2021年清单", year=2021, start_date=D(2021, 1, 1))
    task = task_services.create_task(actor=sup, plan=plan, number="1", title="签约头部企业", lead_units=[unit_a],
                                     measure_quantity=Decimal(4), measure_unit="家", limit_text="年底前")  # fmt: skip
    services.bind_measure(
        actor=sup, task=task, metric=MeasureBinding.Metric.SIGNED_COUNT, year=2021, sector=unit_a
    )
    path = sheet(tmp_path, good_rows())
    preview = preview_import(kind="projects", source=path, filename=path.name, actor=ivan)
    assert preview.can_commit, [p.as_line() for p in preview.problems]
    assert preview.new_enterprises == ["华为技术有限公司", "中原量子科技有限公司"]
    result = commit_import(actor=ivan, preview=preview)
    assert (result.projects, result.enterprises) == (3, 2)
    p1 = Project.objects.get(name="鲲鹏生态创新中心")
    assert (p1.stage, p1.first_signed_on, p1.started_on, p1.contract_amount) == (
        Stage.STARTED, D(2021, 3, 1), D(2021, 8, 2), Decimal("80000.00"))  # fmt: skip
    assert (p1.funds_arrived, p1.registered_capital, p1.planned_investment) == (
        Decimal("30000.00"), Decimal("5000.00"), Decimal("100000.00"))  # fmt: skip
    assert p1.enterprise.origin == "other_province" and p1.enterprise.credit_code == VALID_CODE
    assert [c.to_stage for c in p1.stage_changes.all()] == ["negotiating", "signed", "registered", "landed",
                                                                   "started"]  # fmt: skip
    increase = Project.objects.get(name="鲲鹏二期")
    assert (increase.kind, increase.base_project, increase.counted_amount) == (
        ProjectKind.INCREASE, p1, Decimal("20000.00"))  # fmt: skip
    assert Agreement.objects.filter(is_first=True).count() == 2
    lab = Project.objects.get(name="量子计算实验室")
    assert (lab.stage, lab.stage_since, lab.category.name) == (
        Stage.NEGOTIATING,
        D(2021, 9, 1),
        "大院名所研究机构",
    )
    assert Enterprise.objects.count() == 2
    assert Project.objects.counted_signings(year=2021).signed_total() == {
        "count": 2,
        "amount": Decimal("100000"),
    }
    task.refresh_from_db()
    assert task.measured_value == 2 and task.progress == 50  # 自动统计: no report typed
    assert AuditEvent.objects.filter(action="investment.import").count() == 1
    # the same sheet again: every project is already there, nothing is added
    again = preview_import(kind="projects", source=path, filename=path.name, actor=ivan)
    assert {p.row for p in again.errors} == {3, 4, 5}
    assert all(p.column == "B" for p in again.errors)


def test_it_recognises_registered_enterprises_and_refuses_a_code_that_is_someone_elses(tmp_path, ivan, enterprise,
                                                                                       unit_a, head):  # fmt: skip
    rows = [
        {"项目名称": "新项目甲", "企业名称": "华为技术有限公司", "所属板块": "中原科技城管委会", "项目类别": "头部企业"},
        {"项目名称": "新项目乙", "企业名称": "另一家公司", "统一社会信用代码": VALID_CODE, "所属板块": "中原科技城管委会",
         "项目类别": "头部企业"},
        {"项目名称": "新项目丙", "企业名称": "华为技术有限公司", "统一社会信用代码": OTHER_VALID_CODE,
         "所属板块": "中原科技城管委会", "项目类别": "头部企业"},
        {"项目名称": "新项目丁", "企业名称": "华为技术股份有限公司", "所属板块": "中原科技城管委会", "项目类别": "头部企业"},
    ]  # fmt: skip
    preview = preview_import(kind="projects", source=sheet(tmp_path, rows), filename="x.xlsx", actor=ivan)
    assert preview.rows[0].enterprise_state == "existing" and 3 not in {p.row for p in preview.errors}
    assert (4, "D") in problems_at(preview)  # the code is 华为's, not 另一家公司's
    assert (5, "D") in problems_at(preview)  # 华为 is registered with another code
    assert preview.rows[3].enterprise_state == "existing"  # same name without legal-form words: the same firm


def test_it_rolls_everything_back_when_saving_meets_a_refusal(tmp_path, ivan, unit_a, head, monkeypatch):
    path = sheet(tmp_path, good_rows())
    preview = preview_import(kind="projects", source=path, filename=path.name, actor=ivan)
    real = services.move_stage
    calls = []

    def failing(**kwargs):
        calls.append(kwargs["to_stage"])
        if len(calls) == 5:  # the second project's signing
            raise services.PipelineError("数据库繁忙")
        return real(**kwargs)

    monkeypatch.setattr(services, "move_stage", failing)
    with pytest.raises(ImportRefused, match="4"):
        commit_import(actor=ivan, preview=preview)
    assert (
        not Project.objects.exists() and not Enterprise.objects.exists() and not StageChange.objects.exists()
    )


def test_it_reads_money_and_dates_as_people_write_them(tmp_path, ivan, unit_a, head):
    head_row = [
        "项目名称",
        "企业名称",
        "所属板块",
        "项目类别",
        "计划投资",
        "阶段",
        "签约日期",
        "协议类型",
        "签约金额",
    ]
    rows = [
        {"项目名称": "甲", "企业名称": "甲公司", "所属板块": "中原科技城管委会", "项目类别": "头部企业", "计划投资": "1.5亿",
         "阶段": "签约", "签约日期": "2021年3月5日", "协议类型": "框架协议", "签约金额": "12,000万元"},
        {"项目名称": "乙", "企业名称": "乙公司", "所属板块": "中原科技城管委会", "项目类别": "头部企业", "计划投资": 5000,
         "阶段": "签约", "签约日期": "2021年3月", "协议类型": "框架协议", "签约金额": "1亿元"},
    ]  # fmt: skip
    preview = preview_import(kind="projects", source=sheet(tmp_path, rows, head=head_row), filename="x.xlsx",
                             actor=ivan)  # fmt: skip
    first = preview.rows[0]
    assert (first.get("planned_investment"), first.get("contract_amount"), first.get("signed_on")) == (
        Decimal("15000.00"), Decimal("12000.00"), D(2021, 3, 5))  # fmt: skip
    assert problems_at(preview) == {(4, "E"), (4, "G")}  # 5000 without a unit; a month without its day


def test_it_needs_the_headings_and_says_which(tmp_path, ivan):
    path = sheet(tmp_path, [{"项目名称": "甲"}], head=["项目名称", "企业名称", "备注"])
    preview = preview_import(kind="projects", source=path, filename=path.name, actor=ivan)
    assert not preview.can_commit
    assert {p.field for p in preview.errors} == {"sector", "category"}
    garbage = tmp_path / "x.xlsx"
    garbage.write_bytes(b"not a workbook at all")
    assert preview_import(kind="projects", source=garbage, filename="x.xlsx", actor=ivan).errors


def test_it_goes_through_upload_preview_and_confirm_on_the_pages(client, tmp_path, ivan, unit_a, head):
    client.force_login(ivan)
    bad = sheet(tmp_path, good_rows() + [{"项目名称": "坏", "企业名称": "坏公司", "所属板块": "火星",
                                          "项目类别": "头部企业"}], name="bad.xlsx")  # fmt: skip
    with open(bad, "rb") as fh:
        response = client.post(reverse("investment_import_upload"), {"kind": "projects", "file": fh})
    assert response.status_code == 302
    preview_url = response["Location"]
    html = client.get(preview_url).content.decode()
    assert 'data-testid="import-problems"' in html and 'data-row="6" data-column="F"' in html
    assert 'data-testid="import-confirm"' not in html
    response = client.post(preview_url + "confirm/")
    assert response.status_code == 400 and not Project.objects.exists()
    good = sheet(tmp_path, good_rows(), name="good.xlsx")
    with open(good, "rb") as fh:
        preview_url = client.post(reverse("investment_import_upload"), {"kind": "projects", "file": fh})[
            "Location"
        ]
    assert 'data-testid="import-confirm"' in client.get(preview_url).content.decode()
    response = client.post(preview_url + "confirm/")
    assert response.status_code == 302 and Project.objects.count() == 3
    assert client.get(preview_url).status_code == 404  # the file is gone once saved


def test_it_refuses_a_word_document_and_other_files_at_upload(client, tmp_path, ivan):
    client.force_login(ivan)
    path = tmp_path / "list.docx"
    path.write_bytes(b"PK\x03\x04 not really")
    with open(path, "rb") as fh:
        response = client.post(reverse("investment_import_upload"), {"kind": "projects", "file": fh})
    assert response.status_code == 400
