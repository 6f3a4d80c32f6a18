"""Demo accounts whose role requires two-factor sign-in get an authenticator at once; in demo mode (only) the
code page shows them the current code, so a newcomer can sign in without a phone."""

from django.utils import timezone

from tuijin.org.models import User

from . import otp
from .models import TOTPDevice
from .policy import get_policy


def give_demo_authenticators() -> int:
    """Confirmed authenticators for the demo logins that need one and have none; returns how many were made."""
    from tuijin.core.demo import _all_logins

    needing = (
        User.objects.filter(username__in=_all_logins(), memberships__role__in=get_policy().two_factor_roles)
        .exclude(totp_device__confirmed_at__isnull=False)
        .distinct()
    )
    made = 0
    for user in needing:
        TOTPDevice.objects.update_or_create(
            user=user,
            defaults={"secret": otp.new_secret(), "confirmed_at": timezone.now(), "last_used_step": None},
        )
        made += 1
    return made
