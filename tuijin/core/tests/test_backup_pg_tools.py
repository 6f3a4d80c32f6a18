"""PostgreSQL backups use the pg_dump/pg_restore of the server's version, and the password travels in the
environment (PGPASSWORD), never on a command line where `ps` shows it to every user of the machine."""

from pathlib import Path
from types import SimpleNamespace

import pytest

from tuijin.core import backup


def fake_tool(directory: Path, name: str, version: str) -> Path:
    directory.mkdir(parents=True)
    tool = directory / name
    tool.write_text(f'#!/bin/sh\necho "{name} (PostgreSQL) {version} (Debian {version}-1)"\n')
    tool.chmod(0o755)
    return tool


@pytest.fixture
def tools(tmp_path):
    return {
        major: fake_tool(tmp_path / str(major) / "bin", "pg_dump", f"{major}.4") for major in (13, 15, 17)
    }


def test_it_chooses_the_tool_of_the_servers_version(tools):
    search = [str(t.parent) for t in tools.values()]

    assert backup.find_pg_tool("pg_dump", 15, search=search) == tools[15]


def test_it_falls_back_to_the_nearest_newer_tool(tools):
    search = [str(tools[13].parent), str(tools[17].parent)]

    assert backup.find_pg_tool("pg_dump", 15, search=search) == tools[17]


def test_it_refuses_when_only_older_tools_exist(tools):
    with pytest.raises(backup.BackupError, match="postgresql-client-15"):
        backup.find_pg_tool("pg_dump", 15, search=[str(tools[13].parent)])


def test_it_passes_the_password_in_the_environment_only(monkeypatch, tmp_path):
    fake_connection = SimpleNamespace(
        settings_dict={
            "NAME": "tuijin", "USER": "tuijin_app", "PASSWORD": "s3cret-Pa55", "HOST": "db.internal",
            "PORT": "5433", "OPTIONS": {"sslmode": "verify-full"},
        },
        pg_version=150004, ensure_connection=lambda: None, close=lambda: None,
    )  # fmt: skip
    calls = []
    monkeypatch.setattr(backup, "connection", fake_connection)
    monkeypatch.setattr(
        backup, "find_pg_tool", lambda name, major: Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    )
    monkeypatch.setattr(
        backup.subprocess, "run",
        lambda command, env, **kw: calls.append((command, env)) or SimpleNamespace(returncode=0, stderr=""),
    )  # fmt: skip

    backup._restore_postgresql(tmp_path / "database.pgdump")

    ((command, env),) = calls
    assert command[0] == "/usr/lib/postgresql/15/bin/pg_restore"
    assert not any("s3cret" in arg for arg in command)
    for option in ("--no-owner", "--no-privileges", "--clean", "--if-exists", "--single-transaction"):
        assert option in command
    assert env["PGPASSWORD"] == "s3cret-Pa55"
    assert "FIELD_KEYS" not in env and "SECRET_KEY" not in env  # the tools get no application keys
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGSSLMODE"]) == (
        "db.internal", "5433", "tuijin_app", "verify-full",
    )  # fmt: skip
