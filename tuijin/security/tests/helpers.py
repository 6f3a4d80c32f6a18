"""Signing in through the test client, as a browser does."""

import time

import pyotp
from django.urls import reverse

from tuijin.conftest import PASSWORD, TOTP_SECRET

LOGIN = reverse("login")
OTP = reverse("security_login_otp")
ENROL = reverse("security_login_enrol")


def post_login(client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def code(step_offset: int = 0, secret: str = TOTP_SECRET) -> str:
    """The cast's authenticator code now (or `step_offset` 30-second steps away)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * step_offset)


def sign_in_fully(client, user, password: str = PASSWORD):
    """Password, then the code if asked."""
    response = post_login(client, user.username, password)
    if response.status_code == 302 and response["Location"] == OTP:
        response = client.post(OTP, {"code": code()})
    return response
