"""Bad configuration is refused at start by Django's system checks."""

from django.test import override_settings

from tuijin.core.checks import check_deployment, check_settings


def ids(problems):
    return {p.id for p in problems}


def test_it_requires_a_secret_key(settings):
    settings.SECRET_KEY = ""  # override_settings itself refuses an empty key, so set it directly
    assert "tuijin.E001" in ids(check_settings(None))


def test_it_requires_a_long_secret_key_without_debug():
    with override_settings(SECRET_KEY="short", DEBUG=False):
        assert "tuijin.E002" in ids(check_settings(None))


def test_it_refuses_a_wildcard_host_in_production():
    with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
        assert "tuijin.E004" in ids(check_settings(None))


def test_it_warns_about_sqlite_only_when_checking_a_deployment(settings):
    on_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    assert ("tuijin.W001" in ids(check_deployment(None))) == on_sqlite
    assert "tuijin.W001" not in ids(check_settings(None))
