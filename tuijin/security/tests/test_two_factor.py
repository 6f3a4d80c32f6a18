"""Two-factor sign-in (TOTP, RFC 6238): required for supervisors and the 三员, optional for others; a code is
good for its 30-second step and one step either side, and only once; wrong codes count towards the lockout."""

import datetime

import pyotp
import pytest
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.urls import reverse

from tuijin.conftest import TOTP_SECRET
from tuijin.core.models import AuditEvent
from tuijin.security.models import LoginAttempt, LoginLock, RecoveryCode, TOTPDevice

from .helpers import ENROL, OTP, code, post_login

NOW = datetime.datetime(2026, 11, 26, 9, 0, 10, tzinfo=datetime.UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def signed_in(client) -> bool:
    return bool(client.session.get("_auth_user_id"))


def test_it_asks_a_supervisor_for_the_code_before_signing_in(client, clock, sup):
    response = post_login(client, "sup")
    assert response["Location"] == OTP and not signed_in(client)
    assert client.get("/")["Location"].startswith(reverse("login"))  # not signed in yet
    html = client.get(OTP).content.decode()
    assert "enter the 6-digit code" in html
    response = client.post(OTP, {"code": code()})
    assert response["Location"] == "/" and signed_in(client)
    assert LoginAttempt.objects.get(success=True).user == sup


def test_it_signs_in_other_roles_with_the_password_alone(client, clock, alice):
    assert post_login(client, "alice")["Location"] == "/" and signed_in(client)


@pytest.mark.parametrize("offset", [-1, 1])
def test_it_accepts_the_code_of_the_step_before_or_after(client, clock, sup, offset):
    post_login(client, "sup")
    assert client.post(OTP, {"code": code(offset)})["Location"] == "/"


@pytest.mark.parametrize("offset", [-2, 2])
def test_it_refuses_codes_further_away(client, clock, sup, offset):
    post_login(client, "sup")
    response = client.post(OTP, {"code": code(offset)})
    assert response.status_code == 200 and "That code is not right" in response.content.decode()
    assert not signed_in(client)


def test_it_refuses_a_code_used_once_already(client, clock, sup):
    post_login(client, "sup")
    client.post(OTP, {"code": code()})
    client.logout()
    post_login(client, "sup")
    assert "already used" in client.post(OTP, {"code": code()}).content.decode()
    assert not signed_in(client)
    assert client.post(OTP, {"code": code(1)})["Location"] == "/"  # the next step is still good


def test_it_counts_wrong_codes_as_failures_and_locks_after_five(client, clock, sup):
    failures = []
    user_login_failed.connect(lambda sender, credentials, **kw: failures.append(credentials), weak=False,
                              dispatch_uid="test-otp-failures")  # fmt: skip
    try:
        post_login(client, "sup")
        for _ in range(4):
            assert client.post(OTP, {"code": "000000"}).status_code == 200
        response = client.post(OTP, {"code": "000000"})
    finally:
        user_login_failed.disconnect(dispatch_uid="test-otp-failures")
    assert response["Location"] == reverse("login")
    assert "locked until" in client.get(reverse("login")).content.decode()
    assert LoginLock.objects.filter(kind="account", key="sup").exists()
    assert failures == [{"username": "sup"}] * 5
    assert client.get(OTP)["Location"] == reverse("login")  # the half-done sign-in is gone


def test_it_sends_the_signed_in_signal_once_the_code_is_right(client, clock, sup):
    seen = []
    user_logged_in.connect(lambda sender, user, **kw: seen.append(user.username), weak=False,
                           dispatch_uid="test-logged-in")  # fmt: skip
    try:
        post_login(client, "sup")
        assert seen == []
        client.post(OTP, {"code": code()})
    finally:
        user_logged_in.disconnect(dispatch_uid="test-logged-in")
    assert seen == ["sup"]


def test_it_forgets_a_half_done_sign_in_after_five_minutes(client, clock, sup):
    post_login(client, "sup")
    clock.shift(datetime.timedelta(minutes=6))
    response = client.post(OTP, {"code": code()})
    assert response["Location"] == reverse("login") and not signed_in(client)


def test_it_keeps_the_next_page_through_the_code_step(client, clock, sup):
    client.post(reverse("login"), {"username": "sup", "password": "Tuijin-test-2021", "next": "/tasks/"})
    assert client.post(OTP, {"code": code()})["Location"] == "/tasks/"


# ——— recovery codes ———


def test_it_accepts_each_recovery_code_once(client, clock, sup):
    from tuijin.security.otp import new_recovery_codes

    codes = new_recovery_codes(sup)
    post_login(client, "sup")
    assert client.post(OTP, {"code": codes[0].upper()})["Location"] == "/"
    assert AuditEvent.objects.get(action="security.recovery_code_use").after == {"recovery_codes_left": 9}
    client.logout()
    post_login(client, "sup")
    assert client.post(OTP, {"code": codes[0]}).status_code == 200
    assert RecoveryCode.objects.filter(user=sup, used_at__isnull=True).count() == 9


# ——— enrolment ———


def test_it_makes_a_new_supervisor_set_up_the_app_at_the_first_sign_in(client, clock, office):
    from tuijin.conftest import make_user
    from tuijin.org.models import Role

    make_user("sup2", Role.SUPERVISOR, office)
    assert post_login(client, "sup2")["Location"] == ENROL
    html = client.get(ENROL).content.decode()
    device = TOTPDevice.objects.get(user__username="sup2")
    assert device.confirmed_at is None
    assert 'src="data:image/png;base64,' in html
    secret = device.secret
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in html
    assert client.get(ENROL).content.decode().count(secret[:4]) >= 1  # a reload shows the same key
    assert TOTPDevice.objects.get(user__username="sup2").secret == secret
    response = client.post(ENROL, {"code": "123456"})
    assert "That code is not right" in response.content.decode() and not signed_in(client)
    response = client.post(ENROL, {"code": pyotp.TOTP(secret).now()})
    assert signed_in(client) and "no-store" in response["Cache-Control"]
    shown = response.context["codes"]
    assert len(shown) == 10 and all(c in response.content.decode() for c in shown)
    assert TOTPDevice.objects.get(user__username="sup2").confirmed_at is not None
    event = AuditEvent.objects.get(action="security.two_factor_enable")
    assert secret not in str(event.after) and not any(c in str(event.after) for c in shown)


def test_it_lets_an_optional_user_turn_it_on_and_off_from_the_account_page(client, clock, alice):
    client.force_login(alice)
    url = reverse("security_two_factor_enrol")
    client.get(url)
    secret = TOTPDevice.objects.get(user=alice).secret
    response = client.post(url, {"code": pyotp.TOTP(secret).now()})
    assert len(response.context["codes"]) == 10
    client.logout()
    assert post_login(client, "alice")["Location"] == OTP  # asked for the code from now on
    client.post(OTP, {"code": code(1, secret)})
    off = reverse("security_two_factor_disable")
    client.post(off, {"password": "wrong"})
    assert TOTPDevice.objects.filter(user=alice).exists()
    client.post(off, {"password": "Tuijin-test-2021"})
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert AuditEvent.objects.filter(action="security.two_factor_disable", actor=alice).exists()


def test_it_does_not_let_a_required_role_turn_it_off(client, sup):
    client.force_login(sup)
    client.post(reverse("security_two_factor_disable"), {"password": "Tuijin-test-2021"})
    assert TOTPDevice.objects.filter(user=sup).exists()


def test_it_makes_new_recovery_codes_after_the_password(client, sup):
    from tuijin.security.otp import new_recovery_codes

    old = new_recovery_codes(sup)
    client.force_login(sup)
    response = client.post(reverse("security_recovery_codes"), {"password": "Tuijin-test-2021"})
    new = response.context["codes"]
    assert set(new).isdisjoint(old) and RecoveryCode.objects.filter(user=sup).count() == 10
    assert AuditEvent.objects.filter(action="security.recovery_codes_regenerate").count() == 1


# ——— the security administrator resets ———


def test_it_lets_the_secadmin_reset_a_lost_authenticator(client, clock, secadmin, sup):
    client.force_login(secadmin)
    response = client.post(reverse("security_user_two_factor_reset", args=[sup.code]))
    assert response["Location"] == reverse("user_detail", args=[sup.code])
    assert not TOTPDevice.objects.filter(user=sup).exists()
    event = AuditEvent.objects.get(action="security.two_factor_reset")
    assert (
        event.actor == secadmin
        and event.before == {"two_factor": True}
        and event.after == {"two_factor": False}
    )
    client.logout()
    assert post_login(client, "sup")["Location"] == ENROL


@pytest.mark.parametrize("who", ["alice", "sup", "sysadmin", "auditor"])
def test_it_forbids_resetting_to_everyone_else(client, request, who, leader):
    TOTPDevice.objects.create(user=leader, secret=TOTP_SECRET)
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("security_user_two_factor_reset", args=[leader.code])).status_code == 403
    assert TOTPDevice.objects.filter(user=leader).exists()


# ——— demo mode ———


@pytest.mark.parametrize("demo_mode", [True, False])
def test_it_shows_the_current_code_of_demo_accounts_in_demo_mode_only(client, clock, settings, demo_mode, db):
    from tuijin.conftest import make_user, with_authenticator
    from tuijin.org.models import Role

    settings.DEMO_MODE = demo_mode
    with_authenticator(make_user("supervisor", Role.SUPERVISOR))  # a demo login name
    post_login(client, "supervisor")
    html = client.get(OTP).content.decode()
    assert ("Demo mode" in html) == demo_mode
    assert (code() in html) == demo_mode


def test_it_never_shows_the_code_of_a_real_account_even_in_demo_mode(client, clock, settings, sup):
    settings.DEMO_MODE = True
    post_login(client, "sup")
    html = client.get(OTP).content.decode()
    assert "Demo mode" not in html and code() not in html


def test_it_sends_a_signed_in_user_home_from_the_sign_in_pages(client, alice):
    client.force_login(alice)
    for url in (reverse("login"), OTP, ENROL):
        assert client.get(url)["Location"] == "/"
