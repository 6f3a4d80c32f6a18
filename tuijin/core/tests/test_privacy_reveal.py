"""Phones are shown masked by role; the people who may see one in full press "show in full", which is checked
on the server and written to the audit log each time."""

import pytest
from django.urls import reverse

from tuijin.conftest import PASSWORD
from tuijin.core import privacy
from tuijin.core.models import AuditEvent
from tuijin.org.models import Liaison

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tuijin.core.tests.urls_privacy")]


@pytest.fixture
def liaison(unit_a, alice):
    return Liaison.objects.create(
        unit=unit_a,
        user=alice,
        name="王联络",
        position="综合科科长",
        phone="13812345678",
        office_phone="0371-67181234",
    )


def reveal_url(key, code):
    return reverse("personal_data_reveal", args=[key, code])


def sign_in(client, who, request):
    request.getfixturevalue(who)
    client.login(username=who, password=PASSWORD)


def test_it_shows_a_supervisor_the_liaison_phone_in_full_on_request_and_logs_it(client, sup, liaison, unit_a):
    client.login(username="sup", password=PASSWORD)
    response = client.post(reveal_url("org.liaison.phone", unit_a.code), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="tel:13812345678"' in body and "<html" not in body
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="personal_data.reveal")
    assert (event.actor, event.object_type, event.object_id) == (sup, "org.liaison", str(liaison.pk))
    assert event.after == {"field": "org.liaison.phone", "value": "138****5678"}
    assert "13812345678" not in str(event.after) + event.object_repr


def test_it_logs_every_disclosure_not_only_the_first(client, sup, liaison, unit_a):
    client.login(username="sup", password=PASSWORD)
    for _ in range(2):
        client.post(reveal_url("org.liaison.office_phone", unit_a.code), HTTP_HX_REQUEST="true")
    assert AuditEvent.objects.filter(action="personal_data.reveal").count() == 2


def test_it_shows_a_full_page_without_htmx(client, sup, liaison, unit_a):
    client.login(username="sup", password=PASSWORD)
    page = client.post(reveal_url("org.liaison.phone", unit_a.code)).content.decode()
    assert "<html" in page and "13812345678" in page and "王联络" in page


@pytest.mark.parametrize("who", ["leader", "bob", "sysadmin", "secadmin", "auditor"])
def test_it_refuses_everyone_else_and_logs_nothing(client, who, request, liaison, unit_a):
    sign_in(client, who, request)
    for key in ("org.liaison.phone", "org.liaison.office_phone"):
        assert client.post(reveal_url(key, unit_a.code), HTTP_HX_REQUEST="true").status_code == 403
    assert not AuditEvent.objects.filter(action="personal_data.reveal").exists()


def test_it_sends_anonymous_visitors_to_sign_in(client, liaison, unit_a):
    response = client.post(reveal_url("org.liaison.phone", unit_a.code))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(
    ("key", "code"),
    [("org.liaison.nothing", None), ("org.unit.name", None), ("org.liaison.phone", "not-a-uuid"),
     ("org.liaison.phone", "00000000-0000-0000-0000-000000000000")],
)  # fmt: skip
def test_it_answers_404_for_unknown_fields_and_objects(client, sup, liaison, unit_a, key, code):
    client.login(username="sup", password=PASSWORD)
    assert client.post(reveal_url(key, code or unit_a.code)).status_code == 404


def test_it_only_reveals_on_post(client, sup, liaison, unit_a):
    client.login(username="sup", password=PASSWORD)
    assert client.get(reveal_url("org.liaison.phone", unit_a.code)).status_code == 405


def test_it_lets_a_person_see_their_own_account_phone_and_nobody_else(client, sysadmin, alice):
    alice.phone = "13812345678"
    alice.save()
    assert privacy.access(alice, alice, "phone") == privacy.Access.FULL
    for who in (sysadmin, alice):
        client.login(username=who.username, password=PASSWORD)
        status = client.post(reveal_url("org.user.phone", alice.code)).status_code
        assert status == (200 if who == alice else 403)


def test_it_masks_a_field_nobody_registered():
    class Unregistered:
        class _meta:  # noqa: N801
            label_lower = "elsewhere.thing"

        phone = "13812345678"

    assert privacy.access(object(), Unregistered(), "phone") == privacy.Access.MASKED


