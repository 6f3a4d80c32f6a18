"""Configuration checked by Django's system checks, so a bad deployment fails at start, not at first use."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=False)
def check_settings(app_configs, **kwargs):
    problems = []
    try:
        secret_key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        secret_key = ""
    if not secret_key:
        problems.append(
            Error("SECRET_KEY is not set.", hint="Set SECRET_KEY or SECRET_KEY_FILE.", id="tuijin.E001")
        )
    elif not settings.DEBUG and len(secret_key) < 32:
        problems.append(
            Error(
                "SECRET_KEY is shorter than 32 characters.", hint="Use a long random value.", id="tuijin.E002"
            )
        )
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
        problems.append(
            Error(
                f"Unsupported database engine {engine}.",
                hint="Use sqlite:// or postgres:// in DATABASE_URL.",
                id="tuijin.E003",
            )
        )
    if not settings.DEBUG and settings.ALLOWED_HOSTS == ["*"]:
        problems.append(Error("ALLOWED_HOSTS is '*' with DEBUG off.", id="tuijin.E004"))
    if not (settings.NODE_MODULES / "bootstrap").exists() and not settings.STATIC_ROOT.exists():
        problems.append(
            Warning(
                "Front-end packages are missing.",
                hint="Run `npm ci` (make does it) or `tuijin collectstatic` from a machine that has them.",
                id="tuijin.W002",
            )
        )
    return problems


@register(Tags.database, deploy=True)
def check_deployment(app_configs, **kwargs):
    """Only with `tuijin check --deploy`: what a production deployment should not run on."""
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        return [
            Warning(
                "SQLite in production.",
                hint="Set DATABASE_URL=postgres://… for several app processes.",
                id="tuijin.W001",
            )
        ]
    return []
