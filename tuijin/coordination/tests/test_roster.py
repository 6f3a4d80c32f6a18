"""The liaison roster: officer and deputy per unit with effective dates and history, kept in step with the unit's
liaison record; phones encrypted at rest and masked on screen and in the audit log."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from tuijin.coordination import services
from tuijin.coordination.models import LiaisonTerm
from tuijin.core.models import AuditEvent
from tuijin.org.models import Liaison

from .conftest import login

pytestmark = pytest.mark.django_db
OFFICER, DEPUTY = LiaisonTerm.Role.OFFICER, LiaisonTerm.Role.DEPUTY


def _appoint(sup, unit, name, phone, start, role=OFFICER):
    return services.appoint_liaison(actor=sup, unit=unit, role=role, name=name, phone=phone, start_date=start,
                                    position="综合办公室主任")  # fmt: skip


def test_it_relieves_the_predecessor_and_keeps_the_history(sup, unit_a):
    old = _appoint(sup, unit_a, "李明", "13700001234", datetime.date(2020, 3, 1))
    new = _appoint(sup, unit_a, "王晓明", "138 1234 5678", datetime.date(2021, 1, 4))
    old.refresh_from_db()
    assert old.end_date == datetime.date(2021, 1, 3) and new.end_date is None and new.phone == "13812345678"
    assert list(LiaisonTerm.objects.current().values_list("name", flat=True)) == ["王晓明"]
    assert Liaison.objects.get(unit=unit_a).name == "王晓明"  # the unit's record follows the current officer


def test_it_keeps_a_deputy_beside_the_officer(sup, unit_a):
    _appoint(sup, unit_a, "王晓明", "13812345678", datetime.date(2021, 1, 4))
    _appoint(sup, unit_a, "孙浩", "13900001111", datetime.date(2021, 1, 4), role=DEPUTY)
    assert LiaisonTerm.objects.current().count() == 2
    assert Liaison.objects.get(unit=unit_a).name == "王晓明"


def test_it_refuses_a_bad_phone_and_a_term_before_the_current_one(sup, unit_a):
    with pytest.raises(services.CoordinationError):
        _appoint(sup, unit_a, "王晓明", "12345", datetime.date(2021, 1, 4))
    _appoint(sup, unit_a, "王晓明", "13812345678", datetime.date(2021, 1, 4))
    with pytest.raises(services.CoordinationError):
        _appoint(sup, unit_a, "更早", "13812345679", datetime.date(2020, 12, 1))


def test_it_stores_phones_encrypted_and_audits_them_masked(sup, unit_a):
    term = _appoint(sup, unit_a, "王晓明", "13812345678", datetime.date(2021, 1, 4))
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM coordination_liaisonterm WHERE id = %s", [term.pk])
        assert "13812345678" not in str(cursor.fetchone()[0])
    event = AuditEvent.objects.get(action="coordination.liaison.appoint")
    assert event.after["phone"] == "138****5678"


def test_it_shows_the_directory_with_masked_phones(client, sup, bob, unit_a):
    _appoint(sup, unit_a, "王晓明", "13812345678", datetime.date(2021, 1, 4))
    page = login(client, bob).get(reverse("coordination_liaison_directory")).content.decode()
    assert "王晓明" in page and "138****5678" in page and "13812345678" not in page
    history = client.get(reverse("coordination_liaison_history", args=[unit_a.code])).content.decode()
    assert "王晓明" in history


def test_it_ends_a_term_from_the_history_page(client, sup, unit_a):
    term = _appoint(sup, unit_a, "王晓明", "13812345678", datetime.date(2021, 1, 4))
    response = login(client, sup).post(reverse("coordination_liaison_end", args=[term.code]),
                                       {"end_date": "2021-03-31"})  # fmt: skip
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.end_date == datetime.date(2021, 3, 31)


def test_it_lets_only_the_office_appoint(client, alice, unit_a):
    response = login(client, alice).post(
        reverse("coordination_liaison_appoint"),
        {
            "unit": unit_a.code,
            "role": "officer",
            "name": "自封",
            "phone": "13812345678",
            "start_date": "2021-03-01",
        },
    )
    assert response.status_code == 403 and not LiaisonTerm.objects.exists()


def test_it_shows_a_supervisor_the_phone_in_full_on_demand_and_logs_it(client, sup, unit_a):
    from tuijin.core.models import AuditEvent

    term = services.appoint_liaison(actor=sup, unit=unit_a, role="officer", name="王晓明", phone="13812345678",
                                    start_date=datetime.date(2021, 1, 4))  # fmt: skip
    page = login(client, sup).get(reverse("coordination_liaison_directory")).content.decode()
    assert "138****5678" in page and 'data-testid="reveal"' in page
    reveal = reverse("personal_data_reveal", args=["coordination.liaisonterm.phone", term.code])
    assert "13812345678" in client.post(reveal).content.decode()
    assert AuditEvent.objects.filter(action="personal_data.reveal").exists()
