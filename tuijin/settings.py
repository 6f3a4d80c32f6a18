"""Settings for Tuijin, read from the environment (see README.md, "Configuration")."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(os.environ.get(name, default))


def envsecret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/systemd credentials)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


DEBUG = envbool("DEBUG", "False")
SECRET_KEY = envsecret("SECRET_KEY", "")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
SITE_NAME = os.environ.get("SITE_NAME", "推进 Tuijin")
# Demo accounts and data exist only when this is on (`make run` turns it on); never in production.
DEMO_MODE = envbool("DEMO_MODE", "False")

# Personal data is sealed with these keys (tuijin/lib/crypto.py; rotate with `tuijin rotate-keys`).
FIELD_KEYS = envsecret("FIELD_KEYS", "")
FIELD_INDEX_KEY = envsecret("FIELD_INDEX_KEY", "")
# Personal data of accounts inactive this long is anonymised by `tuijin anonymise` (PIPL 第十九条, 第四十七条).
PERSONAL_DATA_RETENTION_DAYS = envint("PERSONAL_DATA_RETENTION_DAYS", "1095")
# Audit log: HMAC key of the hash chain (empty: derived from SECRET_KEY) and retention (at least 184 days).
AUDIT_KEY = envsecret("AUDIT_KEY", "")
AUDIT_RETENTION_DAYS = envint("AUDIT_RETENTION_DAYS", "184")

# Behind a reverse proxy (nginx) that sets X-Forwarded-Proto and X-Forwarded-For.
USE_X_FORWARDED = envbool("USE_X_FORWARDED", "False")
if USE_X_FORWARDED:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", "False")
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 3600))
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS only once cookies are secure: browsers then refuse plain HTTP for a year (HSTS). Preloading into the
# browsers' lists is a separate, hard-to-undo decision for the domain owner, so it stays off unless asked for.
# The redirect to HTTPS is usually nginx's job; SECURE_SSL_REDIRECT=1 makes Django do it (behind the proxy it
# reads X-Forwarded-Proto when USE_X_FORWARDED is on).
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000" if SESSION_COOKIE_SECURE else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "True")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "False")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "False")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy's and the monitor's probes may come over plain HTTP
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features a page may use (tuijin/core/headers.py). The phone report form's photo input may open the
# camera; nothing needs the microphone, position, payment or devices.
PERMISSIONS_POLICY = {
    "camera": ["self"],
    "fullscreen": ["self"],
    "geolocation": [],
    "microphone": [],
    "display-capture": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "hid": [],
    "midi": [],
    "accelerometer": [],
    "gyroscope": [],
    "magnetometer": [],
}
# No inline script anywhere: pages load their JavaScript from static files and pass data with json_script.
# Styles: the templates set a few style="" attributes (widths of progress bars, chart heights) and ECharts
# writes its tooltips as HTML with style attributes, so attributes need 'unsafe-inline'; <style> elements and
# stylesheets (style-src-elem, honoured by current browsers) may still come only from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "style-src-elem": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "ninja",
    "tuijin.core",
    "tuijin.org",
    "tuijin.tasks",
    "tuijin.notifications",
    "tuijin.supervision",
    "tuijin.assessment",
    "tuijin.cockpit",
    "tuijin.security",
    "tuijin.reviews",
    "tuijin.partybuilding",
    "tuijin.events",
    "tuijin.investment",
    "tuijin.spaces",
    "tuijin.coordination",
    "tuijin.servicedesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "tuijin.core.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tuijin.core.middleware.ChineseFirstLocaleMiddleware",
    "tuijin.core.middleware.NulCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tuijin.core.middleware.RequestContextMiddleware",
    "tuijin.security.middleware.SecurityMiddleware",
]

ROOT_URLCONF = "tuijin.urls"
WSGI_APPLICATION = "tuijin.wsgi.application"
AUTH_USER_MODEL = "org.User"
# API pages: a page beyond this offset is refused (422) rather than sent to the database as a huge OFFSET.
NINJA_PAGINATION_MAX_OFFSET = 1_000_000
NINJA_MAX_PER_PAGE_SIZE = 500
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tuijin.core.context_processors.site",
                "tuijin.notifications.context_processors.unread",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'var' / 'tuijin.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", "60"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Length, character classes and history follow the security policy the secadmin edits (tuijin/security).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "tuijin.security.validators.ComplexityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "tuijin.security.validators.HistoryValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "var" / "static"))
NODE_MODULES = Path(os.environ.get("NODE_MODULES", PROJECT_DIR / "node_modules"))
# Front-end packages are installed by npm from package-lock.json and served from here; never copied or CDN'd.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", PROJECT_DIR / "var" / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
EVIDENCE_MAX_BYTES = envint("EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024))
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", str(50 * 1024 * 1024))

# Notifications: links in outside messages point here; email goes through SMTP (console while developing).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "10")  # a dead SMTP server must not hang `tuijin tick`
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tuijin@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}


# Security policy defaults (issue 8): the security administrator changes them on /security/policy/; these are
# the values until then. 等保 2.0 level 3 practice: 8 characters of 3 classes, no reuse of the last 5, changed
# every 90 days (0 = never), 5 failures lock for 30 minutes, idle sessions end after 30 minutes.
PASSWORD_MIN_LENGTH = envint("PASSWORD_MIN_LENGTH", "8")
PASSWORD_MIN_CLASSES = envint("PASSWORD_MIN_CLASSES", "3")
PASSWORD_HISTORY = envint("PASSWORD_HISTORY", "5")
PASSWORD_MAX_AGE_DAYS = envint("PASSWORD_MAX_AGE_DAYS", "90")
LOCKOUT_THRESHOLD = envint("LOCKOUT_THRESHOLD", "5")
LOCKOUT_ADDRESS_THRESHOLD = envint("LOCKOUT_ADDRESS_THRESHOLD", "5")
LOCKOUT_MINUTES = envint("LOCKOUT_MINUTES", "30")
IDLE_TIMEOUT_MINUTES = envint("IDLE_TIMEOUT_MINUTES", "30")
TWO_FACTOR_ROLES = [
    r.strip()
    for r in os.environ.get("TWO_FACTOR_ROLES", "supervisor,sysadmin,secadmin,auditor").split(",")
    if r.strip()
]
# Requests per minute: sign-in attempts per client address, API calls per token (answered 429 beyond).
LOGIN_RATE_LIMIT = envint("LOGIN_RATE_LIMIT", "20")
API_RATE_LIMIT = envint("API_RATE_LIMIT", "600")

# The cockpit's figures are counted by `tuijin tick` and on demand, and kept for this many seconds (cockpit/
# snapshots.py). A little more than the tick's interval (5 minutes), so that leaders never wait for a count.
# 0 = count on every request.
COCKPIT_MAX_AGE = envint("COCKPIT_MAX_AGE", "360")
