"""Event programmes (黄河文化月, 拜祖大典): activities, preparation tasks, readiness, run sheets."""

from django.db import models  # noqa: F401
