"""Agenda items from member units before the cut-off; the liaison pre-meeting settles the agenda; attendance by
phone through the QR code on the screen."""

import datetime

import pytest
from django.urls import reverse

from tuijin.coordination import services
from tuijin.coordination.models import AgendaItem, Attendance

from .conftest import login

pytestmark = pytest.mark.django_db


def test_it_lets_a_member_unit_propose_before_the_cut_off(client, bob, meeting, unit_b):
    response = login(client, bob).post(reverse("coordination_agenda_propose", args=[meeting.code]),
                                       {"unit": unit_b.code, "title": "科技企业孵化器奖补政策", "details": ""})  # fmt: skip
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert (item.unit, item.proposed_by, item.state) == (unit_b, bob, AgendaItem.State.PROPOSED)


def test_it_refuses_items_after_the_cut_off(client, bob, meeting, unit_b, time_machine):
    time_machine.move_to(datetime.datetime(2021, 3, 13, 9, tzinfo=datetime.UTC), tick=False)
    response = login(client, bob).post(reverse("coordination_agenda_propose", args=[meeting.code]),
                                       {"unit": unit_b.code, "title": "迟到的议题"})  # fmt: skip
    assert response.status_code == 400 and "2021-03-12" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_it_lets_units_propose_only_for_themselves(bob, meeting, unit_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.propose_agenda_item(actor=bob, meeting=meeting, unit=unit_a, title="冒名议题")


def test_it_settles_the_agenda_at_the_pre_meeting(client, alice, bob, meeting, unit_a, unit_b):
    keep = services.propose_agenda_item(actor=alice, meeting=meeting, unit=unit_a, title="重点项目推进情况")
    defer = services.propose_agenda_item(actor=bob, meeting=meeting, unit=unit_b, title="下次再议")
    response = login(client, alice).post(reverse("coordination_agenda_settle", args=[meeting.code]),
                                         {"accepted": [keep.code], "note": ""})  # fmt: skip
    assert response.status_code == 302
    keep.refresh_from_db(), defer.refresh_from_db(), meeting.refresh_from_db()
    assert (keep.state, keep.position, defer.state) == ("accepted", 1, "deferred")
    assert meeting.agenda_settled_at is not None
    with pytest.raises(services.CoordinationError):
        services.propose_agenda_item(actor=bob, meeting=meeting, unit=unit_b, title="太晚了")


def test_it_shows_a_qr_code_that_opens_the_sign_in_page(client, alice, meeting):
    client = login(client, alice)
    screen = client.get(reverse("coordination_sign_in_screen", args=[meeting.code])).content.decode()
    assert reverse("coordination_sign_in", args=[meeting.sign_in_token]) in screen
    png = client.get(reverse("coordination_sign_in_qr", args=[meeting.code]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_it_signs_a_member_in_from_the_phone_once(client, bob, meeting, unit_b):
    url = reverse("coordination_sign_in", args=[meeting.sign_in_token])
    client = login(client, bob)
    assert 'data-testid="confirm-sign-in"' in client.get(url).content.decode()
    client.post(url)
    client.post(url)
    attendance = Attendance.objects.get()
    assert (attendance.user, attendance.unit, attendance.method) == (bob, unit_b, "qr")
    assert 'data-testid="signed-in"' in client.get(url).content.decode()


def test_it_refuses_the_sign_in_page_to_outsiders(client, charlie, auditor, meeting):
    url = reverse("coordination_sign_in", args=[meeting.sign_in_token])
    assert login(client, charlie).post(url).status_code == 404
    assert login(client, auditor).post(url).status_code == 403
    assert not Attendance.objects.exists()


def test_it_lets_the_organiser_record_someone_present(client, alice, bob, charlie, meeting):
    url = reverse("coordination_attendance_record", args=[meeting.code])
    client = login(client, alice)
    assert client.post(url, {"user": charlie.code}).status_code == 302  # not of a member unit: refused
    assert not Attendance.objects.exists()
    client.post(url, {"user": bob.code})
    attendance = Attendance.objects.get()
    assert (attendance.user, attendance.method) == (bob, "manual")
    assert login(client, bob).post(url, {"user": bob.code}).status_code == 403


def test_it_shows_the_organiser_which_member_units_are_missing(client, alice, bob, meeting):
    services.sign_in(actor=bob, meeting=meeting)
    page = login(client, alice).get(reverse("coordination_sign_in_screen", args=[meeting.code]),
                                    HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    assert "<html" not in page and "市科技局 · 刘配合" in page  # the polled fragment
    assert (
        "中原科技城管委会" in page.split('data-testid="absent"')[1]
        and "市科技局" not in page.split('data-testid="absent"')[1]
    )
