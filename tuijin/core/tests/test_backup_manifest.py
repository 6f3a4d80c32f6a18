"""A backup carries a manifest (when, code version, database, migrations, row counts, sha256 of every file),
holds the uploaded files, leaves the keys out, and is audited without personal data."""

import hashlib
import io
import json
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from tuijin.core.models import AuditEvent
from tuijin.tasks.models import Task

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backed_up(task, alice, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media" / "evidence" / "2026").mkdir(parents=True)
    (tmp_path / "media" / "evidence" / "2026" / "现场.pdf").write_bytes(b"%PDF-1.4 site photo report")
    alice.phone = "13812345678"
    alice.save(update_fields=["phone"])
    out = io.StringIO()
    call_command("backup", str(tmp_path / "backup"), stdout=out)
    return tmp_path / "backup", out.getvalue()


def test_it_describes_the_backup_in_a_manifest(backed_up):
    directory, _output = backed_up
    manifest = json.loads((directory / "manifest.json").read_text())

    assert manifest["format"] == 1
    assert manifest["created_at"][:4].isdigit()
    assert manifest["app"]["version"]
    assert manifest["database"]["vendor"] == connection.vendor
    applied = {(m.app, m.name) for m in MigrationRecorder.Migration.objects.all()}
    assert {tuple(m) for m in manifest["migrations"]} == applied
    assert manifest["row_counts"]["tasks_task"] == Task.objects.count() == 1
    assert manifest["row_counts"]["org_user"] == 2
    assert manifest["field_key_ids"] == ["t2"]
    assert manifest["media"] == {"files": 1, "bytes": 26}


def test_it_lists_the_checksum_of_every_file_in_the_backup(backed_up):
    directory, _output = backed_up
    manifest = json.loads((directory / "manifest.json").read_text())
    on_disk = {p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file()} - {
        "manifest.json"
    }

    assert set(manifest["files"]) == on_disk
    assert "media/evidence/2026/现场.pdf" in on_disk
    assert {"database.sqlite3", "database.pgdump"} & on_disk
    for name, info in manifest["files"].items():
        data = (directory / name).read_bytes()
        assert info == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    assert (directory / "media/evidence/2026/现场.pdf").read_bytes() == b"%PDF-1.4 site photo report"


def test_it_keeps_the_keys_out_of_the_backup_and_says_so(backed_up):
    directory, output = backed_up
    secrets = [django_settings.SECRET_KEY, django_settings.FIELD_INDEX_KEY]
    secrets += [part.split(":", 1)[1] for part in django_settings.FIELD_KEYS.split(",")]
    everything = b"".join(p.read_bytes() for p in directory.rglob("*") if p.is_file())

    for secret in secrets:
        assert secret.encode() not in everything
    assert b"13812345678" not in everything  # personal data stays sealed in the copy
    assert "Keys are NOT in the backup" in output
    assert json.loads((directory / "manifest.json").read_text())["keys_included"] is False


def test_it_lets_only_the_owner_read_the_backup(backed_up):
    directory, _output = backed_up
    for path in directory.rglob("*"):
        assert os.stat(path).st_mode & 0o077 == 0, path


def test_it_audits_the_backup_without_personal_data(backed_up):
    directory, _output = backed_up
    event = AuditEvent.objects.get(action="backup.create")

    assert event.object_type == "backup"
    assert event.object_repr == str(directory)
    assert event.after["tables"] > 10 and event.after["media_files"] == 1
    assert set(event.after) == {"created_at", "vendor", "tables", "rows", "media_files", "media_bytes"}
    assert "13812345678" not in json.dumps(event.after) and "张科技" not in json.dumps(event.after)


def test_it_prints_what_it_wrote(backed_up):
    directory, output = backed_up

    assert f"Backup written to {directory}" in output
    assert "files: 1 from MEDIA_ROOT" in output
    assert Path(directory, "manifest.json").exists()
