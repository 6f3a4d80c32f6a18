"""A task goes assigned → acknowledged → reported → closure requested → closed, or is returned; extensions."""

import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tuijin.core.models import AuditEvent
from tuijin.tasks import services
from tuijin.tasks.evidence import check_upload
from tuijin.tasks.models import TaskEvent, TaskState, TaskStatus


def png(name="site.png", color=(200, 80, 40)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def fresh(task):
    return type(task).objects.for_list().get(pk=task.pk)


@pytest.mark.django_db
def test_it_walks_a_task_from_assignment_to_closure(task, alice, sup):
    assert task.state == TaskState.ASSIGNED
    services.acknowledge(actor=alice, task=fresh(task))
    services.submit_report(actor=alice, task=fresh(task), text="主体完工", progress=60)
    services.request_closure(actor=alice, task=fresh(task), note="已建成", files=[check_upload(png())])
    services.close_task(actor=sup, task=fresh(task), note="现场核查属实")
    task = fresh(task)
    assert task.state == TaskState.CLOSED
    assert task.status == TaskStatus.CLOSED
    assert task.progress == 100
    kinds = list(task.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["created", "acknowledged", "reported", "closure_requested", "closed"]
    assert AuditEvent.objects.filter(
        object_type="tasks.task", object_id=str(task.pk), action="task.close"
    ).exists()


@pytest.mark.django_db
def test_it_refuses_closure_without_evidence(task, alice):
    services.acknowledge(actor=alice, task=fresh(task))
    with pytest.raises(services.TransitionError):
        services.request_closure(actor=alice, task=fresh(task), note="完成了")
    assert fresh(task).state == TaskState.IN_PROGRESS


@pytest.mark.django_db
def test_it_returns_a_task_with_a_reason(task, alice, sup):
    services.acknowledge(actor=alice, task=fresh(task))
    services.request_closure(actor=alice, task=fresh(task), note="完成", files=[check_upload(png())])
    with pytest.raises(services.TransitionError):
        services.return_task(actor=sup, task=fresh(task), reason="  ")
    services.return_task(actor=sup, task=fresh(task), reason="照片不能反映完工")
    assert fresh(task).state == TaskState.IN_PROGRESS
    assert fresh(task).events.filter(kind=TaskEvent.Kind.RETURNED, note="照片不能反映完工").exists()


@pytest.mark.django_db
def test_it_lets_only_the_supervisor_close(task, alice, bob, leader):
    services.acknowledge(actor=alice, task=fresh(task))
    services.request_closure(actor=alice, task=fresh(task), note="完成", files=[check_upload(png())])
    for user in (alice, bob, leader):
        with pytest.raises(services.TransitionError):
            services.close_task(actor=user, task=fresh(task))


@pytest.mark.django_db
def test_it_lets_the_supporting_unit_report_its_part_without_moving_the_task_figure(task, alice, bob):
    services.acknowledge(actor=alice, task=fresh(task))
    services.submit_report(actor=alice, task=fresh(task), text="牵头推进", progress=30)
    report = services.submit_report(actor=bob, task=fresh(task), text="配合完成科技政策", progress=90)
    assert report.unit.name == "市科技局"
    assert fresh(task).progress == 30
    with pytest.raises(services.TransitionError):
        services.request_closure(actor=bob, task=fresh(task), note="x", files=[check_upload(png())])


@pytest.mark.django_db
def test_it_keeps_the_old_deadline_when_an_extension_is_approved(task, alice, sup):
    with time_machine.travel(datetime.datetime(2026, 11, 1, 10), tick=False):
        services.acknowledge(actor=alice, task=fresh(task))
        ext = services.request_extension(
            actor=alice, task=fresh(task), new_deadline=datetime.date(2027, 3, 31), reason="征地手续未批"
        )
        services.decide_extension(actor=sup, extension=ext, approve=True, note="同意")
    task = fresh(task)
    assert task.deadline == datetime.date(2027, 3, 31)
    assert task.original_deadline == datetime.date(2026, 12, 31)


@pytest.mark.django_db
def test_it_refuses_an_extension_after_the_deadline(task, alice):
    with time_machine.travel(datetime.datetime(2027, 1, 5, 10), tick=False):
        services.acknowledge(actor=alice, task=fresh(task))
        with pytest.raises(services.TransitionError):
            services.request_extension(
                actor=alice, task=fresh(task), new_deadline=datetime.date(2027, 3, 31), reason="来不及"
            )
    assert not task.extensions.exists()


@pytest.mark.django_db
def test_it_rolls_child_progress_up_to_the_parent(plan, sup, alice, unit_a, task):
    child1 = services.create_task(
        actor=sup, plan=plan, number="1.1", title="一期", lead_units=[unit_a], parent=task
    )
    services.create_task(actor=sup, plan=plan, number="1.2", title="二期", lead_units=[unit_a], parent=task)
    services.acknowledge(actor=alice, task=fresh(child1))
    services.submit_report(actor=alice, task=fresh(child1), text="一期过半", progress=50)
    assert fresh(task).progress == 25


@pytest.mark.django_db
def test_it_flags_a_reused_photo(task, alice):
    services.acknowledge(actor=alice, task=fresh(task))
    first = services.submit_report(
        actor=alice, task=fresh(task), text="一月", progress=10, files=[check_upload(png())]
    )
    second = services.submit_report(
        actor=alice, task=fresh(task), text="二月", progress=20, files=[check_upload(png())]
    )
    assert second.evidence.get().reused_from == first.evidence.get()
