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


KEY_HINT = (
    "Generate one with `python -m tuijin.lib.crypto_keys k1` and put it in FIELD_KEYS or FIELD_KEYS_FILE."
)
INDEX_HINT = (
    "Generate one with `python -m tuijin.lib.crypto_keys --index` and put it in FIELD_INDEX_KEY or "
    "FIELD_INDEX_KEY_FILE; never change it afterwards (stored blind indexes depend on it)."
)


@register(Tags.security, deploy=False)
def check_personal_data(app_configs, **kwargs):
    """Personal data cannot be sealed without keys; see tuijin/lib/crypto.py and docs/PRIVACY.md."""
    from tuijin.lib import crypto

    problems = []
    text = getattr(settings, "FIELD_KEYS", "") or ""
    try:
        keys = crypto.parse_keys(text)
    except crypto.CryptoError as exc:
        problems.append(Error(f"FIELD_KEYS is malformed: {exc}.", hint=KEY_HINT, id="tuijin.E011"))
    else:
        if not keys:
            problems.append(Error("FIELD_KEYS is not set: personal data cannot be sealed.", hint=KEY_HINT,
                                  id="tuijin.E010"))  # fmt: skip
    index_key = getattr(settings, "FIELD_INDEX_KEY", "") or ""
    if not index_key:
        problems.append(Error("FIELD_INDEX_KEY is not set.", hint=INDEX_HINT, id="tuijin.E012"))
    elif len(index_key.encode()) < 16:
        problems.append(
            Error("FIELD_INDEX_KEY is shorter than 16 characters.", hint=INDEX_HINT, id="tuijin.E012")
        )
    days = getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", None)
    if days is not None and (not isinstance(days, int) or days < 1):
        problems.append(Error("PERSONAL_DATA_RETENTION_DAYS must be a whole number of days, at least 1.",
                              id="tuijin.E013"))  # fmt: skip
    return problems


@register(Tags.security, deploy=False)
def check_personal_data_policies(app_configs, **kwargs):
    """Every sealed field should say who sees it in full; the reveal action must be reachable."""
    from django.urls import NoReverseMatch, reverse

    from tuijin.core import keys, privacy

    problems = []
    try:
        reverse("personal_data_reveal", args=["org.user.phone", "x"])
    except NoReverseMatch:
        problems.append(Warning(
            "The personal-data reveal route is not mounted; fields that may be shown in full stay masked.",
            hint='Add path("privacy/", include("tuijin.core.privacy_urls")) to tuijin/urls.py.', id="tuijin.W010",
        ))  # fmt: skip
    for model, field in keys.sealed_columns():
        if privacy.field_for(model, field.name) is None and not privacy.is_secret(model, field.name):
            problems.append(Warning(
                f"{model._meta.label}.{field.name} holds personal data but no policy says who sees it in full; "
                "{% personal_data %} and privacy.export_value show it masked to everyone.",
                hint=f"Call privacy.register_field({model.__name__}, {field.name!r}, …) in "
                     f"{model._meta.app_config.name.replace('.', '/')}/privacy.py, or privacy.register_secret() if it "
                "is a secret never shown (see tuijin/core/privacy.py).",
                obj=model, id="tuijin.W011",
            ))  # fmt: skip
    return problems
