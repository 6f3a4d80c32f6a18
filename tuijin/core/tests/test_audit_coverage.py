"""The log holds what 等保 asks for besides data changes: sign-ins, sign-outs and failed sign-ins (never a
password), refused requests, and every export or download — with time, user, event type and outcome."""

import datetime

import pytest
from django.contrib.auth.signals import user_logged_out
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory
from django.urls import reverse

from tuijin.conftest import PASSWORD
from tuijin.core.models import AuditEvent
from tuijin.supervision import orders
from tuijin.tasks.models import Evidence

pytestmark = pytest.mark.django_db


def every_text(events) -> str:
    return " ".join(
        str(v) for e in events
        for v in (e.actor_name, e.object_repr, e.object_id, e.object_type, e.before, e.after)
    )  # fmt: skip


def test_it_records_a_sign_in_and_a_sign_out_with_the_address(client, alice):
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.9.8.7")
    signed_in = AuditEvent.objects.get(action="auth.login")
    assert (signed_in.actor, signed_in.ip, signed_in.success) == (alice, "10.9.8.7", True)
    assert signed_in.request_id

    client.post(reverse("logout"), REMOTE_ADDR="10.9.8.7")
    signed_out = AuditEvent.objects.get(action="auth.logout")
    assert (signed_out.actor, signed_out.success) == (alice, True)


def test_it_records_why_a_session_ended_when_the_security_middleware_says(alice):
    request = RequestFactory().get("/")
    request.security_logout_reason = "idle"
    user_logged_out.send(sender=type(alice), request=request, user=alice)
    assert AuditEvent.objects.get(action="auth.logout").after == {"reason": "idle"}


@pytest.mark.parametrize("username", ["alice", "nobody-like-this"])
def test_it_records_a_failed_sign_in_with_the_name_typed_and_never_the_password(client, alice, username):
    client.post(
        reverse("login"), {"username": username, "password": "Wrong-pass-9876"}, REMOTE_ADDR="10.6.6.6"
    )
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert (failed.actor, failed.actor_name, failed.success, failed.ip) == (None, username, False, "10.6.6.6")
    assert "Wrong-pass-9876" not in every_text(AuditEvent.objects.all())
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_it_truncates_an_absurd_user_name(client):
    client.post(reverse("login"), {"username": "x" * 500, "password": "Wrong-pass-9876"})
    failed = AuditEvent.objects.filter(action="auth.login_failed").first()
    if failed is not None:  # the form may refuse the name before authenticating
        assert len(failed.actor_name) <= 150


def test_it_records_one_row_per_refused_request(client, alice):
    client.force_login(alice)
    assert client.get(reverse("audit_log") + "?q=x", REMOTE_ADDR="10.1.1.1").status_code == 403
    denial = AuditEvent.objects.get(action="permission.denied")
    assert (denial.actor, denial.success, denial.ip) == (alice, False, "10.1.1.1")
    assert denial.object_repr == "GET /audit/"
    assert denial.after == {"method": "GET", "path": "/audit/"}  # never the query string


def test_it_records_a_refusal_to_an_anonymous_visitor(alice):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("login"), {"username": "alice", "password": PASSWORD}).status_code == 403
    denial = AuditEvent.objects.get(action="permission.denied")
    assert (denial.actor, denial.actor_name, denial.object_repr) == (None, "anonymous", "POST /login/")


def test_it_does_not_record_pages_that_were_allowed(client, alice):
    client.force_login(alice)
    assert client.get(reverse("task_list")).status_code == 200
    assert not AuditEvent.objects.exclude(action="auth.login").exists()


def test_it_records_a_plan_export(client, sup, task):
    client.force_login(sup)
    assert client.get(reverse("plan_export_xlsx", args=[task.plan.code])).status_code == 200
    event = AuditEvent.objects.get(action="plan.export")
    assert event.actor == sup and event.after["format"] == "xlsx"


def test_it_records_an_evidence_download_but_not_its_thumbnail(client, alice, task):
    evidence = Evidence.objects.create(
        task=task, uploaded_by=alice, kind=Evidence.Kind.PDF, original_name="验收报告.pdf", size=20, sha256="0" * 64,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="report.pdf"),
        thumbnail=ContentFile(b"\xff\xd8\xff\xd9", name="thumb.jpg"),
    )  # fmt: skip
    client.force_login(alice)
    assert client.get(reverse("evidence_file", args=[evidence.code])).status_code == 200
    event = AuditEvent.objects.get(action="evidence.download")
    assert (event.actor, event.object_repr, event.object_id) == (alice, "验收报告.pdf", str(evidence.pk))
    client.get(reverse("evidence_thumb", args=[evidence.code]))
    assert AuditEvent.objects.filter(action="evidence.download").count() == 1


def test_it_records_a_supervision_order_download(client, sup, task, alice):
    moment = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    order = orders.issue_order(
        actor=sup, task=task, level="blue", now=moment, requirement="请于5个工作日内报送进展"
    )
    client.force_login(alice)
    assert client.get(reverse("order_docx", args=[order.code])).status_code == 200
    event = AuditEvent.objects.get(action="order.export")
    assert event.actor == alice and event.after["format"] == "docx"


def test_it_files_exports_and_downloads_under_one_category(client, sup, task):
    client.force_login(sup)
    client.get(reverse("plan_export_csv", args=[task.plan.code]))
    assert list(AuditEvent.objects.exports().values_list("action", flat=True)) == ["plan.export"]
    assert not AuditEvent.objects.changes().filter(action="plan.export").exists()
    assert AuditEvent.objects.logins().filter(action="auth.login").exists()
