"""The readiness checklist: a user of the responsible unit signs an item off (who and when shown); an item tied to
a preparation task waits until the task is closed, and the page says why; only the office undoes a sign-off,
with a reason that stays on record; readiness is the share of items signed off."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.events import checklist, preparation
from tuijin.events.models import ChecklistEvent
from tuijin.events.services import EventError
from tuijin.tasks import services as task_services
from tuijin.tasks.evidence import check_upload
from tuijin.tasks.models import Task
from tuijin.tasks.tests.test_api_support import tiny_png

from .conftest import login


def close(task, unit_user, sup):
    task_services.acknowledge(actor=unit_user, task=Task.objects.for_list().get(pk=task.pk))
    task_services.request_closure(
        actor=unit_user, task=Task.objects.for_list().get(pk=task.pk), note="已完成",
        files=[check_upload(SimpleUploadedFile("现场.png", tiny_png(), content_type="image/png"))],
    )  # fmt: skip
    task_services.close_task(actor=sup, task=Task.objects.for_list().get(pk=task.pk), note="同意销号")


@pytest.mark.django_db
def test_it_records_who_signed_off_and_when(client, alice, item):
    login(client, alice)
    response = client.post(reverse("events_check_sign", args=[item.code]), {"note": "已现场验收"})
    assert response["Location"] == reverse("events_activity_detail", args=[item.activity.code])
    item.refresh_from_db()
    assert item.signed_by == alice and item.note == "已现场验收"
    assert item.signed_at.isoformat().startswith("2026-03-20")
    page = client.get(response["Location"]).content.decode()
    assert "张科技" in page and "2026年3月20日 10:00" in page
    event = AuditEvent.objects.get(action="events.checklist.sign_off")
    assert event.before["signed_by"] is None and event.after["signed_by"] == "张科技"


@pytest.mark.django_db
def test_it_answers_htmx_with_the_checklist_only(client, alice, item):
    login(client, alice)
    response = client.post(reverse("events_check_sign", args=[item.code]), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="checklist"') and "<html" not in page
    assert 'data-testid="readiness">100%' in page and "场地验收" in page


@pytest.mark.django_db
def test_it_signs_off_only_once(alice, item):
    checklist.sign_off(actor=alice, item=item)
    with pytest.raises(EventError):
        checklist.sign_off(actor=alice, item=item)
    assert ChecklistEvent.objects.filter(kind="signed").count() == 1


@pytest.mark.django_db
def test_it_refuses_a_unit_that_does_not_answer_for_the_item(bob, sup, item):
    for user in (bob, sup):
        with pytest.raises(PermissionDenied):
            checklist.sign_off(actor=user, item=item)


@pytest.mark.django_db
def test_it_waits_for_the_tied_task_to_be_closed(client, sup, alice, ceremony, template):
    preparation.apply_template(actor=sup, activity=ceremony, template=template)
    venue = ceremony.checklist.get(title="场地验收")
    login(client, alice)
    page = client.get(reverse("events_activity_detail", args=[ceremony.code])).content.decode()
    waits = page.split('data-testid="waits-for"')[1].split("</div>")[0]
    assert venue.task.title in waits
    with pytest.raises(EventError) as refused:
        checklist.sign_off(actor=alice, item=venue)
    assert venue.task.title in str(refused.value)
    client.post(reverse("events_check_sign", args=[venue.code]))
    venue.refresh_from_db()
    assert not venue.is_signed

    close(venue.task, alice, sup)
    checklist.sign_off(actor=alice, item=venue)
    venue.refresh_from_db()
    assert venue.is_signed


@pytest.mark.django_db
def test_it_lets_the_office_undo_with_a_reason_that_stays_on_record(client, sup, alice, item):
    checklist.sign_off(actor=alice, item=item)
    login(client, sup)
    url = reverse("events_check_undo", args=[item.code])
    client.post(url, {"reason": " "})
    item.refresh_from_db()
    assert item.is_signed  # no reason, no undo
    client.post(url, {"reason": "看台护栏未验收"})
    item.refresh_from_db()
    assert not item.is_signed and item.signed_by is None
    undo = ChecklistEvent.objects.get(kind=ChecklistEvent.Kind.UNDONE)
    assert (undo.actor, undo.note) == (sup, "看台护栏未验收")
    page = client.get(reverse("events_activity_detail", args=[item.activity.code])).content.decode()
    assert "看台护栏未验收" in page and "督查室王科长" in page
    event = AuditEvent.objects.get(action="events.checklist.undo")
    assert event.before["signed_by"] == "张科技" and event.after["reason"] == "看台护栏未验收"
    checklist.sign_off(actor=alice, item=item)  # the unit can sign off again once it has put things right


@pytest.mark.django_db
def test_it_computes_readiness_per_activity_and_for_the_programme(sup, alice, bob, ceremony, opening, unit_a,
                                                                  unit_b):  # fmt: skip
    from tuijin.events.summary import readiness_by_activity, readiness_by_programme

    a1 = checklist.add_item(actor=sup, activity=ceremony, title="场地验收", unit=unit_a)
    checklist.add_item(actor=sup, activity=ceremony, title="物资到位", unit=unit_a)
    b1 = checklist.add_item(actor=sup, activity=opening, title="安保演练", unit=unit_b,
                            due_date=datetime.date(2026, 4, 13))  # fmt: skip
    checklist.sign_off(actor=alice, item=a1)
    checklist.sign_off(actor=bob, item=b1)
    assert readiness_by_activity([ceremony.pk, opening.pk]) == {ceremony.pk: (1, 2), opening.pk: (1, 1)}
    assert readiness_by_programme([ceremony.programme_id]) == {ceremony.programme_id: (2, 3)}


@pytest.mark.django_db
def test_it_keeps_signed_items_and_their_activity(client, sup, alice, item):
    checklist.sign_off(actor=alice, item=item)
    with pytest.raises(EventError):
        checklist.delete_item(actor=sup, item=item)
    login(client, sup)
    client.post(reverse("events_activity_delete", args=[item.activity.code]))
    assert item.activity.__class__.objects.filter(pk=item.activity.pk).exists()
