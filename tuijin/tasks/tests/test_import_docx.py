"""Official Word documents import through the same preview, validator and all-or-nothing commit as workbooks."""

import datetime

import pytest

from tuijin.core.models import AuditEvent
from tuijin.lib.tests.documents import (
    PARAGRAPH_PLAN,
    PARAGRAPH_UNITS,
    expected_as_sheet_tasks,
    notice,
    split_table,
    task_table,
)
from tuijin.lib.tests.sheets import task_list
from tuijin.org.models import Unit, UnitAlias
from tuijin.tasks.importing import ImportRefused, commit_import, preview_import
from tuijin.tasks.models import LimitKind, Milestone, Plan, SourceKind, Task, TaskEvent, TaskUnit

D = datetime.date
TABLE_TASKS = [
    "一、项目招商",
    {"number": 1, "title": "头部企业招商", "lead": "市商务局", "supporting": ["市发展改革委", "市科技局"], "leader": "市领导甲", "limit": "6月底前"},
    {"number": 2, "title": "人才公寓配租", "lead": "市住房保障局", "supporting": "市人社局", "limit": "9月上旬"},
    "二、基础设施",
    {"number": 3, "title": "道路建设", "lead": "市城建局", "limit": "6月底前完成主干道，年底前全部通车"},
    {"number": "3.1", "title": "主干道", "lead": "市城建局", "limit": "6月底前"},
    {"number": 4, "title": "综合管廊", "lead": "市城建局", "supporting": "郑东新区管委会", "limit": "持续推进"},
]  # fmt: skip
UNITS = {*PARAGRAPH_UNITS, "市商务局", "市发展改革委", "市城建局"}


@pytest.fixture
def units(db):
    Unit.objects.bulk_create([Unit(name=name) for name in sorted(UNITS)])


def import_document(data, plan_name="2021年中原科技城重点任务", filename="方案.docx"):
    preview = preview_import(source=data, filename=filename, plan_name=plan_name, year=2021)
    assert not preview.errors, [p.as_line() for p in preview.errors]
    commit_import(actor=None, preview=preview)
    return {t.number: t for t in Plan.objects.get(name=plan_name).tasks.all()}


def names(task: Task, role: str) -> list[str]:
    units = task.task_units.filter(role=role).order_by("position").select_related("unit")
    return [tu.unit.name for tu in units]


def summary(task: Task) -> tuple:
    return (
        task.title,
        names(task, TaskUnit.LEAD),
        names(task, TaskUnit.SUPPORT),
        task.deadline,
        task.parent.number if task.parent else None,
        task.category,
    )


def test_it_imports_a_document_with_a_task_table_across_two_pages(units):
    first, second = split_table(task_table(TABLE_TASKS), 5, header_rows=2)

    tasks = import_document(notice(attachment=[first, second]))

    assert summary(tasks["1"]) == (
        "头部企业招商",
        ["市商务局"],
        ["市发展改革委", "市科技局"],
        D(2021, 6, 30),
        None,
        "项目招商",
    )
    assert summary(tasks["2"]) == (
        "人才公寓配租",
        ["市住房保障局"],
        ["市人社局"],
        D(2021, 9, 10),
        None,
        "项目招商",
    )
    assert summary(tasks["3.1"]) == ("主干道", ["市城建局"], [], D(2021, 6, 30), "3", "基础设施")
    assert tasks["1"].leader == "市领导甲"
    assert list(tasks["3"].milestones.order_by("date").values_list("date", flat=True)) == [
        D(2021, 6, 30),
        D(2021, 12, 31),
    ]
    assert tasks["4"].limit_kind == LimitKind.CONTINUING and tasks["4"].deadline is None


def test_it_imports_numbered_paragraphs_with_their_trailers(units):
    tasks = import_document(notice(PARAGRAPH_PLAN))

    assert sorted(tasks) == ["(1)", "(2)", "1", "2", "3", "4"]
    assert summary(tasks["1"]) == (
        "建设中原科技城创新孵化基地", ["市科技局"], ["市财政局", "郑东新区管委会"], D(2021, 12, 31), None, "加快创新平台建设",
    )  # fmt: skip
    assert [(m.date, m.text) for m in tasks["1"].milestones.order_by("date")] == [
        (D(2021, 10, 31), "2021年10月底前"),
        (D(2021, 12, 31), "年底前"),
    ]
    # sub-items are child tasks: units of their parent unless they name their own
    assert summary(tasks["(1)"]) == (
        "完善人才公寓配租办法",
        ["市住房保障局"],
        ["市人社局"],
        D(2021, 3, 31),
        "3",
        "推进人才安居工程",
    )
    assert summary(tasks["(2)"]) == (
        "建立人才公寓线上申请平台",
        ["市大数据局"],
        [],
        D(2021, 9, 10),
        "3",
        "推进人才安居工程",
    )
    assert tasks["4"].limit_kind == LimitKind.CONTINUING
    assert tasks["1"].target.endswith("（市科技局牵头，市财政局、郑东新区管委会配合）")


