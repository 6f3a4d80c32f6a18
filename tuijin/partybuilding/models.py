"""双报到 registrations and service records, and 办实事 lists."""

from django.db import models  # noqa: F401
