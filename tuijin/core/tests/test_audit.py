"""Every write leaves an audit row with who, when, from where and before → after; only the auditor reads them."""

import pytest
from django.urls import reverse

from tuijin.conftest import PASSWORD
from tuijin.core.models import AuditEvent


@pytest.mark.django_db
def test_it_records_the_address_and_the_change_of_a_write_made_through_a_page(client, task, alice):
    client.login(username="alice", password=PASSWORD)
    client.post(reverse("task_action", args=[task.code, "acknowledge"]), REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action="task.acknowledge")
    assert event.actor == alice
    assert event.ip == "10.1.2.3"
    assert event.request_id
    assert event.before == {"state": "assigned"}
    assert event.after == {"state": "in_progress"}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sup", "leader", "alice", "sysadmin", "secadmin"])
def test_it_keeps_the_audit_log_from_everyone_but_the_auditor(client, who, request):
    request.getfixturevalue(who)
    client.login(username=who, password=PASSWORD)
    assert client.get(reverse("audit_log")).status_code == 403


@pytest.mark.django_db
def test_it_shows_the_auditor_the_log_with_filters(client, task, auditor):
    client.login(username="auditor", password=PASSWORD)
    page = client.get(reverse("audit_log"), {"q": "task.create"}).content.decode()
    assert "task.create" in page
    assert task.title in page
    partial = client.get(reverse("audit_log"), {"q": "nothing-like-this"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
