"""Live task measures (自动统计): a task bound to the pipeline moves when projects move, with no report typed."""

import datetime
from decimal import Decimal

import pytest

from tuijin.investment import measures, services
from tuijin.investment.models import MeasureBinding, Stage
from tuijin.tasks import services as task_services
from tuijin.tasks.models import Report, Task, TaskEvent

from .conftest import make_project, sign

D = datetime.date


@pytest.fixture
def target_task(sup, plan, unit_a):
    plan.year = 2021
    plan.save()
    return task_services.create_task(
        actor=sup, plan=plan, number="3", title="签约头部企业不少于5家", lead_units=[unit_a],
        measure_quantity=Decimal(5), measure_unit="家", limit_text="年底前",
    )  # fmt: skip


@pytest.fixture
def bound(sup, target_task, unit_a, head):
    return services.bind_measure(actor=sup, task=target_task, metric=MeasureBinding.Metric.SIGNED_COUNT, year=2021,
                                 sector=unit_a, category=head)  # fmt: skip


def test_it_moves_the_progress_of_a_bound_task_when_a_project_is_signed(ivan, project, target_task, bound):
    """MUST SHOW: signing a project moves the progress of a bound task, with no report typed."""
    target_task.refresh_from_db()
    assert (target_task.measured_value, target_task.progress) == (Decimal(0), 0)
    sign(ivan, project, D(2021, 3, 1), "50000")
    target_task.refresh_from_db()
    assert (target_task.measured_value, target_task.progress) == (Decimal(1), 20)
    assert not Report.objects.filter(task=target_task).exists()
    event = TaskEvent.objects.filter(task=target_task, data__source="investment").first()
    assert event.data["measured_value"] == "1"


def test_it_counts_a_re_signing_once_in_the_task_too(ivan, project, target_task, bound):
    sign(ivan, project, D(2021, 3, 1), "50000")
    services.sign_again(
        actor=ivan, project=project, agreement_type="formal", date=D(2021, 4, 1), amount=Decimal(6e4)
    )
    target_task.refresh_from_db()
    assert target_task.measured_value == 1


def test_it_ignores_projects_outside_the_binding(
    ivan, olga, project, enterprise, target_task, bound, sector_b, hightech
):
    other = make_project(olga, enterprise, sector_b, hightech, name="别的板块项目")
    sign(olga, other, D(2021, 3, 1), "50000")
    target_task.refresh_from_db()
    assert target_task.measured_value == 0


def test_it_caps_progress_at_100(ivan, olga, enterprise, unit_a, head, target_task, bound):
    for i in range(6):
        sign(ivan, make_project(ivan, enterprise, unit_a, head, name=f"项目{i}"), D(2021, 3, 1 + i), "1000")
    target_task.refresh_from_db()
    assert (target_task.measured_value, target_task.progress) == (Decimal(6), 100)


def test_it_measures_signed_amounts_in_yi(sup, ivan, project, target_task):
    target_task.measure_quantity, target_task.measure_unit = Decimal(20), "亿元"
    target_task.save()
    services.bind_measure(actor=sup, task=target_task, metric=MeasureBinding.Metric.SIGNED_AMOUNT, year=2021)
    sign(ivan, project, D(2021, 3, 1), "50000")
    target_task.refresh_from_db()
    assert (target_task.measured_value, target_task.progress) == (Decimal("5.00"), 25)


def test_it_measures_landed_projects(sup, ivan, project, target_task):
    services.bind_measure(actor=sup, task=target_task, metric=MeasureBinding.Metric.LANDED_COUNT, year=2021)
    sign(ivan, project, D(2021, 3, 1), "50000")
    services.move_stage(actor=ivan, project=project, to_stage=Stage.REGISTERED, date=D(2021, 4, 1),
                        registered_capital=Decimal(1000))  # fmt: skip
    target_task.refresh_from_db()
    assert target_task.measured_value == 0
    services.move_stage(actor=ivan, project=project, to_stage=Stage.LANDED, date=D(2021, 5, 1))
    target_task.refresh_from_db()
    assert (target_task.measured_value, target_task.progress) == (Decimal(1), 20)


def test_it_keeps_the_computed_progress_when_a_report_types_one(alice, ivan, project, target_task, bound):
    sign(ivan, project, D(2021, 3, 1), "50000")
    target_task = Task.objects.for_list().get(pk=target_task.pk)
    task_services.acknowledge(actor=alice, task=target_task)
    report = task_services.submit_report(actor=alice, task=target_task, text="已签约1家", progress=90)
    target_task.refresh_from_db()
    report.refresh_from_db()
    assert target_task.progress == 20
    assert report.progress is None


def test_it_recomputes_every_binding_from_the_tick(ivan, project, target_task, bound):
    sign(ivan, project, D(2021, 3, 1), "50000")
    Task.objects.filter(pk=target_task.pk).update(progress=0, measured_value=0)
    assert measures.refresh_all() == 1
    target_task.refresh_from_db()
    assert target_task.progress == 20
    assert measures.refresh_all() == 0


def test_it_binds_only_for_the_supervision_office_and_tasks_with_a_target(ivan, sup, target_task):
    with pytest.raises(services.PipelineError):
        services.bind_measure(actor=ivan, task=target_task, metric="signed_count")
    target_task.measure_quantity = None
    target_task.save()
    with pytest.raises(services.PipelineError):
        services.bind_measure(actor=sup, task=target_task, metric="signed_count")


def test_it_exposes_the_binding_of_a_task(target_task, bound):
    assert measures.binding_for(target_task) == bound
    assert list(measures.projects_for(bound)) == []


def test_it_tells_the_task_engine_which_tasks_are_measured_elsewhere(monkeypatch, target_task, bound, task):
    from tuijin.tasks import hooks

    monkeypatch.setattr(hooks, "measured_elsewhere", [], raising=False)
    measures.register()
    assert [check(target_task) for check in hooks.measured_elsewhere] == [True]
    assert [check(task) for check in hooks.measured_elsewhere] == [False]
