"""A list with defects is refused as a whole: every defective row is named and the database is unchanged."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tuijin.core.models import AuditEvent
from tuijin.lib.tests.sheets import task_list
from tuijin.org.models import Unit, UnitAlias
from tuijin.tasks.importing import ImportRefused, commit_import, preview_import
from tuijin.tasks.models import Milestone, Plan, Task, TaskEvent, TaskUnit

GOOD = {"title": "头部企业招商", "lead": "市商务局", "limit": "6月底前"}
DEFECTIVE = [
    {"number": 1, **GOOD},
    {"number": 2, "title": "人才公寓配租", "lead": "市住房保障局", "supporting": "市人社局", "limit": "年底前"},  # unknown unit
    {"number": 3, "title": "道路建设", "lead": "市商务局", "limit": "尽快"},  # no usable time limit
    {"number": 4, "title": "平台引进", "target": '=CONCATENATE("引进","5个")', "lead": "市商务局", "limit": "9月"},
    {"number": 5, "title": None, "lead": "市商务局", "limit": "年底前"},  # no title
    {"number": 6, "title": "诉求办理", "lead": "市商务局", "limit": "13月底前"},  # no such month
]  # fmt: skip
# header on row 5 (附件1, title, 填报单位, blank line above it): task n is on row 5 + n
ROW = {n: 5 + n for n in range(1, 7)}


def counts() -> dict:
    return {model.__name__: model.objects.count()
            for model in (Task, TaskUnit, Milestone, TaskEvent, Plan, Unit, UnitAlias, AuditEvent)}  # fmt: skip


@pytest.fixture
def defective_list(db):
    Unit.objects.create(name="市商务局")
    Unit.objects.create(name="市人力资源和社会保障局")
    return task_list(DEFECTIVE, layout="simple")


def test_it_names_every_defective_row(defective_list):
    preview = preview_import(source=defective_list, filename="list.xlsx", plan_name="p", year=2021)

    where = {(p.row, p.column, p.field) for p in preview.errors}
    assert (ROW[2], "D", "lead_units") in where  # 市住房保障局 is unknown
    assert (ROW[2], "E", "supporting_units") in where  # so is 市人社局
    assert (ROW[3], "H", "limit_text") in where
    assert (ROW[4], "C", "target") in where  # the formula
    assert (ROW[5], "B", "title") in where
    assert (ROW[6], "H", "limit_text") in where
    assert ROW[1] not in {p.row for p in preview.errors}
    assert not preview.can_commit
    flagged = [r.row for r in preview.rows if r.has_error]
    assert flagged == [ROW[n] for n in (2, 3, 4, 5, 6)]
    second = preview.rows[1]
    assert (second.unknown_lead, second.unknown_support) == (("市住房保障局",), ("市人社局",))


def test_it_says_how_to_fix_an_unknown_unit(defective_list):
    preview = preview_import(source=defective_list, filename="list.xlsx", plan_name="p", year=2021)

    problem = next(p for p in preview.errors if p.field == "supporting_units")
    assert "市人社局" in problem.message
    assert "市人力资源和社会保障局" not in problem.message  # never guessed …
    assert problem.hint  # … but the way to fix it is given
    line = problem.as_line()
    assert line.startswith(f"第{ROW[2]}行 E列 [") and " — " in line


def test_it_passes_on_the_parsers_message_for_a_limit(defective_list):
    preview = preview_import(source=defective_list, filename="list.xlsx", plan_name="p", year=2021)

    limit = next(p for p in preview.errors if p.row == ROW[6] and p.field == "limit_text")
    assert "13" in limit.message


def test_it_refuses_to_save_and_changes_nothing(defective_list, sup):
    before = counts()
    preview = preview_import(
        source=defective_list, filename="list.xlsx", plan_name="p", year=2021, create_units=True
    )

    with pytest.raises(ImportRefused):
        commit_import(actor=sup, preview=preview)

    assert counts() == before


def test_it_lists_unknown_units_to_create_when_asked(defective_list):
    preview = preview_import(
        source=defective_list, filename="list.xlsx", plan_name="p", year=2021, create_units=True
    )

    assert preview.units_to_create == ["市住房保障局", "市人社局"]
    assert not any(p.field in ("lead_units", "supporting_units") for p in preview.errors)


def test_the_command_refuses_it_with_every_problem(defective_list, tmp_path, capsys):
    path = tmp_path / "list.xlsx"
    path.write_bytes(defective_list)
    before = counts()

    with pytest.raises(CommandError, match="nothing saved"):
        call_command("import-tasks", str(path), plan="p", year=2021)

    out = capsys.readouterr().out
    for n in (2, 3, 4, 5, 6):
        assert f"第{ROW[n]}行" in out
    assert counts() == before


def test_it_creates_confirmed_units_with_the_import(db, sup):
    data = task_list(
        [
            {
                "number": 1,
                "title": "诉求办理",
                "lead": "新区管委会",
                "supporting": "市营商办",
                "limit": "年底前",
            }
        ]
    )
    preview = preview_import(source=data, filename="l.xlsx", plan_name="p", year=2021, create_units=True)

    commit_import(actor=sup, preview=preview)

    task = Task.objects.get()
    assert set(task.task_units.values_list("unit__name", "role")) == {
        ("新区管委会", "lead"),
        ("市营商办", "support"),
    }
    assert Unit.objects.get(name="新区管委会").kind == "sector"
    assert AuditEvent.objects.get(action="plan.import").after["units_created"] == ["新区管委会", "市营商办"]


def test_it_rejects_a_number_used_twice(db):
    Unit.objects.create(name="市商务局")
    data = task_list([{"number": 1, **GOOD}, {"number": 1, **GOOD, "title": "另一个"}])

    preview = preview_import(source=data, filename="l.xlsx", plan_name="p", year=2021)

    (problem,) = preview.errors
    assert problem.row == 7 and problem.field == "number" and "6" in problem.message
