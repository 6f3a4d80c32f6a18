"""Audit rows cannot be changed or deleted: not through the model, not through a queryset, not with SQL (the
database refuses UPDATE, and on PostgreSQL DELETE of rows younger than 184 days); users who acted stay."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from tuijin.core.audit import record
from tuijin.core.models import AuditEvent, AuditLogIsAppendOnly
from tuijin.core.tests.audit_support import sql

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")


@pytest.fixture
def event(alice):
    return record(
        actor=alice, action="task.report", object_type="tasks.task", object_id="1", after={"progress": 10}
    )


def test_it_refuses_to_save_an_existing_row_or_delete_it_through_the_model(event):
    event.after = {"progress": 100}
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).after == {"progress": 10}


def test_it_refuses_rows_that_bypass_the_chain(alice):
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.create(actor=alice, action="x.y", object_type="x", object_id="1")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.bulk_create([AuditEvent(action="x.y", object_type="x", object_id="1")])


def test_it_refuses_queryset_updates_and_deletes(event):
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(after={"progress": 100})
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.bulk_update([event], ["after"])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_has_the_database_refuse_an_update_in_sql(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        sql("UPDATE core_auditevent SET object_repr = 'forged' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).object_repr == ""


@postgresql_only
def test_it_has_postgresql_refuse_deleting_rows_younger_than_184_days(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        sql("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@postgresql_only
def test_it_has_postgresql_allow_deleting_rows_older_than_184_days(alice):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=200), tick=False):
        old = record(actor=alice, action="task.report", object_type="tasks.task", object_id="1")
    assert sql("DELETE FROM core_auditevent WHERE id = %s", [old.pk]) == 1


def test_it_protects_users_who_acted_from_deletion(event, alice):
    with pytest.raises(ProtectedError):
        alice.delete()
    assert AuditEvent.objects.get(pk=event.pk).actor == alice
