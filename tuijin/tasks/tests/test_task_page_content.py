"""A task's page: its reports with their files, its attachments, its timeline in local time, and the closure and
extension forms only for those who may send them — in a fixed number of queries."""

import datetime
import zoneinfo

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from tuijin.conftest import PASSWORD
from tuijin.tasks import services
from tuijin.tasks.models import Evidence, ExtensionRequest, Report, TaskEvent


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def page(client, task) -> str:
    response = client.get(reverse("task_detail", args=[task.code]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "closure", "extension"),
    [("sup", False, False), ("leader", False, False), ("alice", True, True), ("bob", False, False)],
)
def test_it_renders_the_closure_and_extension_forms_for_those_who_may_send_them(
    client, task, alice, who, closure, extension, request
):
    services.acknowledge(actor=alice, task=task)
    login(client, request.getfixturevalue(who))
    html = page(client, task)
    assert ('id="closure-panel"' in html) is closure
    assert ('data-testid="open-closure"' in html) is closure
    assert ('id="extension-panel"' in html) is extension


@pytest.mark.django_db
def test_it_keeps_each_file_with_its_report_and_the_attachments_apart(client, task, sup, alice, unit_a):
    first = Report.objects.create(task=task, unit=unit_a, author=alice, period="2026-01", text="一月进展")
    second = Report.objects.create(task=task, unit=unit_a, author=alice, period="2026-02", text="二月进展")
    for report, name in ((first, "一月照片.jpg"), (second, "二月方案.pdf"), (None, "总体方案.docx")):
        Evidence.objects.create(task=task, report=report, uploaded_by=alice, original_name=name, size=1,
                                sha256=name.encode().hex()[:64], kind="photo" if name.endswith("jpg") else "pdf")  # fmt: skip
    login(client, sup)
    html = page(client, task)
    january, february = html.index("一月进展"), html.index("二月进展")
    attachments = html.index("总体方案.docx")
    # Reports newest first, each followed by its own file; the attachments after them.
    assert february < html.index("二月方案.pdf") < january < html.index("一月照片.jpg") < attachments
    photo = Evidence.objects.get(original_name="一月照片.jpg")
    assert f'href="{reverse("evidence_file", args=[photo.code])}"' in html
    assert f'src="{reverse("evidence_thumb", args=[photo.code])}"' in html
    document = Evidence.objects.get(original_name="总体方案.docx")
    assert f'href="{reverse("evidence_file", args=[document.code])}"' in html


@pytest.mark.django_db
def test_it_shows_times_in_local_time_as_the_date_filter_does(client, task, sup, alice, unit_a):
    late_evening_utc = datetime.datetime(2026, 3, 31, 17, 5, tzinfo=datetime.UTC)  # 1 April 01:05 in Shanghai
    report = Report.objects.create(task=task, unit=unit_a, author=alice, period="2026-03", text="三月进展")
    Report.objects.filter(pk=report.pk).update(created_at=late_evening_utc)
    TaskEvent.objects.filter(task=task).update(at=late_evening_utc)
    login(client, sup)
    html = page(client, task)
    assert html.count("2026-04-01 01:05") == 2  # the report and the timeline entry
    date_filter = engines["django"].from_string('{{ when|date:"Y-m-d H:i" }}')
    minute = engines["django"].from_string("{% load task_tags %}{{ when|minute }}")
    for zone in ("Asia/Shanghai", "UTC", "America/New_York"):
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            for when in (late_evening_utc, timezone.now(), None):
                assert minute.render({"when": when}) == date_filter.render({"when": when})


@pytest.mark.django_db
def test_it_decides_pending_extensions_from_the_list_it_shows(client, task, sup, alice):
    services.acknowledge(actor=alice, task=task)
    login(client, sup)
    assert 'name="approve"' not in page(client, task)
    ExtensionRequest.objects.create(task=task, requested_by=alice, old_deadline=datetime.date(2026, 12, 31),
                                    new_deadline=datetime.date(2027, 3, 31), reason="施工延误")  # fmt: skip
    assert 'name="approve"' in page(client, task)
    login(client, alice)
    assert 'id="extension-panel"' not in page(client, task)  # one is pending already


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "queries"), [("sup", 15), ("alice", 16)])
def test_it_shows_a_task_in_a_fixed_number_of_queries(client, task, alice, unit_a, who, queries, request,
                                                      django_assert_num_queries):  # fmt: skip
    """Session, user, roles, the task and its units, extension requests, reports, evidence (the reports' files
    and the attachments in one), timeline, milestones, sub-tasks, warnings, orders, the investment measure and
    the unread bell (+ a unit user's sector, for the navigation). Two fewer than before the evidence was read in
    one query and the pending extension from the list shown."""
    Report.objects.create(task=task, unit=unit_a, author=alice, period="2026-01", text="一月进展")
    login(client, request.getfixturevalue(who))
    page(client, task)  # the idle clock is written to the session on the first request only
    with django_assert_num_queries(queries):
        page(client, task)
