"""Authentication, two-factor sign-in and the security policy (等保 2.0 level 3)."""

from django.db import models  # noqa: F401
