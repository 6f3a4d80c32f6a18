"""`tuijin anonymise`: accounts deactivated longer than the retention period lose their names and phones; the rows
stay, so the audit log still points at them, and the audit log itself is never changed."""

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from tuijin.core import privacy
from tuijin.core.models import AuditEvent
from tuijin.org import services
from tuijin.org.models import User

pytestmark = pytest.mark.django_db

DEACTIVATED = datetime.datetime(2023, 3, 1, 9, 0, tzinfo=datetime.UTC)
LATER = DEACTIVATED + datetime.timedelta(days=3 * 365 + 1)


def run(*args) -> str:
    out = io.StringIO()
    call_command("anonymise", *args, stdout=out)
    return out.getvalue()


def audit_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_auditevent ORDER BY id")
        return cursor.fetchall()


@pytest.fixture
def departed(sysadmin, alice, bob):
    """alice left in March 2023 (deactivated by the system administrator); bob still works here."""
    with time_machine.travel(DEACTIVATED, tick=False):
        for person, phone in ((alice, "13812345678"), (bob, "13900001111")):
            person.phone, person.email = phone, f"{person.username}@zzkjc.gov.cn"
            person.save()
        services.set_user_active(actor=sysadmin, user=alice, active=False)
    return alice


def test_it_finds_nothing_before_the_retention_period_ends(departed):
    with time_machine.travel(DEACTIVATED + datetime.timedelta(days=3 * 365 - 1), tick=False):
        assert "0 due" in run("--dry-run")


def test_it_lists_what_is_due_in_a_dry_run_and_changes_nothing(departed):
    audit_before = audit_rows()
    with time_machine.travel(LATER, tick=False):
        output = run("--dry-run")
    assert "org.User: 1 due" in output and f"org.user pk {departed.pk}" in output
    assert "张科技" not in output and "13812345678" not in output  # the report itself holds no personal data
    again = User.objects.get(pk=departed.pk)
    assert (again.display_name, again.phone, again.username) == ("张科技", "13812345678", "alice")
    assert audit_rows() == audit_before


def test_it_anonymises_names_and_phones_keeps_the_row_and_logs_each_record(departed, bob):
    audit_before = audit_rows()
    with time_machine.travel(LATER, tick=False):
        output = run()
    assert "org.User: 1 anonymised" in output
    gone = User.objects.get(pk=departed.pk)
    assert gone.display_name == f"已注销用户#{departed.code.hex[:8]}"
    assert gone.username == f"deleted-{departed.code.hex}"
    assert (gone.phone, gone.email, gone.first_name, gone.last_name) == ("", "", "", "")
    assert not gone.is_active and gone.memberships.exists()  # the roles it held stay on record
    name = bob.display_name
    bob.refresh_from_db()
    assert (bob.display_name, bob.phone) == (name, "13900001111")
    # the audit log: every earlier row untouched (still pointing at the same row), one new row for this record
    rows = audit_rows()
    assert rows[: len(audit_before)] == audit_before
    assert AuditEvent.objects.filter(object_type="org.user", object_id=str(departed.pk)).count() == 2
    event = AuditEvent.objects.get(action="personal_data.anonymise")
    assert event.object_id == str(departed.pk) and event.actor is None
    assert event.before["display_name"] == "张**" and event.before["phone"] == "138****5678"
    assert event.after["phone"] == "" and event.after["display_name"].startswith("已注销用户#")
    assert "13812345678" not in str(event.before) + str(event.after)


def test_it_is_idempotent(departed):
    with time_machine.travel(LATER, tick=False):
        run()
        assert "Anonymised 0 record(s)" in run()
    assert AuditEvent.objects.filter(action="personal_data.anonymise").count() == 1


def test_it_counts_from_the_last_deactivation_not_the_first(departed, sysadmin):
    with time_machine.travel(DEACTIVATED + datetime.timedelta(days=400), tick=False):
        services.set_user_active(actor=sysadmin, user=departed, active=True)
        services.set_user_active(actor=sysadmin, user=departed, active=False)
    with time_machine.travel(LATER, tick=False):
        assert "0 due" in run("--dry-run")


def test_it_falls_back_to_the_last_sign_in_when_the_log_no_longer_holds_the_deactivation(db):
    with time_machine.travel(DEACTIVATED, tick=False):
        old = User.objects.create_user(
            username="old", display_name="欧阳旧", is_active=False, phone="13812345678"
        )
        recent = User.objects.create_user(username="recent", display_name="李近", is_active=False)
    User.objects.filter(pk=recent.pk).update(last_login=LATER - datetime.timedelta(days=10))
    with time_machine.travel(LATER, tick=False):
        run()
    assert User.objects.get(pk=old.pk).display_name.startswith("已注销用户#")
    assert User.objects.get(pk=recent.pk).display_name == "李近"
    assert AuditEvent.objects.get(action="personal_data.anonymise").before["display_name"] == "欧阳**"


def test_it_follows_the_configured_retention_period(settings, departed):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    with time_machine.travel(DEACTIVATED + datetime.timedelta(days=31), tick=False):
        output = run()
    assert "Retention of personal data: 30 days" in output and "org.User: 1 anonymised" in output


def test_it_never_lets_a_capability_anonymise_the_audit_log():
    with pytest.raises(ImproperlyConfigured):
        privacy.register_retention(AuditEvent, {"actor_name": ""}, lambda now: AuditEvent.objects.none())
