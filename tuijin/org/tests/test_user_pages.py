"""The users page and the separation of the 三员: sysadmin runs accounts, secadmin assigns roles, nobody grants
themselves a role, and every write leaves an audit row without a password in it."""

import pytest
from django.urls import reverse
from django.utils import translation

from tuijin.conftest import make_user
from tuijin.core.models import AuditEvent
from tuijin.org.models import Membership, Role, User

URL = reverse("user_list")


@pytest.fixture(autouse=True)
def english(settings):
    """Assertions read the English source strings, whatever translations are compiled."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    assert client.get(URL)["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["alice", "sup", "leader", "auditor"])
def test_it_forbids_the_users_page_to_everyone_but_sysadmin_and_secadmin(client, who, request, bob):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("user_detail", args=[bob.code])).status_code == 403


@pytest.mark.parametrize("who", ["sysadmin", "secadmin"])
def test_it_lists_users_with_roles_units_and_masked_phones(client, who, request, alice):
    alice.phone = "13812345678"
    alice.save()
    client.force_login(request.getfixturevalue(who))
    html = client.get(URL).content.decode()
    assert "张科技" in html and "中原科技城管委会" in html and "Unit user" in html
    assert "138****5678" in html and "13812345678" not in html


def test_it_filters_users_by_role_returning_only_rows_to_htmx(client, sysadmin, alice, leader):
    client.force_login(sysadmin)
    html = client.get(URL, {"role": Role.LEADER}, headers={"HX-Request": "true"}).content.decode()
    assert "李市长" in html and "张科技" not in html and '<nav class="navbar' not in html


def test_it_lists_5_and_30_users_with_the_same_number_of_queries(
    client, sysadmin, unit_a, django_assert_num_queries
):
    client.force_login(sysadmin)
    for i in range(5):
        make_user(f"user{i:02d}", Role.UNIT, unit_a)
    with django_assert_num_queries(7):  # with the unread bell
        assert client.get(URL).status_code == 200
    for i in range(5, 30):
        make_user(f"user{i:02d}", Role.UNIT, unit_a)
    with django_assert_num_queries(7):  # with the unread bell
        assert "user29" in client.get(URL).content.decode()


# ——— accounts: the system administrator ———


def test_it_lets_the_sysadmin_create_an_account_and_shows_its_password_once(client, sysadmin):
    client.force_login(sysadmin)
    data = {"username": "dave", "display_name": "李联络", "phone": "138 1234 5678", "title": "科员"}
    response = client.post(reverse("user_create"), data)
    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    dave = User.objects.get(username="dave")
    assert dave.phone == "13812345678" and not dave.memberships.exists()
    assert client.login(username="dave", password=password)
    event = AuditEvent.objects.get(action="user.create")
    assert event.actor == sysadmin and event.after["phone"] == "138****5678"
    assert password not in str(event.after) and dave.password not in str(event.after)


def test_it_rejects_a_username_already_taken(client, sysadmin, alice):
    client.force_login(sysadmin)
    response = client.post(reverse("user_create"), {"username": "ALICE", "display_name": "x"})
    assert "already exists" in response.context["form"].errors["username"][0]


def test_it_forbids_the_secadmin_to_create_accounts_or_reset_passwords(client, secadmin, alice):
    client.force_login(secadmin)
    assert client.post(reverse("user_create"), {"username": "dave", "display_name": "x"}).status_code == 403
    assert client.post(reverse("user_reset_password", args=[alice.code])).status_code == 403
    assert client.post(reverse("user_set_active", args=[alice.code]), {"active": "0"}).status_code == 403
    assert not AuditEvent.objects.changes().exists()


def test_it_lets_the_sysadmin_reset_a_password_which_is_shown_once_and_not_audited(client, sysadmin, alice):
    client.force_login(sysadmin)
    response = client.post(reverse("user_reset_password", args=[alice.code]))
    password = response.context["password"]
    assert client.login(username="alice", password=password)
    event = AuditEvent.objects.get(action="user.reset_password")
    assert event.object_id == str(alice.pk) and password not in str(event.after)


def test_it_lets_the_sysadmin_deactivate_an_account_which_then_cannot_sign_in(client, sysadmin, alice):
    client.force_login(sysadmin)
    client.post(reverse("user_set_active", args=[alice.code]), {"active": "0"})
    alice.refresh_from_db()
    assert not alice.is_active
    assert AuditEvent.objects.filter(action="user.deactivate", object_id=str(alice.pk)).exists()
    assert not client.login(username="alice", password="Tuijin-test-2021")


def test_it_does_not_let_the_sysadmin_deactivate_themselves(client, sysadmin):
    client.force_login(sysadmin)
    client.post(reverse("user_set_active", args=[sysadmin.code]), {"active": "0"})
    sysadmin.refresh_from_db()
    assert sysadmin.is_active


# ——— roles: the security administrator ———


def test_it_lets_the_secadmin_give_a_role_in_a_unit(client, secadmin, bob, unit_a):
    client.force_login(secadmin)
    response = client.post(
        reverse("user_roles", args=[bob.code]), {"action": "add", "role": Role.UNIT, "unit": unit_a.pk}
    )
    assert response.status_code == 302
    assert bob.memberships.filter(role=Role.UNIT, unit=unit_a).exists()
    event = AuditEvent.objects.get(action="membership.add")
    assert event.actor == secadmin and event.after == {
        "user": "bob",
        "role": "unit",
        "unit": "中原科技城管委会",
    }


def test_it_requires_a_unit_for_the_unit_role_but_not_for_others(client, secadmin, bob):
    client.force_login(secadmin)
    response = client.post(reverse("user_roles", args=[bob.code]), {"action": "add", "role": Role.UNIT})
    assert response.status_code == 400 and "unit" in response.context["membership_form"].errors
    client.post(reverse("user_roles", args=[bob.code]), {"action": "add", "role": Role.LEADER})
    assert bob.memberships.filter(role=Role.LEADER, unit=None).exists()


def test_it_lets_the_secadmin_remove_a_role(client, secadmin, alice):
    client.force_login(secadmin)
    membership = alice.memberships.get()
    client.post(reverse("user_roles", args=[alice.code]), {"action": "remove", "membership": membership.pk})
    assert not alice.memberships.exists()
    assert AuditEvent.objects.get(action="membership.remove").before["role"] == Role.UNIT


def test_it_forbids_the_sysadmin_to_change_roles(client, sysadmin, alice):
    client.force_login(sysadmin)
    response = client.post(
        reverse("user_roles", args=[alice.code]), {"action": "add", "role": Role.SUPERVISOR}
    )
    assert response.status_code == 403
    assert not alice.memberships.filter(role=Role.SUPERVISOR).exists()


def test_it_forbids_anyone_to_grant_themselves_a_role(client, secadmin):
    client.force_login(secadmin)
    response = client.post(
        reverse("user_roles", args=[secadmin.code]), {"action": "add", "role": Role.SUPERVISOR}
    )
    assert response.status_code == 403
    assert list(secadmin.memberships.values_list("role", flat=True)) == [Role.SECADMIN]
    assert (
        "Nobody may change their own roles"
        in client.get(reverse("user_detail", args=[secadmin.code])).content.decode()
    )


def test_it_keeps_the_three_administrators_apart(client, secadmin, sysadmin):
    client.force_login(secadmin)
    response = client.post(
        reverse("user_roles", args=[sysadmin.code]), {"action": "add", "role": Role.AUDITOR}
    )
    assert response.status_code == 400
    assert "must be different people" in response.content.decode()
    assert not Membership.objects.filter(user=sysadmin, role=Role.AUDITOR).exists()


def test_it_does_not_grant_the_same_role_twice(client, secadmin, alice, unit_a):
    client.force_login(secadmin)
    response = client.post(
        reverse("user_roles", args=[alice.code]), {"action": "add", "role": Role.UNIT, "unit": unit_a.pk}
    )
    assert response.status_code == 400 and "already has this role" in response.content.decode()


def test_it_shows_role_controls_only_to_the_secadmin_and_account_controls_only_to_the_sysadmin(
    client, secadmin, sysadmin, alice
):
    page = reverse("user_detail", args=[alice.code])
    client.force_login(secadmin)
    html = client.get(page).content.decode()
    assert "Add role" in html and "Reset password" not in html
    client.force_login(sysadmin)
    html = client.get(page).content.decode()
    assert "Add role" not in html and "Reset password" in html
