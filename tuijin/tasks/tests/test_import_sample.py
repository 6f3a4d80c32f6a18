"""The shared sample list imports into exactly what its README says."""

import datetime
from pathlib import Path

import pytest

from tuijin.core.models import AuditEvent
from tuijin.org.models import Unit, UnitAlias, UnitKind
from tuijin.tasks.importing import commit_import, preview_import
from tuijin.tasks.models import Milestone, Plan, Task, TaskEvent, TaskStatus, TaskUnit

# A copy of ../shared/samples/core-sectors-2021-sample.xlsx, kept with the tests so CI never depends on it.
SAMPLE = Path(__file__).parent / "data" / "core-sectors-2021-sample.xlsx"
D = datetime.date


def make_sample_units() -> dict[str, Unit]:
    """The units the sample names, some under their full names with the list's spelling as alias."""
    units = {}
    for name, kind, alias in [
        ("郑东新区管委会", UnitKind.SECTOR, None),
        ("郑州市城乡建设局", UnitKind.DEPARTMENT, "市城建局"),
        ("市科技局", UnitKind.DEPARTMENT, None),
        ("管城回族区人民政府", UnitKind.DISTRICT, "管城区政府"),
        ("市商务局", UnitKind.DEPARTMENT, None),
        ("二七区人民政府", UnitKind.DISTRICT, None),  # the list's “二七区政府” matches by normalised form
        ("市住房保障局", UnitKind.DEPARTMENT, None),
        ("市人社局", UnitKind.DEPARTMENT, None),
        ("市营商办", UnitKind.DEPARTMENT, None),
    ]:
        unit = Unit.objects.create(name=name, kind=kind)
        if alias:
            UnitAlias.objects.create(unit=unit, name=alias)
        units[alias or name] = unit
    return units


def import_sample(actor=None, plan_name="2021年核心板块建设年度目标任务", source=SAMPLE):
    preview = preview_import(
        source=source, filename="core-sectors-2021-sample.xlsx", plan_name=plan_name, year=2021
    )
    assert not preview.errors, [p.as_line() for p in preview.errors]
    return preview, commit_import(actor=actor, preview=preview)


def units_of(task: Task, role: str) -> list[str]:
    return [
        tu.unit.name for tu in task.task_units.filter(role=role).order_by("position").select_related("unit")
    ]


@pytest.fixture
def sample_units(db):
    return make_sample_units()


def test_it_yields_the_readme_table(sample_units, sup):
    preview, result = import_sample(sup)

    assert result.created == 7 and result.plan_created
    plan = Plan.objects.get(name="2021年核心板块建设年度目标任务")
    assert plan.year == 2021
    tasks = {t.number: t for t in plan.tasks.all()}
    assert sorted(tasks) == ["1", "2", "3", "4", "5", "6", "7"]
    expected = {
        "1": (["郑东新区管委会"], ["郑州市城乡建设局"], D(2021, 12, 31)),
        "2": (["郑东新区管委会"], ["市科技局"], D(2021, 11, 30)),
        "3": (["管城回族区人民政府"], [], D(2021, 12, 31)),
        "4": (["管城回族区人民政府"], ["市商务局"], D(2021, 12, 31)),
        "5": (["二七区人民政府"], [], D(2021, 6, 30)),
        "6": (["市住房保障局"], ["市人社局"], D(2021, 9, 10)),
        "7": (["市营商办"], [], None),
    }
    for number, (lead, supporting, deadline) in expected.items():
        task = tasks[number]
        assert units_of(task, TaskUnit.LEAD) == lead, number
        assert units_of(task, TaskUnit.SUPPORT) == supporting, number
        assert task.deadline == deadline, number


def test_it_keeps_the_phrase_and_its_reading(sample_units):
    import_sample()
    tasks = {t.number: t for t in Task.objects.all()}

    first = tasks["1"]
    assert first.limit_text == "6月底前完成管廊主体；12月底前全部建成"
    assert first.limit_kind == "milestones"
    assert list(first.milestones.values_list("date", "text")) == [
        (D(2021, 6, 30), "6月底前完成管廊主体"),
        (D(2021, 12, 31), "12月底前全部建成"),
    ]
    monthly = tasks["4"]
    assert (monthly.cadence_period, monthly.cadence_day) == ("monthly", 28)
    assert monthly.limit_kind == "cadence"
    assert tasks["3"].limit_text == "年内竣工"
    assert tasks["7"].limit_kind == "continuing" and tasks["7"].deadline is None
    assert Milestone.objects.count() == 2  # only the task with several nodes has milestones


def test_it_fills_the_other_fields(sample_units):
    import_sample()
    task = Task.objects.get(number="6")
    assert task.title == "人才公寓配租"
    assert task.target == "新增人才公寓配租500套"
    assert task.leader == "市领导乙"
    assert task.owner == "负责人己"
    assert task.sort_key == "0006"
    assert task.state == "assigned"


def test_it_computes_statuses_as_refresh_status_would(sample_units):
    import_sample()
    from tuijin.tasks.services import refresh_status

    tasks = list(Task.objects.select_related("plan"))
    assert refresh_status(tasks) == 0  # nothing left to change
    assert Task.objects.get(number="7").status == TaskStatus.NORMAL


def test_it_writes_one_event_per_task_and_one_audit_row(sample_units, sup):
    preview, result = import_sample(sup)

    assert TaskEvent.objects.filter(kind=TaskEvent.Kind.IMPORTED).count() == 7
    event = TaskEvent.objects.get(task__number="5")
    assert event.actor == sup and event.data["row"] == 8
    audit = AuditEvent.objects.get(action="plan.import")
    assert audit.actor == sup
    assert audit.after["created"] == 7 and audit.after["rows"] == 7
    assert audit.after["sha256"] == preview.sha256 and len(preview.sha256) == 64
    assert AuditEvent.objects.filter(action__startswith="task.").count() == 0


def test_it_previews_without_writing(sample_units, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # plan, units, aliases (+ calendar-free): no query per row
        preview = preview_import(source=SAMPLE, filename="s.xlsx", plan_name="p", year=2021)

    assert preview.new_count == 7 and not preview.errors
    assert Task.objects.count() == 0 and Plan.objects.count() == 0
    first = preview.rows[0]
    assert first.lead_names == ["郑东新区管委会"] and first.supporting_names == ["郑州市城乡建设局"]
    assert [m.date for m in first.milestones] == [D(2021, 6, 30), D(2021, 12, 31)]


def test_it_reports_the_mixed_marking_convention_as_a_warning(sample_units):
    preview = preview_import(source=SAMPLE, filename="s.xlsx", plan_name="p", year=2021)

    assert [p.field for p in preview.warnings] == ["lead_units"]
    assert preview.can_commit


def test_it_refuses_a_year_other_than_the_plans(sample_units):
    Plan.objects.create(name="p", year=2022)

    preview = preview_import(source=SAMPLE, filename="s.xlsx", plan_name="p", year=2021)

    assert not preview.can_commit
    assert "2022" in preview.errors[0].message
