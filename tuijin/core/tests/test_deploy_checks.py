"""`tuijin check --deploy` with the environment of a production server raises no security warning: the settings
read from the environment (HTTPS, HSTS, secure cookies, redirects) are the ones Django's checks ask for."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[3]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "prod-like-secret-key-7f3a9c2e1b8d4f6a0e5c7b9d2a4f6e8c1b3d5f7a9c",
    "FIELD_KEYS": "p1:MDEyMzQ1Njc4OWFiY2RlZg==",
    "FIELD_INDEX_KEY": "prod-like-index-key-0123456789",
    "ALLOWED_HOSTS": "tuijin.zhengzhou.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://tuijin.zhengzhou.gov.cn",
    "SECURE_COOKIES": "1",
    "USE_X_FORWARDED": "1",
    "SECURE_SSL_REDIRECT": "1",
    "DATABASE_URL": "postgres://tuijin:x@127.0.0.1:5432/tuijin",
}


def deploy_warnings(**env) -> list[str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SECURE_", "DEBUG"))
    }
    environment.update(PRODUCTION, DJANGO_SETTINGS_MODULE="tuijin.settings", **env)
    result = subprocess.run(
        [sys.executable, "-m", "tuijin", "check", "--deploy", "--fail-level", "CRITICAL"],
        cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    return sorted({word.strip("():") for word in output.split() if word.startswith("(security.")})


def test_it_raises_no_security_warning_in_production():
    # Only the HSTS preload list is left: submitting the domain to the browsers is the owner's decision.
    assert deploy_warnings() == ["security.W021"]
    assert deploy_warnings(SECURE_HSTS_PRELOAD="1") == []


def test_it_warns_when_https_is_not_configured():
    found = deploy_warnings(SECURE_COOKIES="0", SECURE_SSL_REDIRECT="0")
    assert {"security.W004", "security.W008", "security.W012", "security.W016"} <= set(found)