def test_it_imports_every_item_of_a_document_mixing_paragraphs_and_a_table(units):
    tasks = import_document(notice(PARAGRAPH_PLAN, attachment=task_table(TABLE_TASKS)))

    assert len(tasks) == 6 + 5
    assert summary(tasks["附件1-3.1"]) == ("主干道", ["市城建局"], [], D(2021, 6, 30), "附件1-3", "基础设施")
    assert summary(tasks["3"])[:3] == ("筹集人才公寓", ["市住房保障局"], ["市人社局"])


def test_the_same_list_as_a_workbook_and_as_a_document_yields_identical_tasks(units):
    from_sheet = import_document(
        task_list(expected_as_sheet_tasks(), layout="simple"), "清单（表格）", "清单.xlsx"
    )
    from_document = import_document(notice(PARAGRAPH_PLAN), "清单（文件）")

    assert sorted(from_sheet) == sorted(from_document)
    for number, task in from_sheet.items():
        assert summary(task) == summary(from_document[number]), number
        assert task.limit_text == from_document[number].limit_text, number


def test_the_document_number_is_the_source_of_every_task(units):
    tasks = import_document(notice(PARAGRAPH_PLAN, attachment=task_table(TABLE_TASKS)))

    assert {(t.source_kind, t.source_ref) for t in tasks.values()} == {
        (SourceKind.DOCUMENT, "郑政办〔2021〕12号")
    }


def test_a_list_imported_before_gets_its_document_as_source_when_the_document_follows(units):
    import_document(task_list(expected_as_sheet_tasks(), layout="simple"), "清单", "清单.xlsx")
    assert set(Task.objects.values_list("source_ref", flat=True)) == {""}

    preview = preview_import(source=notice(PARAGRAPH_PLAN), filename="方案.docx", plan_name="清单", year=2021)
    result = commit_import(actor=None, preview=preview)

    assert result.created == 0 and result.updated == 6  # the document adds the targets
    assert set(Task.objects.values_list("source_ref", flat=True)) == {"郑政办〔2021〕12号"}

    again = commit_import(actor=None, preview=preview_import(
        source=notice(PARAGRAPH_PLAN), filename="方案.docx", plan_name="清单", year=2021
    ))  # fmt: skip
    assert again.unchanged == 6 and Task.objects.count() == 6


def test_a_workbook_keeps_the_default_source(units):
    tasks = import_document(task_list(expected_as_sheet_tasks(), layout="simple"), "清单", "清单.xlsx")

    assert {t.source_kind for t in tasks.values()} == {SourceKind.DEPLOYMENT}


def counts() -> dict:
    models = (Task, TaskUnit, Milestone, TaskEvent, Plan, Unit, UnitAlias, AuditEvent)
    return {model.__name__: model.objects.count() for model in models}


def test_an_unreadable_trailer_is_reported_with_its_text_and_nothing_is_saved(units):
    bad = "5.开展产业链招商，年底前完成。（有关单位负责）"
    before = counts()

    preview = preview_import(
        source=notice(PARAGRAPH_PLAN[:12] + [bad]), filename="方案.docx", plan_name="p", year=2021
    )

    (problem,) = preview.errors
    assert problem.quote == bad and problem.where.endswith("段")
    assert problem.as_line().startswith(problem.where) and bad in problem.as_line()
    assert [r.has_error for r in preview.rows if r.source.number == "5"] == [True]
    assert not preview.can_commit
    with pytest.raises(ImportRefused):
        commit_import(actor=None, preview=preview)
    assert counts() == before


def test_an_unknown_unit_names_the_paragraph(units):
    plan = PARAGRAPH_PLAN[:6] + ["2.引进研发机构，年底前完成。（市卫健委负责）"]

    preview = preview_import(source=notice(plan), filename="方案.docx", plan_name="p", year=2021)

    (problem,) = preview.errors
    assert "市卫健委" in problem.message and problem.where == preview.rows[1].source.where
    assert problem.as_line().startswith(problem.where)


def test_a_number_used_twice_names_both_paragraphs(units):
    plan = PARAGRAPH_PLAN[:7] + ["2.引进研发机构，年底前完成。（市科技局负责）"]

    preview = preview_import(source=notice(plan), filename="方案.docx", plan_name="p", year=2021)

    (problem,) = preview.errors
    first, second = preview.rows[1].source.where, preview.rows[2].source.where
    assert problem.where == second and first in problem.message and second in problem.message
