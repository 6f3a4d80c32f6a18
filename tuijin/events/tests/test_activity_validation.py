"""An activity ends after it starts, falls on a day of its programme, and is the only main ceremony; a venue
booked at an overlapping time warns, and saving anyway needs a tick. The form says what is wrong and where,
and leaves the data as it was."""

import datetime

import pytest
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.events import services
from tuijin.events.models import Activity

from .conftest import PHONE, login


def form_data(unit_a, **changes):
    data = {
        "title": "黄河文化论坛", "date": "2026-04-20", "start_time": "09:00", "end_time": "12:00",
        "venue": "郑州国际会展中心", "lead_unit": unit_a.pk, "capacity": "600", "contact_name": "郭佳琪",
        "contact_phone": "139 0000 2222", "notes": "",
    }  # fmt: skip
    data.update(changes)
    return data


@pytest.mark.django_db
def test_it_creates_an_activity_and_audits_it_without_the_phone(client, sup, programme, unit_a, unit_b):
    login(client, sup)
    response = client.post(
        reverse("events_activity_create", args=[programme.code]),
        form_data(unit_a, supporting_units=[unit_b.pk]),
    )
    activity = Activity.objects.get(title="黄河文化论坛")
    assert response["Location"] == reverse("events_activity_detail", args=[activity.code])
    assert activity.contact_phone == "13900002222"
    assert list(activity.supporting_units.all()) == [unit_b]
    event = AuditEvent.objects.get(action="events.activity.create")
    assert event.after["contact_phone"] == "139****2222"
    assert "13900002222" not in str(event.after)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes, field",
    [
        ({"end_time": "08:00"}, "end_time"),
        ({"end_time": "09:00"}, "end_time"),
        ({"date": "2026-04-14"}, "date"),
        ({"date": "2026-05-16"}, "date"),
        ({"contact_phone": "12ab"}, "contact_phone"),
        ({"title": ""}, "title"),
    ],
)
def test_it_refuses_wrong_values_and_names_the_field(client, sup, programme, unit_a, changes, field):
    login(client, sup)
    response = client.post(
        reverse("events_activity_create", args=[programme.code]), form_data(unit_a, **changes)
    )
    assert response.status_code == 400
    assert f'data-field="{field}"' in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_it_allows_one_main_ceremony_per_programme(client, sup, ceremony, unit_a):
    login(client, sup)
    response = client.post(
        reverse("events_activity_create", args=[ceremony.programme.code]), form_data(unit_a, is_main="on")
    )
    assert response.status_code == 400
    assert "拜祖大典" in response.content.decode()
    with pytest.raises(services.EventError):
        services.create_activity(
            actor=sup, programme=ceremony.programme, title="第二个主活动", date=datetime.date(2026, 4, 20),
            start_time=datetime.time(9), end_time=datetime.time(10), venue="x", lead_unit=unit_a, is_main=True,
        )  # fmt: skip


@pytest.mark.django_db
def test_it_warns_of_a_venue_booked_at_an_overlapping_time(client, sup, ceremony, unit_a):
    login(client, sup)
    url = reverse("events_activity_create", args=[ceremony.programme.code])
    clash = form_data(unit_a, title="祭祀乐舞彩排", date="2026-04-19", start_time="10:30", end_time="12:00",
                      venue=" 新郑黄帝故里景区 ")  # fmt: skip
    response = client.post(url, clash)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="clash-warning"' in page and "拜祖大典" in page and "09:30—11:00" in page
    assert not Activity.objects.filter(title="祭祀乐舞彩排").exists()

    response = client.post(url, clash | {"confirm_clash": "on"})
    assert response.status_code == 302
    assert Activity.objects.filter(title="祭祀乐舞彩排").exists()


@pytest.mark.django_db
def test_it_does_not_warn_when_the_times_only_touch(client, sup, ceremony, unit_a):
    login(client, sup)
    response = client.post(
        reverse("events_activity_create", args=[ceremony.programme.code]),
        form_data(unit_a, title="游客开放", date="2026-04-19", start_time="11:00", end_time="17:00",
                  venue="新郑黄帝故里景区"),
    )  # fmt: skip
    assert response.status_code == 302


@pytest.mark.django_db
def test_it_keeps_activities_inside_the_programme_when_its_days_change(client, sup, ceremony, office):
    login(client, sup)
    response = client.post(
        reverse("events_programme_edit", args=[ceremony.programme.code]),
        {"name": ceremony.programme.name, "start_date": "2026-04-20", "end_date": "2026-05-15",
         "organiser": office.pk, "categories_text": "安全、宣传"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "拜祖大典" in response.content.decode()
    ceremony.programme.refresh_from_db()
    assert ceremony.programme.start_date == datetime.date(2026, 4, 15)


@pytest.mark.django_db
def test_it_shows_the_contact_masked_and_lets_only_the_office_show_it_in_full(client, sup, alice, ceremony):
    url = reverse("events_activity_detail", args=[ceremony.code])
    login(client, alice)
    page = client.get(url).content.decode()
    assert PHONE not in page and "138****5678" in page and 'data-testid="reveal"' not in page
    reveal = reverse("personal_data_reveal", args=["events.activity.contact_phone", ceremony.code])
    assert client.post(reveal).status_code == 403
    client.logout()
    login(client, sup)
    page = client.get(url).content.decode()
    assert PHONE not in page and 'data-testid="reveal"' in page
    assert PHONE in client.post(reveal, HTTP_HX_REQUEST="true").content.decode()
    assert AuditEvent.objects.filter(action="personal_data.reveal", actor=sup).count() == 1


@pytest.mark.django_db
def test_it_keeps_the_stored_phone_out_of_the_edit_form(client, sup, ceremony, unit_a):
    login(client, sup)
    url = reverse("events_activity_edit", args=[ceremony.code])
    assert PHONE not in client.get(url).content.decode()
    data = form_data(unit_a, title="拜祖大典", date="2026-04-19", start_time="09:30", end_time="11:00",
                     venue="新郑黄帝故里景区", contact_name="王晓明", contact_phone="", is_main="on")  # fmt: skip
    assert client.post(url, data).status_code == 302
    ceremony.refresh_from_db()
    assert ceremony.contact_phone == PHONE  # an empty answer keeps it
    client.post(url, data | {"contact_phone": "13911112222"})
    ceremony.refresh_from_db()
    assert ceremony.contact_phone == "13911112222"
