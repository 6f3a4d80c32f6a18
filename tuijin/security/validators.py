"""Password rules of the security policy, as Django password validators (AUTH_PASSWORD_VALIDATORS).

Django calls `validate()` wherever a password is chosen (forms, `validate_password`) and `password_changed()`
after any `user.set_password(...)` is saved — so the history and the change date are kept on every path:
services, management commands, `createsuperuser`."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .policy import get_policy


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and symbols (anything else, Chinese included) it uses."""
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not (c.isupper() or c.islower() or c.isdigit()) for c in password),
        )
    )


class ComplexityValidator:
    """At least N characters drawn from at least K of the four classes (policy: 8 and 3)."""

    def validate(self, password: str, user=None) -> None:
        policy = get_policy()
        problems = []
        if len(password) < policy.password_min_length:
            problems.append(
                ValidationError(
                    ngettext(
                        "This password is too short. It must contain at least %(n)d character.",
                        "This password is too short. It must contain at least %(n)d characters.",
                        policy.password_min_length,
                    )
                    % {"n": policy.password_min_length},
                    code="password_too_short",
                )
            )
        if character_classes(password) < policy.password_min_classes:
            problems.append(
                ValidationError(
                    _(
                        "Use at least %(n)d of these: capital letters, small letters, digits, symbols "
                        "(such as @ # - _)."
                    )
                    % {"n": policy.password_min_classes},
                    code="password_too_simple",
                )
            )
        if problems:
            raise ValidationError(problems)

    def get_help_text(self) -> str:
        policy = get_policy()
        return _(
            "At least %(length)d characters, using at least %(classes)d of: capital letters, small letters, "
            "digits, symbols."
        ) % {"length": policy.password_min_length, "classes": policy.password_min_classes}


class HistoryValidator:
    """Not the current password nor one of the last N (policy: 5); records each new password's hash."""

    def validate(self, password: str, user=None) -> None:
        count = get_policy().password_history
        if not count or user is None or not getattr(user, "pk", None):
            return
        from .models import PasswordHistory

        hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:count])
        if user.password:
            hashes.append(user.password)
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                ngettext(
                    "You used this password before. Choose one that is not among your last %(n)d password.",
                    "You used this password before. Choose one that is not among your last %(n)d passwords.",
                    count,
                )
                % {"n": count},
                code="password_reused",
            )

    def password_changed(self, password: str, user=None) -> None:
        from .passwords import remember_password

        if user is not None and getattr(user, "pk", None):
            remember_password(user, password)

    def get_help_text(self) -> str:
        count = get_policy().password_history
        if not count:
            return ""
        return ngettext(
            "Not one of your last %(n)d password.", "Not one of your last %(n)d passwords.", count
        ) % {"n": count}
