"""Signing in with two factors, the lockout message and the forced password change, in a real browser
(Debian's Chromium through Playwright); screenshots go to var/screenshots/ for a person to look at."""

import pyotp
import pytest

from tuijin.conftest import PASSWORD, make_user, shot, sign_in
from tuijin.org import services as org_services
from tuijin.org.models import Role
from tuijin.security.models import TOTPDevice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english():
    """Unlike the other tests here, these show the interface as users see it: in Chinese."""
    yield


def test_it_walks_a_new_supervisor_through_setting_up_the_authenticator(page, live_server, office):
    make_user("sup2", Role.SUPERVISOR, office, "督查室李科员")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "sup2")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/security/login/enrol/")
    qr = page.locator("[data-testid=totp-qr]")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100")
    secret = TOTPDevice.objects.get(user__username="sup2").secret
    assert page.inner_text("[data-testid=totp-secret]").replace(" ", "") == secret
    shot(page, "security-enrol-qr")
    page.fill("#id_code", pyotp.TOTP(secret).now())
    page.click("button[type=submit]")
    codes = page.locator("[data-testid=recovery-codes] li")
    assert codes.count() == 10
    shot(page, "security-recovery-codes")
    page.click("[data-testid=continue]")
    page.wait_for_url(f"{live_server.url}/")


def test_it_asks_for_the_code_and_shows_the_demo_hint_in_demo_mode(page, live_server, settings, office):
    from tuijin.conftest import with_authenticator

    settings.DEMO_MODE = True
    with_authenticator(make_user("supervisor", Role.SUPERVISOR, office, "张建军"))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/security/login/otp/")
    shown = page.inner_text("[data-testid=demo-code] code")
    shot(page, "security-otp-demo")
    page.fill("#id_code", shown)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_it_tells_a_locked_user_until_when(page, live_server, alice):
    page.goto(f"{live_server.url}/login/")
    for _ in range(5):
        page.fill("#id_username", "alice")
        page.fill("#id_password", "not-the-password")
        page.click("button[type=submit]")
        page.wait_for_load_state()
    message = page.inner_text("[data-testid=login-error]")
    assert "年" in message and "月" in message and "日" in message
    shot(page, "security-locked")


def test_it_makes_a_new_user_choose_a_password_first(page, live_server, sysadmin, unit_a):
    user, initial = org_services.create_user(actor=sysadmin, username="dave", display_name="李联络")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "dave")
    page.fill("#id_password", initial)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/security/password/")
    page.fill("#id_new_password1", "short")
    page.fill("#id_new_password2", "short")
    page.fill("#id_old_password", initial)
    page.click("[data-testid=save-password]")
    page.wait_for_load_state()
    shot(page, "security-password-change-errors")
    page.fill("#id_old_password", initial)
    page.fill("#id_new_password1", "Zhengzhou-2021")
    page.fill("#id_new_password2", "Zhengzhou-2021")
    page.click("[data-testid=save-password]")
    page.wait_for_url(f"{live_server.url}/")


def test_it_signs_the_cast_in_with_the_helper(page, live_server, sup, secadmin):
    sign_in(page, live_server, sup)
    page.goto(f"{live_server.url}/security/account/")
    shot(page, "security-account-sup")
    page.context.clear_cookies()
    sign_in(page, live_server, sup)  # again within the same 30 seconds: the helper takes the next step's code
    page.context.clear_cookies()
    sign_in(page, live_server, secadmin)
    page.goto(f"{live_server.url}/security/policy/")
    shot(page, "security-policy")