# ——— the pages that show phones ———


def test_it_gives_the_supervisor_a_show_in_full_button_on_the_unit_list(client, sup, liaison):
    client.login(username="sup", password=PASSWORD)
    page = client.get(reverse("unit_list")).content.decode()
    assert "138****5678" in page and "0371-****1234" in page
    assert "13812345678" not in page and "67181234" not in page
    assert page.count('data-testid="reveal"') == 2
    assert not AuditEvent.objects.filter(action="personal_data.reveal").exists()  # masked views log nothing


def test_it_shows_the_system_administrator_liaison_phones_masked_without_a_button(client, sysadmin, liaison):
    client.login(username="sysadmin", password=PASSWORD)
    page = client.get(reverse("unit_list")).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    assert 'data-testid="reveal"' not in page


def test_it_keeps_the_unit_list_query_count_flat_with_more_liaisons(
    client, sup, unit_a, django_assert_max_num_queries
):
    from tuijin.org.models import Unit

    client.login(username="sup", password=PASSWORD)
    Liaison.objects.create(unit=unit_a, name="联络员", phone="13812345678")
    with django_assert_max_num_queries(50) as one:
        client.get(reverse("unit_list"))
    for i in range(8):
        unit = Unit.objects.create(name=f"测试单位{i}")
        Liaison.objects.create(
            unit=unit, name=f"联络员{i}", phone="13812345678", office_phone="0371-67181234"
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("unit_list")).content.decode()
    assert page.count('data-testid="reveal"') == 9 + 8


def test_it_shows_the_system_administrator_account_phones_masked_and_their_own_in_full(
    client, sysadmin, alice
):
    alice.phone, sysadmin.phone = "13812345678", "13900001111"
    alice.save()
    sysadmin.save()
    client.login(username="sysadmin", password=PASSWORD)
    listing = client.get(reverse("user_list")).content.decode()
    assert "138****5678" in listing and "13812345678" not in listing
    assert 'href="tel:13900001111"' in listing
    assert 'data-testid="reveal"' not in listing
    detail = client.get(reverse("user_detail", args=[alice.code])).content.decode()
    assert "138****5678" in detail and "13812345678" not in detail


def test_it_keeps_the_stored_liaison_phone_out_of_the_edit_form_and_keeps_it_when_left_empty(
    client, sup, liaison, unit_a
):
    client.login(username="sup", password=PASSWORD)
    form = client.get(reverse("unit_liaison", args=[unit_a.code])).content.decode()
    assert "13812345678" not in form and "67181234" not in form
    assert 'placeholder="138****5678"' in form
    response = client.post(reverse("unit_liaison", args=[unit_a.code]),
                           {"name": "王联络", "position": "办公室主任", "phone": "", "office_phone": ""})  # fmt: skip
    assert response.status_code == 302
    liaison.refresh_from_db()
    assert (liaison.position, liaison.phone, liaison.office_phone) == (
        "办公室主任",
        "13812345678",
        "0371-67181234",
    )
    client.post(reverse("unit_liaison", args=[unit_a.code]), {"name": "王联络", "phone": "13900001111"})
    liaison.refresh_from_db()
    assert liaison.phone == "13900001111"


def test_it_still_requires_a_phone_for_a_new_liaison(client, sup, unit_b):
    client.login(username="sup", password=PASSWORD)
    response = client.post(reverse("unit_liaison", args=[unit_b.code]), {"name": "李联络", "phone": ""})
    assert response.status_code == 200 and "phone" in response.context["form"].errors


def test_it_exports_in_full_only_where_the_policy_allows_and_logs_the_export(sup, sysadmin, liaison):
    assert privacy.export_value(sup, liaison, "phone") == "13812345678"
    assert privacy.export_value(sysadmin, liaison, "phone") == "138****5678"
    event = privacy.record_export(actor=sup, model=Liaison, names=["phone"], rows=1, full=True,
                                  description="liaisons.xlsx")  # fmt: skip
    assert event.action == "personal_data.export" and event.after == {
        "fields": ["phone"],
        "rows": 1,
        "full": True,
    }
