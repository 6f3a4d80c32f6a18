"""The auditor's screen: only the auditor; filters by date, user, category, action, object type, outcome and
text; before → after as a readable diff; paginated at a constant number of queries; the chain's state with a
button to verify it now; the filtered log as a spreadsheet. Verifying and exporting are audited."""

import datetime
import io

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from tuijin.core.audit import record
from tuijin.core.models import AuditEvent, AuditVerification
from tuijin.core.tests.audit_support import drop_triggers, sql

pytestmark = pytest.mark.django_db
URL = "/audit/"


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client


@pytest.fixture
def mixed(alice, sup):
    """One of each kind of event, the failures marked."""
    record(actor=alice, action="task.acknowledge", object_type="tasks.task", object_id="7", object_repr="建成孵化基地",
           before={"state": "assigned", "progress": 0}, after={"state": "in_progress", "progress": 0})  # fmt: skip
    record(
        actor=None, actor_name="mallory", action="auth.login_failed", object_type="auth.user", success=False
    )
    record(actor=alice, action="permission.denied", object_type="request", object_repr="GET /audit/",
           after={"method": "GET", "path": "/audit/"}, success=False)  # fmt: skip
    record(actor=sup, action="plan.export", object_type="tasks.plan", object_id="1", object_repr="=HYPERLINK(1)",
           after={"format": "xlsx"})  # fmt: skip
    record(actor=sup, action="calendar.set_day", object_type="core.calendarday", object_id="3", object_repr="国庆",
           after={"date": "2026-10-01", "is_workday": False})  # fmt: skip


def shown(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("who", ["sup", "leader", "alice", "sysadmin", "secadmin"])
def test_it_refuses_everyone_but_the_auditor_including_verify_and_export(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL, {"export": "xlsx"}).status_code == 403
    assert client.post(URL, {"action": "verify"}).status_code == 403
    assert not AuditVerification.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["audit.verify", "audit.export"]).exists()


@pytest.mark.parametrize(
    ("params", "expected", "absent"),
    [
        ({"category": "logins"}, ["mallory"], ["建成孵化基地", "国庆"]),
        ({"category": "failures"}, ["mallory", "GET /audit/"], ["建成孵化基地"]),
        ({"category": "denials"}, ["GET /audit/"], ["mallory", "国庆"]),
        ({"category": "changes"}, ["建成孵化基地", "国庆"], ["mallory", "GET /audit/", "HYPERLINK"]),
        ({"category": "exports"}, ["HYPERLINK"], ["建成孵化基地", "mallory"]),
        ({"outcome": "success"}, ["建成孵化基地", "国庆"], ["mallory"]),
        ({"actor": "mallory"}, ["mallory"], ["建成孵化基地"]),
        ({"actor": "sup"}, ["国庆", "HYPERLINK"], ["建成孵化基地"]),
        ({"action": "calendar."}, ["国庆"], ["建成孵化基地"]),
        ({"object_type": "tasks."}, ["建成孵化基地", "HYPERLINK"], ["国庆"]),
        ({"q": "孵化"}, ["建成孵化基地"], ["国庆"]),
    ],
)
def test_it_filters_the_log(auditor_client, mixed, params, expected, absent):
    page = shown(auditor_client, **params)
    for text in expected:
        assert text in page, (params, text)
    for text in absent:
        assert text not in page, (params, text)


def test_it_filters_by_whole_local_days(auditor_client, alice):
    for day in (1, 2, 3):
        moment = timezone.make_aware(datetime.datetime(2026, 3, day, 0, 30))  # just after local midnight
        with time_machine.travel(moment, tick=False):
            record(
                actor=alice, action="task.report", object_type="tasks.task", object_repr=f"三月{day}日的汇报"
            )
    page = shown(auditor_client, start="2026-03-02", end="2026-03-02")
    assert "三月2日的汇报" in page and "三月1日的汇报" not in page and "三月3日的汇报" not in page
    page = shown(auditor_client, start="2026-03-03", end="2026-03-01")
    assert 'class="invalid-feedback d-block"' in page


def test_it_shows_before_and_after_as_the_fields_that_changed(auditor_client, mixed):
    page = shown(auditor_client, action="task.acknowledge")
    assert '<del class="text-danger">assigned</del> → <span class="text-success">in_progress</span>' in page
    assert ">progress<" not in page  # unchanged fields are left out
    created = shown(auditor_client, action="calendar.set_day")
    assert ">is_workday<" in created and '<span class="text-success">false</span>' in created


def test_it_pages_the_log_at_a_constant_number_of_queries(auditor_client, alice, django_assert_num_queries):
    def add(n):
        for i in range(n):
            record(actor=alice, action="task.report", object_type="tasks.task", object_id=str(i),
                   before={"progress": i}, after={"progress": i + 1})  # fmt: skip

    add(3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        auditor_client.get(URL)
    add(120)
    with django_assert_num_queries(len(few.captured_queries)):
        response = auditor_client.get(URL, {"page": 2})
    assert response.status_code == 200
    assert response.content.decode().count('<td class="small tj-when">') == 50


def test_it_lets_the_auditor_verify_the_chain_now_and_audits_that(auditor_client, auditor, mixed):
    assert "border-secondary" in shown(auditor_client)  # never verified yet
    rows = AuditEvent.objects.count()
    response = auditor_client.post(URL, {"action": "verify"})
    assert response.status_code == 302
    verification = AuditVerification.objects.get()
    assert verification.ok and verification.actor == auditor and verification.rows == rows
    event = AuditEvent.objects.get(action="audit.verify")
    assert event.actor == auditor and event.success
    page = auditor_client.get(URL).content.decode()
    assert 'data-testid="chain-status"' in page and "border-success" in page


def test_it_shows_a_broken_chain_with_the_row_to_look_at(auditor_client, mixed):
    victim = AuditEvent.objects.get(action="calendar.set_day")
    drop_triggers()
    sql("UPDATE core_auditevent SET object_repr = '劳动节' WHERE id = %s", [victim.pk])
    auditor_client.post(URL, {"action": "verify"})
    page = auditor_client.get(URL).content.decode()
    assert "border-danger" in page and f"seq {victim.seq} (id {victim.pk}" in page
    assert not AuditEvent.objects.get(action="audit.verify").success


def test_it_exports_the_filtered_log_as_a_spreadsheet_and_audits_the_export(auditor_client, auditor, mixed):
    response = auditor_client.get(URL, {"category": "exports", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1
    assert rows[0][4] == "plan.export" and rows[0][7] == "'=HYPERLINK(1)"  # no formula reaches Excel
    event = AuditEvent.objects.get(action="audit.export")
    assert (event.actor, event.after["rows"], event.after["filters"]) == (auditor, 1, {"category": "exports"})


def test_it_answers_htmx_with_the_rows_only(auditor_client, mixed):
    partial = auditor_client.get(URL, {"category": "logins"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "mallory" in partial and "export=xlsx" in partial
