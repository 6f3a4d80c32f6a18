"""Time-based one-time codes (RFC 6238: 30-second steps, 6 digits, one step of clock drift either way) and
one-time recovery codes."""

from __future__ import annotations

import base64
import hmac
import io
import re
import secrets
import time

import pyotp
import qrcode
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import RecoveryCode, TOTPDevice

STEP = 30
DRIFT = 1  # steps accepted before and after the current one
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and typed from paper
CODE = re.compile(r"\d{6}")
RECOVERY = re.compile(r"[a-z0-9]{10}")


def new_secret() -> str:
    return pyotp.random_base32()  # 32 base32 characters, 160 bits


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(device: TOTPDevice) -> str:
    return pyotp.TOTP(device.secret, interval=STEP).provisioning_uri(
        name=device.user.username, issuer_name=settings.SITE_NAME
    )


def qr_data_uri(text: str) -> str:
    """A PNG QR code as a data: URI (an <img> needs no separate request and leaves no file behind)."""
    image = qrcode.make(text, box_size=6, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def current_step() -> int:
    return int(time.time()) // STEP


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, interval=STEP).generate_otp(step)


def next_code(device: TOTPDevice) -> str:
    """The code the device accepts next: the current one, or the following step's if this one was used
    (for the demo hint and the browser tests' sign-in)."""
    step = current_step()
    if device.last_used_step is not None and device.last_used_step >= step:
        step = device.last_used_step + 1
    return code_at(device.secret, step)


def verify(device: TOTPDevice, code: str) -> bool:
    """Whether `code` is good for the device now; a step is accepted once, so a seen code cannot be replayed."""
    code = re.sub(r"\s", "", code or "")
    if not CODE.fullmatch(code):
        return False
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        now = current_step()
        for step in range(now - DRIFT, now + DRIFT + 1):
            if locked.last_used_step is not None and step <= locked.last_used_step:
                continue
            if hmac.compare_digest(code_at(locked.secret, step), code):
                locked.last_used_step = step
                locked.save(update_fields=["last_used_step"])
                device.last_used_step = step
                return True
    return False


# ——— recovery codes ———


def normalise_recovery(code: str) -> str:
    return re.sub(r"[\s\-]", "", code or "").lower()


def looks_like_recovery(code: str) -> bool:
    return bool(RECOVERY.fullmatch(normalise_recovery(code)))


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with fresh ones; the plain codes are returned to show once."""
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=RecoveryCode.hash(c)) for c in codes])
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def use_recovery_code(user, code: str) -> bool:
    """Spend one unused recovery code of `user`; False if it is not one."""
    code = normalise_recovery(code)
    if not RECOVERY.fullmatch(code):
        return False
    return bool(
        RecoveryCode.objects.filter(
            user=user, code_hash=RecoveryCode.hash(code), used_at__isnull=True
        ).update(used_at=timezone.now())
    )
