"""One-time voting codes: making them, hashing them, and drawing the QR code printed on each slip."""

from __future__ import annotations

import base64
import hashlib
import io
import secrets

import qrcode
from qrcode.constants import ERROR_CORRECT_M

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code is read off paper and typed on a phone.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
GROUPS, GROUP_LENGTH = 3, 4  # 12 characters ≈ 55 bits: guessing a live code is hopeless


def new_code() -> str:
    """A fresh code written in groups: K7PD-XM9Q-RT3A."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))


def normalise(text: str) -> str:
    """What a person typed, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def digest(text: str) -> str:
    """The stored form of a code. A plain hash suffices: codes are random and long, not passwords."""
    return hashlib.sha256(("tuijin-review-code:" + normalise(text)).encode()).hexdigest()


def looks_valid(text: str) -> bool:
    code = normalise(text)
    return len(code) == GROUPS * GROUP_LENGTH and all(ch in ALPHABET for ch in code)


def qr_data_uri(text: str) -> str:
    """A PNG of the QR code for `text`, as a data: URI for an <img> on the printed slip."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=6, border=2)
    qr.add_data(text)
    qr.make(fit=True)
    image = qr.make_image(fill_color="black", back_color="white")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")
