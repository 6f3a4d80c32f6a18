"""A task's page and its API detail cost the same number of queries however long the task's history: reports of
several units with evidence, attachments, milestones, timeline entries, extension requests, sub-tasks, warnings
and orders."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tuijin.conftest import PASSWORD
from tuijin.org.models import ApiToken
from tuijin.supervision.models import Order, Warning
from tuijin.tasks import services
from tuijin.tasks.models import Evidence, ExtensionRequest, Milestone, Report, TaskEvent

BASE = "/api/v1"


def history(task, sup, alice, bob, unit_a, unit_b, n: int) -> None:
    """`n` more of everything that hangs on a task (rows only: no file is written, the page links by code)."""
    now = timezone.now()
    for i in range(n):
        for author, unit in ((alice, unit_a), (bob, unit_b)):
            report = Report.objects.create(task=task, unit=unit, author=author, period=f"2026-{i % 12 + 1:02d}",
                                           text=f"第{i}期进展", progress=min(90, i * 5))  # fmt: skip
            for kind in (Evidence.Kind.PHOTO, Evidence.Kind.PDF):
                Evidence.objects.create(task=task, report=report, uploaded_by=author, kind=kind,
                                        original_name=f"材料{i}.{kind}", size=1000, sha256=f"{i:064x}")  # fmt: skip
        Evidence.objects.create(task=task, uploaded_by=alice, kind=Evidence.Kind.WORD,
                                original_name=f"附件{i}.docx", size=1000, sha256=f"{i + 1000:064x}")  # fmt: skip
        Milestone.objects.create(task=task, date=datetime.date(2026, i % 12 + 1, 15), text=f"节点{i}")
        TaskEvent.objects.create(task=task, kind=TaskEvent.Kind.REPORTED, unit=unit_a, note=f"第{i}期")
        ExtensionRequest.objects.create(task=task, requested_by=alice, old_deadline=datetime.date(2026, 12, 31),
                                        new_deadline=datetime.date(2027, 3, 31), reason=f"理由{i}")  # fmt: skip
        services.create_task(actor=sup, plan=task.plan, parent=task, number=f"1.{Report.objects.count()}",
                             title=f"子任务{i}", lead_units=[unit_b], limit_text="年底前")  # fmt: skip
        Warning.objects.create(task=task, kind=Warning.Kind.PROGRESS, level=Warning.Level.YELLOW,
                               reason=f"lag:{i}", first_seen=now, last_seen=now,
                               resolved_at=now if task.warnings.exists() else None)  # fmt: skip
        Order.objects.create(task=task, unit=unit_a, level=Order.Level.REMINDER, year=2026,
                             requirement=f"请加快推进{i}", due_date=datetime.date(2026, 4, 1), issued_by=sup,
                             issued_at=now)  # fmt: skip


def page_queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "leader", "alice", "bob"])
def test_it_shows_a_task_page_with_the_same_queries_for_a_short_or_long_history(
    client, task, sup, alice, bob, unit_a, unit_b, who, request
):
    history(task, sup, alice, bob, unit_a, unit_b, 1)
    user = request.getfixturevalue(who)
    assert client.login(username=user.username, password=PASSWORD)
    url = reverse("task_detail", args=[task.code])
    few = page_queries(client, url)
    history(task, sup, alice, bob, unit_a, unit_b, 8)
    assert page_queries(client, url) == few


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "alice"])
def test_it_answers_the_task_api_with_the_same_queries_for_a_short_or_long_history(
    client, task, sup, alice, bob, unit_a, unit_b, who, request
):
    history(task, sup, alice, bob, unit_a, unit_b, 1)
    _token, key = ApiToken.issue(request.getfixturevalue(who))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    url = f"{BASE}/tasks/{task.code}"
    client.get(f"{BASE}/plans", **headers)  # opens this minute's rate window: later requests count in one UPDATE
    few = page_queries(client, url, **headers)
    history(task, sup, alice, bob, unit_a, unit_b, 8)
    assert page_queries(client, url, **headers) == few
