"""/healthz tells the proxy or load balancer whether this instance can serve: database, migrations, storage.

It needs no sign-in, answers 200 with every check "ok", or 503 naming the check that failed, and says nothing a
load balancer does not need (no versions, no error text)."""

import os
import stat

import pytest
from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor

from tuijin.core import views

ALL_OK = {"database": "ok", "migrations": "ok", "storage": "ok"}


@pytest.fixture(autouse=True)
def unchecked_migrations():
    views._migrations_checked.clear()
    yield
    views._migrations_checked.clear()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    os.mkdir(settings.MEDIA_ROOT)
    return tmp_path / "media"


@pytest.mark.django_db
def test_it_answers_ok_to_anyone_and_says_nothing_more(client, media):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": ALL_OK}
    assert "no-cache" in response["Cache-Control"]
    assert list(media.iterdir()) == []  # the storage probe cleans up after itself


@pytest.mark.django_db
def test_it_names_the_database_when_it_does_not_answer(client, media):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("could not connect to server: secret-db-host.internal")

    with connection.execute_wrapper(refuse):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "fail",
        "checks": {"database": "fail", "migrations": "fail", "storage": "ok"},
    }
    assert b"secret-db-host" not in response.content


@pytest.mark.django_db
def test_it_names_migrations_when_some_are_not_applied(client, media, monkeypatch):
    unapplied = [(MigrationExecutor(connection).loader.graph.nodes[("core", "0001_initial")], False)]
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets, **kw: unapplied)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"] == {**ALL_OK, "migrations": "fail"}


@pytest.mark.django_db
def test_it_checks_migrations_at_most_once_a_minute(client, media, monkeypatch):
    plans = []
    real_plan = MigrationExecutor.migration_plan

    def counting(self, targets, **kw):
        plans.append(targets)
        return real_plan(self, targets, **kw)

    monkeypatch.setattr(MigrationExecutor, "migration_plan", counting)
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert len(plans) == 1

    checked_at, ok = views._migrations_checked[connection.alias]
    views._migrations_checked[connection.alias] = (checked_at - views.HEALTH_MIGRATIONS_TTL - 1, ok)
    assert client.get("/healthz").status_code == 200
    assert len(plans) == 2


@pytest.mark.django_db
def test_it_names_storage_when_media_is_read_only(client, media, monkeypatch):
    media.chmod(0o555)
    if os.geteuid() == 0:  # root writes anywhere; refuse as the kernel would for the service account
        real_mkstemp = views.mkstemp

        def read_only_mkstemp(*args, dir, **kwargs):
            if not os.stat(dir).st_mode & stat.S_IWUSR:
                raise PermissionError(13, "Permission denied", dir)
            return real_mkstemp(*args, dir=dir, **kwargs)

        monkeypatch.setattr(views, "mkstemp", read_only_mkstemp)
    try:
        response = client.get("/healthz")
    finally:
        media.chmod(0o755)

    assert response.status_code == 503
    assert response.json()["checks"] == {**ALL_OK, "storage": "fail"}
    assert list(media.iterdir()) == []


@pytest.mark.django_db
def test_it_names_storage_when_media_root_is_missing(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "not-mounted")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"] == {**ALL_OK, "storage": "fail"}
