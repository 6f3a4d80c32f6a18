"""Exporting a plan's list: what each user may take away, the layout, and that it imports again unchanged."""

import csv
import datetime
import io
from urllib.parse import quote

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tuijin.conftest import PASSWORD
from tuijin.tasks.exporting import STATUS_LABELS, write_export
from tuijin.tasks.importing import commit_import, preview_import
from tuijin.tasks.models import Report, Task, TaskUnit
from tuijin.tasks.services import create_task

D = datetime.date
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def other_task(plan, sup, unit_c):
    """A task only charlie's unit is on."""
    return create_task(
        actor=sup, plan=plan, number="2", title="商务招商", lead_units=[unit_c], limit_text="6月底前"
    )


def sheet_rows(content: bytes) -> list[tuple]:
    ws = load_workbook(io.BytesIO(content)).active
    return [tuple(c.value for c in row) for row in ws.iter_rows(min_row=3)]


def export(client, user, plan, fmt="xlsx"):
    client.login(username=user.username, password=PASSWORD)
    return client.get(f"/plans/{plan.code}/export.{fmt}")


def test_the_supervisor_exports_every_task(client, sup, task, other_task):
    response = export(client, sup, task.plan)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert [row[1] for row in sheet_rows(response.content)] == ["建成中原科技城创新孵化基地", "商务招商"]


def test_alice_exports_only_the_tasks_her_unit_is_on(client, alice, task, other_task):
    response = export(client, alice, task.plan)

    rows = sheet_rows(response.content)
    assert [row[0] for row in rows] == ["1"]


def test_charlie_cannot_export_a_plan_where_he_has_no_task(client, charlie, task):
    assert export(client, charlie, task.plan).status_code == 404
    assert export(client, charlie, task.plan, "csv").status_code == 404


def test_the_leader_exports_everything(client, leader, task, other_task):
    assert len(sheet_rows(export(client, leader, task.plan).content)) == 2


def test_strangers_are_sent_to_sign_in(client, task):
    response = client.get(f"/plans/{task.plan.code}/export.xlsx")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_has_the_agreed_layout(client, sup, bob, task):
    report = Report.objects.create(
        task=task, unit=task.lead_units[0], author=bob, period="2026-03", text="已完成主体"
    )
    Task.objects.filter(pk=task.pk).update(latest_report=report)

    response = export(client, sup, task.plan)

    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[2]] == [
        "序号", "重点任务", "具体目标", "牵头单位", "配合单位", "责任领导", "完成时限", "截止日期", "状态", "最新进展"
    ]  # fmt: skip
    assert [c.value for c in ws[3]] == [
        "1", "建成中原科技城创新孵化基地", "孵化面积10万平方米", "中原科技城管委会", "市科技局", "周副市长", "年底前",
        "2026-12-31", STATUS_LABELS[Task.objects.get(pk=task.pk).status], "已完成主体",
    ]  # fmt: skip
    assert ws["A1"].value == task.plan.name


def test_it_names_the_file_after_the_plan_and_the_day(client, sup, task, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 26, 10, 0))

    response = export(client, sup, task.plan, "csv")

    name = "2026年中原科技城建设重点任务清单-20261126.csv"
    assert response["Content-Disposition"].startswith("attachment; ")
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_the_csv_opens_in_excel_with_chinese_intact(client, sup, task):
    content = export(client, sup, task.plan, "csv").content

    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][0] == "序号" and rows[1][1] == "建成中原科技城创新孵化基地"


def test_it_neutralises_cells_that_would_run_as_formulas(client, sup, plan, unit_a):
    create_task(
        actor=sup, plan=plan, number="1", title="=cmd|' /C calc'!A0", target="+1+1", lead_units=[unit_a]
    )

    xlsx = export(client, sup, plan).content
    cell = load_workbook(io.BytesIO(xlsx)).active["B3"]
    assert cell.data_type == "s" and cell.value == "'=cmd|' /C calc'!A0"
    text = export(client, sup, plan, "csv").content.decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text and "\n=cmd" not in text and ",=cmd" not in text


def test_an_exported_list_imports_again_as_the_same_tasks(db, sup, plan, unit_a, unit_b, unit_c):
    first = create_task(actor=sup, plan=plan, number="1", title="孵化基地", lead_units=[unit_a], supporting_units=[unit_b, unit_c],
                        limit_text="6月底前完成主体；年底前投用", leader="周副市长")  # fmt: skip
    create_task(actor=sup, plan=plan, number="（1）", title="主体工程", lead_units=[unit_a], limit_text="6月底前",
                parent=first)  # fmt: skip
    create_task(actor=sup, plan=plan, number="2", title="=招商", lead_units=[unit_c], limit_text="每月28日前")
    create_task(
        actor=sup, plan=plan, number="3", title="诉求办理", lead_units=[unit_b], limit_text="长期坚持"
    )
    Task.objects.filter(number="（1）").update(number="(1)", sort_key="0001.0001")

    def snapshot(p):
        return sorted(
            (t.number, t.title, tuple(u.name for u in t.lead_units), tuple(u.name for u in t.supporting_units),
             t.deadline, t.limit_text, tuple(t.milestones.values_list("date", flat=True)),
             t.parent.number if t.parent else None)
            for t in Task.objects.filter(plan=p).for_list()
        )  # fmt: skip

    for fmt in ("xlsx", "csv"):
        buffer = io.BytesIO()
        write_export(buffer, plan=plan, fmt=fmt)
        preview = preview_import(
            source=buffer.getvalue(), filename=f"e.{fmt}", plan_name=f"copy {fmt}", year=plan.year
        )
        assert not preview.errors, [p.as_line() for p in preview.errors]
        result = commit_import(actor=sup, preview=preview)
        assert snapshot(result.plan) == snapshot(plan)


def test_the_command_exports_all_tasks_by_extension(db, task, other_task, tmp_path):
    for name in ("out.xlsx", "out.csv"):
        call_command("export-tasks", plan=task.plan.name, output=str(tmp_path / name))

    assert len(sheet_rows((tmp_path / "out.xlsx").read_bytes())) == 2
    assert (tmp_path / "out.csv").read_bytes().decode("utf-8-sig").count("\r\n") == 3


def test_it_reads_units_once_however_many_tasks(db, sup, plan, unit_a, unit_b, django_assert_num_queries):
    for n in range(1, 6):
        create_task(
            actor=sup,
            plan=plan,
            number=str(n),
            title=f"任务{n}",
            lead_units=[unit_a],
            supporting_units=[unit_b],
        )

    with django_assert_num_queries(2):  # tasks with their latest report, then their units
        write_export(io.BytesIO(), plan=plan)
    assert TaskUnit.objects.count() == 10
