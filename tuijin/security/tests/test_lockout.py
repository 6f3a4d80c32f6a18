"""Five failed sign-ins within 30 minutes lock the user name for 30 minutes, and five from one address lock the
address; the page says until when without telling whether the name exists; the secadmin can unlock."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tuijin.core.models import AuditEvent
from tuijin.security.models import LoginAttempt, LoginLock

from .helpers import LOGIN, post_login

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
START = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=BEIJING)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def fail(client, username, times=1, ip="10.0.0.1"):
    for _ in range(times):
        response = post_login(client, username, "wrong-password", REMOTE_ADDR=ip)
    return response


def test_it_locks_a_user_name_after_five_failures_and_says_until_when(client, clock, alice):
    for _ in range(4):
        assert "Wrong user name or password" in fail(client, "alice").content.decode()
    html = fail(client, "alice").content.decode()
    assert "It is locked until 2026年11月26日 09:30" in html
    response = post_login(client, "alice", REMOTE_ADDR="10.0.0.2")  # the right password, another address
    assert response.status_code == 200 and "locked until 2026年11月26日 09:30" in response.content.decode()
    assert not client.session.get("_auth_user_id")
    assert LoginAttempt.objects.filter(username="alice", outcome="locked").count() == 1


def test_it_answers_the_same_for_a_user_name_that_does_not_exist(client, clock, alice):
    for name in ("alice", "nobody"):
        html = fail(client, name, 5, ip=f"10.0.1.{len(name)}").content.decode()
        assert "Too many failed sign-ins for this user name. It is locked until 2026年11月26日 09:30" in html


def test_it_lets_the_user_in_again_after_thirty_minutes(client, clock, alice):
    fail(client, "alice", 5)
    clock.move_to(START + datetime.timedelta(minutes=29))
    assert "locked until" in post_login(client, "alice").content.decode()
    clock.move_to(START + datetime.timedelta(minutes=30, seconds=1))
    assert post_login(client, "alice")["Location"] == "/"


def test_it_counts_only_failures_within_the_window(client, clock, alice):
    fail(client, "alice", 4)
    clock.move_to(START + datetime.timedelta(minutes=31))
    assert "Wrong user name or password" in fail(client, "alice").content.decode()
    assert not LoginLock.objects.exists()


def test_it_starts_the_count_afresh_after_a_successful_sign_in(client, clock, alice):
    fail(client, "alice", 4, ip="10.0.0.1")
    clock.shift(1)
    assert post_login(client, "alice", REMOTE_ADDR="10.0.0.2")["Location"] == "/"
    client.logout()
    clock.shift(1)
    fail(client, "alice", 4, ip="10.0.0.3")
    assert not LoginLock.objects.exists()


def test_it_locks_an_address_that_tries_many_user_names(client, clock, alice, bob):
    for name in ("a1", "b2", "c3", "d4"):
        fail(client, name)
    html = fail(client, "e5").content.decode()
    assert "from your network address. Signing in from it is locked until 2026年11月26日 09:30" in html
    assert "locked" in post_login(client, "bob", REMOTE_ADDR="10.0.0.1").content.decode()
    assert post_login(client, "bob", REMOTE_ADDR="10.0.0.9")["Location"] == "/"


def test_it_does_not_reset_an_address_with_a_successful_sign_in(client, clock, alice, bob):
    fail(client, "x1", 4)
    clock.shift(1)
    assert post_login(client, "alice", REMOTE_ADDR="10.0.0.1")["Location"] == "/"
    client.logout()
    clock.shift(1)
    assert "network address" in fail(client, "x2").content.decode()


def test_it_reads_the_address_behind_a_trusted_proxy(client, clock, settings, alice):
    settings.USE_X_FORWARDED = True
    for i in range(5):
        post_login(
            client, f"u{i}", "wrong", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1"
        )
    assert LoginLock.objects.get(kind="address").key == "203.0.113.7"
    assert (
        post_login(client, "alice", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")["Location"]
        == "/"
    )


def test_it_follows_the_lockout_policy(client, clock, secadmin, alice):
    from tuijin.security import services

    services.update_policy(actor=secadmin, lockout_threshold=3, lockout_minutes=10)
    html = fail(client, "alice", 3).content.decode()
    assert "locked until 2026年11月26日 09:10" in html


# ——— the security administrator unlocks ———


def test_it_lets_the_secadmin_unlock_an_account_with_an_audit_row(client, clock, secadmin, alice):
    fail(client, "alice", 5)
    client.force_login(secadmin)
    response = client.post(reverse("security_user_unlock", args=[alice.code]))
    assert response["Location"] == reverse("user_detail", args=[alice.code])
    event = AuditEvent.objects.get(action="security.unlock")
    assert event.actor == secadmin and event.object_id == str(alice.pk) and event.after == {"locked": False}
    client.logout()
    assert post_login(client, "alice", REMOTE_ADDR="10.0.0.2")["Location"] == "/"


def test_it_lets_the_secadmin_release_an_address_from_the_policy_page(client, clock, secadmin):
    for name in ("a1", "b2", "c3", "d4", "e5"):
        fail(client, name)
    lock = LoginLock.objects.get(kind="address")
    client.force_login(secadmin)
    assert "10.0.0.1" in client.get(reverse("security_policy")).content.decode()
    client.post(reverse("security_lock_release"), {"lock": lock.pk})
    lock.refresh_from_db()
    assert lock.released_by == secadmin
    assert AuditEvent.objects.filter(action="security.unlock", object_type="security.loginlock").exists()


@pytest.mark.parametrize("who", ["alice", "sup", "sysadmin", "auditor"])
def test_it_forbids_unlocking_to_everyone_else(client, clock, request, who, bob):
    fail(client, "bob", 5)
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("security_user_unlock", args=[bob.code])).status_code == 403
    assert LoginLock.objects.get(kind="account").released_at is None


def test_it_shows_the_lock_on_the_user_page_panel(rf, clock, secadmin, sysadmin, bob):
    from django.template import Context, Template

    LoginLock.objects.create(kind="account", key="bob", until=timezone.now() + datetime.timedelta(minutes=30))
    template = Template("{% load security_tags %}{% user_security_panel subject %}")
    for viewer, may_act in ((secadmin, True), (sysadmin, False)):
        request = rf.get("/")
        request.user = viewer
        html = template.render(Context({"request": request, "subject": bob, "csrf_token": "t"}))
        assert "locked until 2026年11月26日 09:30" in html
        assert ('data-testid="unlock"' in html) == may_act


# ——— rate limits ———


def test_it_limits_sign_in_posts_per_address(client, clock, settings, alice):
    settings.LOGIN_RATE_LIMIT = 3
    for i in range(3):
        assert post_login(client, f"user{i}", "x", REMOTE_ADDR="10.9.9.9").status_code == 200
    response = post_login(client, "alice", REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "Too many sign-in attempts" in response.content.decode()
    assert post_login(client, "alice", REMOTE_ADDR="10.9.9.8")["Location"] == "/"
    client.logout()
    clock.shift(60)
    assert post_login(client, "alice", REMOTE_ADDR="10.9.9.9")["Location"] == "/"


def test_it_limits_api_calls_per_token(client, clock, settings, alice, bob):
    from tuijin.org.models import ApiToken

    settings.API_RATE_LIMIT = 2
    _t, alice_key = ApiToken.issue(alice)
    _t, bob_key = ApiToken.issue(bob)
    url = "/api/v1/plans"
    for _ in range(2):
        assert client.get(url, headers={"Authorization": f"Bearer {alice_key}"}).status_code == 200
    response = client.get(url, headers={"Authorization": f"Bearer {alice_key}"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Too many requests" in response.json()["detail"]
    assert client.get(url, headers={"Authorization": f"Bearer {bob_key}"}).status_code == 200
    clock.shift(60)
    assert client.get(url, headers={"Authorization": f"Bearer {alice_key}"}).status_code == 200


def test_it_keeps_one_counter_row_per_key(client, clock, settings, alice):
    from tuijin.security.models import RateCounter

    for minute in range(5):
        clock.move_to(START + datetime.timedelta(minutes=minute))
        post_login(client, "x", "y", REMOTE_ADDR="10.1.1.1")
    assert RateCounter.objects.filter(key="login:10.1.1.1").count() == 1


def test_it_needs_no_login_page_changes_for_get(client, db):
    assert client.get(LOGIN).status_code == 200
