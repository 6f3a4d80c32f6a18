"""Importing a list again updates the tasks it matches by number instead of duplicating them."""

import datetime

import pytest

from tuijin.core.models import AuditEvent
from tuijin.lib.tests.sheets import task_list
from tuijin.org.models import Unit
from tuijin.tasks.importing import commit_import, preview_import
from tuijin.tasks.models import Milestone, Task, TaskEvent, TaskState, TaskUnit

D = datetime.date
TASKS = [
    {"number": 1, "title": "头部企业招商", "lead": "市商务局", "supporting": "市科技局", "limit": "6月底前完成签约；年底前落地"},
    {"number": 2, "title": "人才公寓配租", "lead": "市住房保障局", "limit": "9月上旬"},
    {"number": 3, "title": "诉求办理", "lead": "市营商办", "limit": "长期坚持"},
]  # fmt: skip


@pytest.fixture
def units(db):
    return {
        n: Unit.objects.create(name=n)
        for n in ["市商务局", "市科技局", "市住房保障局", "市营商办", "市人社局"]
    }


def import_list(tasks, plan_name="清单", actor=None):
    preview = preview_import(source=task_list(tasks), filename="l.xlsx", plan_name=plan_name, year=2021)
    assert not preview.errors, [p.as_line() for p in preview.errors]
    return preview, commit_import(actor=actor, preview=preview)


def test_it_changes_nothing_when_the_same_list_comes_again(units):
    import_list(TASKS)
    before = (Task.objects.count(), TaskUnit.objects.count(), Milestone.objects.count())

    preview, result = import_list(TASKS)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert (Task.objects.count(), TaskUnit.objects.count(), Milestone.objects.count()) == before
    assert TaskEvent.objects.count() == 3  # only the first import's events
    assert AuditEvent.objects.filter(action="plan.import").count() == 2


def test_it_updates_the_matched_task_and_says_what_changed(units):
    import_list(TASKS)
    task = Task.objects.get(number="1")
    task.state, task.progress = TaskState.IN_PROGRESS, 40
    task.save()
    changed = [
        {**TASKS[0], "title": "头部企业招商引资", "supporting": "市人社局", "limit": "10月底前"},
        TASKS[1],
        TASKS[2],
        {"number": 4, "title": "新增任务", "lead": "市商务局", "limit": "年底前"},
    ]

    preview, result = import_list(changed)

    row = preview.rows[0]
    assert {name for name, _before, _after in row.changes} == {"title", "limit_text", "support"}
    assert ("support", "市科技局", "市人社局") in row.changes
    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    task.refresh_from_db()
    assert task.title == "头部企业招商引资"
    assert task.deadline == D(2021, 10, 31)
    assert task.limit_kind == "date"
    assert not task.milestones.exists()  # the two nodes of the old phrase are gone
    assert [tu.unit.name for tu in task.task_units.filter(role=TaskUnit.SUPPORT)] == ["市人社局"]
    assert (task.state, task.progress) == (TaskState.IN_PROGRESS, 40)  # work done on the task stays
    event = task.events.filter(kind=TaskEvent.Kind.IMPORTED).order_by("-id").first()
    assert event.data["fields"] == ["limit_text", "support", "title"]
    assert Task.objects.count() == 4


def test_it_keeps_tasks_the_list_no_longer_names(units):
    import_list(TASKS)

    preview, _result = import_list(TASKS[:2])

    assert preview.untouched == 1
    assert Task.objects.count() == 3


def test_it_numbers_sub_items_after_their_parent(units):
    tasks = [TASKS[0], {"number": "（1）", "title": "子项", "lead": "市商务局", "limit": "3月底前"}, TASKS[1]]
    import_list(tasks)

    assert [t.number for t in Task.objects.order_by("sort_key")] == ["1", "(1)", "2"]
    assert Task.objects.get(number="(1)").sort_key == "0001.0001"


def test_it_matches_numbers_typed_in_the_app(units, sup):
    from tuijin.tasks.services import create_task

    preview, result = import_list(TASKS[:1])
    parent = Task.objects.get()
    create_task(actor=sup, plan=result.plan, number="（1）", title="子项", parent=parent,
                lead_units=[units["市商务局"]], limit_text="3月底前")  # fmt: skip

    preview = preview_import(
        source=task_list([TASKS[0], {"number": "(1)", "title": "子项", "lead": "市商务局", "limit": "3月底前"}]),
        filename="l.xlsx", plan_name="清单", year=2021,
    )  # fmt: skip

    assert preview.new_count == 0 and preview.unchanged_count == 2


def test_fields_the_list_has_no_column_for_stay_as_they_are(units):
    tasks = [{**TASKS[0], "owner": "张伟", "target": "签约5家"}, TASKS[1]]
    import_list(tasks)
    without_owner = [{k: v for k, v in t.items() if k != "owner"} for t in tasks]
    # 序号 工作任务 工作目标 牵头/协办 分管领导 完成时限: no 责任人 column, no categories
    rows = task_list(without_owner, layout="two_level_unmerged")

    preview = preview_import(source=rows, filename="l.xlsx", plan_name="清单", year=2021)

    assert {"owner", "category"} <= preview.kept_fields
    assert preview.unchanged_count == 2
    commit_import(actor=None, preview=preview)
    assert Task.objects.get(number="1").owner == "张伟"


def test_an_export_imported_back_into_its_plan_changes_nothing(units, sup):
    import io

    from tuijin.tasks.exporting import write_export

    _preview, result = import_list([{**TASKS[0], "owner": "张伟"}, *TASKS[1:]])
    buffer = io.BytesIO()
    write_export(buffer, plan=result.plan)

    preview = preview_import(source=buffer.getvalue(), filename="e.xlsx", plan_name="清单", year=2021)

    assert not preview.errors
    assert (preview.new_count, preview.updated_count, preview.unchanged_count) == (0, 0, 3)
