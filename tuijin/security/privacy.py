"""The authenticator secret is sealed like personal data but never shown to anyone."""

from tuijin.core import privacy

from .models import TOTPDevice

privacy.register_secret(TOTPDevice, "secret")
