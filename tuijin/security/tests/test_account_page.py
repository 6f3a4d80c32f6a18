"""My account: password age, two-factor state and the last ten sign-ins with my user name."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tuijin.security.models import LoginAttempt

from .helpers import post_login

URL = reverse("security_account")


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    assert client.get(URL)["Location"].startswith(reverse("login"))


def test_it_shows_the_last_ten_sign_ins_of_my_user_name_only(client, alice, bob):
    base = timezone.now() - datetime.timedelta(days=1)
    for i in range(12):
        LoginAttempt.objects.create(username="alice", ip=f"10.0.0.{i}", at=base + datetime.timedelta(minutes=i),
                                    success=i % 3 != 0, outcome="signed_in" if i % 3 else "bad_password")  # fmt: skip
    LoginAttempt.objects.create(username="bob", ip="10.9.9.9", success=True, outcome="signed_in")
    client.force_login(alice)
    response = client.get(URL)
    attempts = list(response.context["attempts"])
    assert [a.ip for a in attempts] == [f"10.0.0.{i}" for i in range(11, 1, -1)]
    html = response.content.decode()
    assert "10.9.9.9" not in html and "wrong user name or password" in html


def test_it_records_real_sign_ins_with_the_browser(client, alice):
    post_login(client, "alice", HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0) Chrome/120")
    html = client.get(URL).content.decode()
    assert "Chrome/120" in html and "127.0.0.1" in html


@pytest.mark.parametrize(("who", "state", "action"), [
    ("alice", "off", "Set up two-factor sign-in"),
    ("sup", "on", "New recovery codes"),
])  # fmt: skip
def test_it_shows_the_two_factor_state_and_what_i_can_do(client, request, who, state, action):
    client.force_login(request.getfixturevalue(who))
    html = client.get(URL).content.decode()
    assert f">{state}</span>" in html and action in html
    assert ("Turn off" in html) is False  # alice has nothing to turn off; sup's role must keep it


def test_it_shows_when_the_password_expires(client, alice):
    from tuijin.security import services

    services.change_password(actor=alice, user=alice, password="Zhengzhou-2021")
    client.force_login(alice)
    expiry = timezone.localdate() + datetime.timedelta(days=90)
    assert f"{expiry.year}年{expiry.month}月{expiry.day}日" in client.get(URL).content.decode()
