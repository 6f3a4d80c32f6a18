"""Settings for the test suite: the real settings, with a fixed key, fast hashing and a private media folder."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("FIELD_KEYS", "t2:MDEyMzQ1Njc4OWFiY2RlZg==,t1:ZmVkY2JhOTg3NjU0MzIxMA==")
os.environ.setdefault("FIELD_INDEX_KEY", "test-only-index-key-0123456789")
os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop in tests

from tuijin.settings import *  # noqa: E402,F403
from tuijin.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="tuijin-media-")
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests change data and look at the cockpit straight after: count on every request (test_cockpit_snapshot.py
# turns snapshots on).
COCKPIT_MAX_AGE = int(os.environ.get("COCKPIT_MAX_AGE", "0"))  # bench/ sets it as deployed
