"""Warnings follow the clock and the records: yellow near the deadline or behind time-proportional progress,
red once overdue, yellow while the lead unit's report is missing — and resolved when the cause goes away."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tuijin.supervision.models import Warning
from tuijin.supervision.warnings import describe, sync_warnings
from tuijin.tasks import services
from tuijin.tasks.models import Task, TaskState

from .test_warnings_support import at, make_task, on, open_warnings, refresh

pytestmark = pytest.mark.django_db


def on_track(task, progress=95):
    Task.objects.filter(pk=task.pk).update(progress=progress)


def test_it_turns_a_task_yellow_then_red_and_its_warnings_follow(sup, plan, unit_a):
    task = make_task(sup, plan, [unit_a])  # due 2026-06-30, a Tuesday
    on_track(task)
    refresh("2026-06-24")  # 4 working days left
    assert "deadline" not in open_warnings(task)
    refresh("2026-06-25")  # 3 working days left: yellow
    task.refresh_from_db()
    assert task.status == "warning"
    assert open_warnings(task)["deadline"] == "yellow"
    yellow = Warning.objects.get(task=task, kind="deadline")
    assert yellow.first_seen == at("2026-06-25")
    assert yellow.reason == "due:3"
    refresh("2026-06-29")
    yellow.refresh_from_db()
    assert (yellow.reason, yellow.first_seen, yellow.last_seen) == (
        "due:1",
        at("2026-06-25"),
        at("2026-06-29"),
    )
    refresh("2026-07-01")  # overdue: red
    task.refresh_from_db()
    assert task.status == "overdue"
    yellow.refresh_from_db()
    assert yellow.resolved_at == at("2026-07-01")
    assert open_warnings(task)["overdue"] == "red"
    assert "deadline" not in open_warnings(task)
    red = Warning.objects.get(task=task, kind="overdue", resolved_at__isnull=True)
    assert red.reason == "overdue:2026-06-30"
    assert "2026-06-30" in describe(red)


def test_it_keeps_one_open_warning_per_kind_however_often_it_runs(sup, plan, unit_a):
    task = make_task(sup, plan, [unit_a])
    for _ in range(3):
        refresh("2026-07-02")
    assert Warning.objects.filter(task=task, kind="overdue").count() == 1


def test_it_raises_both_the_deadline_and_the_progress_warning_for_a_lagging_task_near_its_deadline(
    sup, plan, unit_a
):
    task = make_task(sup, plan, [unit_a])
    on_track(task, progress=40)
    refresh("2026-06-26")
    task.refresh_from_db()
    assert task.status_reason.startswith("due:")  # the status names one cause only
    warnings = open_warnings(task)
    assert warnings["deadline"] == warnings["progress"] == "yellow"
    progress = Warning.objects.get(task=task, kind="progress")
    assert progress.reason.startswith("lag:40:")


def test_it_resolves_the_progress_warning_once_the_lead_unit_reports_enough(sup, alice, plan, unit_a):
    task = make_task(sup, plan, [unit_a])
    refresh("2026-03-02")  # about a third of the time gone, nothing done
    assert open_warnings(task)["progress"] == "yellow"
    with on("2026-03-03"):
        services.acknowledge(actor=alice, task=task)
        task = Task.objects.for_list().get(pk=task.pk)
        services.submit_report(actor=alice, task=task, text="完成主体施工", progress=40)
    assert "progress" not in open_warnings(task)
    assert Warning.objects.get(task=task, kind="progress").resolved_at == at("2026-03-03")


def test_it_uses_the_plans_own_thresholds(sup, plan, unit_a):
    plan.yellow_workdays, plan.progress_lag_points = 5, 50
    plan.save()
    task = make_task(sup, plan, [unit_a])
    on_track(task, progress=50)
    refresh("2026-06-23")  # 5 working days left; 50 % done against about 96 % elapsed
    warnings = open_warnings(task)
    assert warnings["deadline"] == "yellow"
    assert "progress" not in warnings


def test_it_warns_when_the_lead_units_report_is_missing_and_clears_once_it_is_in(
    sup, alice, bob, plan, unit_a, unit_b
):
    task = make_task(sup, plan, [unit_a], [unit_b], day="2026-03-02")  # monthly, due on the 25th
    with on("2026-03-03"):
        services.acknowledge(actor=alice, task=task)
    refresh("2026-03-25")  # due today: not missing yet
    assert "report" not in open_warnings(task)
    refresh("2026-03-26")
    assert open_warnings(task)["report"] == "yellow"
    warning = Warning.objects.get(task=task, kind="report")
    assert warning.reason == "report:2026-03:2026-03-25"
    assert "2026-03" in describe(warning)
    with on("2026-03-26", 11):
        task = Task.objects.for_list().get(pk=task.pk)
        services.submit_report(actor=bob, task=task, text="配合完成资料收集")  # a supporting unit's report
    assert "report" in open_warnings(task)
    with on("2026-03-27"):
        task = Task.objects.for_list().get(pk=task.pk)
        services.submit_report(actor=alice, task=task, text="补报3月进展", progress=30)
    assert "report" not in open_warnings(task)
    warning.refresh_from_db()
    assert warning.resolved_at == at("2026-03-27")
    refresh("2026-04-10")  # March is in; April's report is not due yet
    assert "report" not in open_warnings(task)


def test_it_does_not_ask_for_a_report_due_before_the_task_existed(sup, plan, unit_a):
    task = make_task(sup, plan, [unit_a], day="2026-03-27")
    refresh("2026-04-01")
    assert "report" not in open_warnings(task)


def test_it_resolves_every_warning_when_the_task_is_closed(sup, alice, plan, unit_a):
    task = make_task(sup, plan, [unit_a])
    refresh("2026-07-02")
    assert open_warnings(task)
    with on("2026-07-03"):
        Task.objects.filter(pk=task.pk).update(state=TaskState.CLOSURE_REQUESTED)
        services.close_task(actor=sup, task=Task.objects.for_list().get(pk=task.pk))
    assert open_warnings(task) == {}
    assert not Warning.objects.filter(task=task, resolved_at__isnull=True).exists()
    assert set(Warning.objects.filter(task=task).values_list("resolved_at", flat=True)) == {at("2026-07-03")}


def test_it_opens_a_new_warning_when_a_cause_comes_back(sup, plan, unit_a):
    task = make_task(sup, plan, [unit_a])
    refresh("2026-03-02")
    on_track(task, progress=60)
    refresh("2026-03-03")
    on_track(task, progress=0)
    refresh("2026-03-04")
    rows = list(Warning.objects.filter(task=task, kind="progress").order_by("first_seen"))
    assert [(w.first_seen, w.resolved_at) for w in rows] == [
        (at("2026-03-02"), at("2026-03-03")),
        (at("2026-03-04"), None),
    ]


def _tasks(sup, plan, units, n, start):
    return [make_task(sup, plan, units, number=str(start + i), limit="3月底前") for i in range(n)]


def test_it_syncs_many_tasks_with_a_fixed_number_of_queries(sup, plan, unit_a, unit_b):
    small = _tasks(sup, plan, [unit_a], 2, 10)
    large = _tasks(sup, plan, [unit_a, unit_b], 30, 100)
    counts = []
    for tasks in (small, large):
        for day in ("2026-03-26", "2026-04-02"):  # opening (yellow), then resolving and opening (red)
            fresh = list(Task.objects.filter(pk__in=[t.pk for t in tasks]))
            with CaptureQueriesContext(connection) as queries:
                sync_warnings(fresh, at(day))
            counts.append(len(queries))
    assert counts[:2] == counts[2:]
    assert Warning.objects.filter(kind="overdue", resolved_at__isnull=True).count() == 32


def test_it_listens_to_every_status_refresh_once_however_often_it_is_registered():
    from tuijin.supervision import apps_hooks
    from tuijin.tasks import hooks

    apps_hooks.register()
    apps_hooks.register()
    assert hooks.after_status_refresh.count(sync_warnings) == 1
