"""An initial or reset password must be changed at the first sign-in, and an expired one at the next request;
until then only the change page, sign-out, the language switch and the health check open."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tuijin.core.models import AuditEvent
from tuijin.org import services as org_services
from tuijin.org.models import User
from tuijin.security.models import PasswordHistory

from .helpers import post_login

CHANGE = reverse("security_password_change")


@pytest.fixture
def dave(sysadmin):
    user, password = org_services.create_user(actor=sysadmin, username="dave", display_name="李联络")
    user.initial_password = password
    return user


def test_it_marks_created_and_reset_accounts_for_a_change(sysadmin, dave, alice):
    assert dave.must_change_password
    org_services.reset_password(actor=sysadmin, user=alice)
    assert User.objects.get(pk=alice.pk).must_change_password


def test_it_sends_a_new_user_from_sign_in_to_the_change_page_and_then_home(client, dave):
    response = post_login(client, "dave", dave.initial_password)
    assert response["Location"] == "/"
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == CHANGE
    html = client.get(CHANGE).content.decode()
    assert "Your password was set by an administrator" in html
    response = client.post(
        CHANGE,
        {
            "old_password": dave.initial_password,
            "new_password1": "Zhengzhou-2021",
            "new_password2": "Zhengzhou-2021",
        },
    )
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200  # still signed in with the new password's session hash
    dave.refresh_from_db()
    assert not dave.must_change_password and dave.check_password("Zhengzhou-2021")


@pytest.mark.parametrize("url", ["/tasks/", "/org/users/", "/security/account/", "/notifications/"])
def test_it_sends_every_page_to_the_change_page(client, dave, url):
    client.force_login(dave)
    assert client.get(url)["Location"] == CHANGE


def test_it_answers_htmx_with_a_client_redirect(client, dave):
    client.force_login(dave)
    response = client.get("/tasks/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == CHANGE


def test_it_still_lets_the_user_sign_out_switch_language_and_check_health(client, dave):
    client.force_login(dave)
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "zh-hans", "next": CHANGE})["Location"] == CHANGE
    assert client.post(reverse("logout"))["Location"] == reverse("login")
    assert client.get("/")["Location"].startswith(reverse("login"))


def test_it_shows_what_is_wrong_with_the_new_password_and_changes_nothing(client, dave):
    client.force_login(dave)
    before = User.objects.get(pk=dave.pk).password
    response = client.post(
        CHANGE, {"old_password": dave.initial_password, "new_password1": "abc", "new_password2": "abc"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "too short" in html and "Use at least 3" in html
    response = client.post(
        CHANGE,
        {"old_password": "wrong", "new_password1": "Zhengzhou-2021", "new_password2": "Zhengzhou-2021"},
    )
    assert "Your old password was entered incorrectly" in response.content.decode()
    assert User.objects.get(pk=dave.pk).password == before


def test_it_refuses_the_initial_password_as_the_new_one(client, dave):
    client.force_login(dave)
    p = dave.initial_password
    response = client.post(CHANGE, {"old_password": p, "new_password1": p, "new_password2": p})
    assert "You used this password before" in response.content.decode()


def test_it_asks_for_a_new_password_when_the_old_one_expired(client, alice):
    User.objects.filter(pk=alice.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=91))
    client.force_login(alice)
    assert client.get("/tasks/")["Location"] == CHANGE
    assert "more than 90 days old" in client.get(CHANGE).content.decode()


def test_it_lets_passwords_live_forever_when_expiry_is_off(client, secadmin, alice):
    from tuijin.security import services

    services.update_policy(actor=secadmin, password_max_age_days=0)
    User.objects.filter(pk=alice.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=900))
    client.force_login(alice)
    assert client.get("/tasks/").status_code == 200


def test_it_audits_the_change_without_the_password_or_its_hash(client, alice):
    client.force_login(alice)
    client.post(CHANGE, {"old_password": "Tuijin-test-2021", "new_password1": "Zhengzhou-2021",
                         "new_password2": "Zhengzhou-2021"})  # fmt: skip
    event = AuditEvent.objects.get(action="security.password_change")
    alice.refresh_from_db()
    assert event.actor == alice and event.after == {"username": "alice"}
    assert "Zhengzhou" not in str(event.after) and alice.password not in str(event.after)
    assert PasswordHistory.objects.filter(user=alice).count() == 1


def test_it_lets_anyone_change_their_own_password_from_the_account_page(client, leader):
    client.force_login(leader)
    html = client.get(CHANGE).content.decode()
    assert "set by an administrator" not in html and "Account security" in html
    response = client.post(
        CHANGE,
        {
            "old_password": "Tuijin-test-2021",
            "new_password1": "Zhengzhou-2021",
            "new_password2": "Zhengzhou-2021",
        },
    )
    assert response["Location"] == reverse("security_account")


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    assert client.get(CHANGE)["Location"].startswith(reverse("login"))
