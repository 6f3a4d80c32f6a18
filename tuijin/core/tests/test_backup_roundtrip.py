"""`tuijin backup` then `tuijin restore` into a new, empty database gives identical data and files.

Runs on whichever database the suite runs on: on SQLite the restore goes into a new database file, on
PostgreSQL into a database created for the test in the same cluster. The restore and the read-back of the
restored database run as separate `tuijin` processes pointed at the new database (DATABASE_URL, MEDIA_ROOT),
exactly as an operator would run them, so the suite's own connection is never touched."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from PIL import Image

from tuijin.core.models import AuditEvent, AuditHead
from tuijin.org.models import Liaison, User
from tuijin.tasks import services
from tuijin.tasks.evidence import check_upload
from tuijin.tasks.models import Evidence

pytestmark = pytest.mark.django_db(transaction=True)

READ_BACK = """
import json, django
django.setup()
from tuijin.core.tests.test_backup_roundtrip import table_rows
from tuijin.core.models import AuditEvent, AuditHead
from tuijin.org.models import User
event = AuditEvent.objects.get(action="backup.restore")
print(json.dumps({
    "rows": table_rows(),
    "phones": sorted(u.phone for u in User.objects.all()),
    "restore_event": [event.seq, event.prev_hash, event.hash],
    "head": [AuditHead.objects.get().seq, AuditHead.objects.get().hash],
}))
"""


def _plain(value):
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return str(value)


def table_rows() -> dict[str, list[str]]:
    """Every row of every table of the configured database, each as JSON text, sorted."""
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(
                json.dumps(list(row), default=_plain, ensure_ascii=False) for row in cursor.fetchall()
            )
    return rows


def media_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@contextlib.contextmanager
def new_empty_database(tmp_path: Path):
    """The URL of a database that does not exist yet (SQLite) or has no tables (PostgreSQL)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    name = f"tuijin_restore_{uuid.uuid4().hex[:12]}"
    s = connection.settings_dict
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    try:
        yield f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def tuijin(*args: str, database_url: str, media_root: Path, code: str | None = None):
    """Run `tuijin ARGS` (or python -c CODE) against another database, with this suite's keys."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tuijin.settings",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
    }
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "tuijin", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def photo(name: str, colour) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def world(task, sup, alice, bob, unit_a, auditor, settings, tmp_path):
    """Users with sealed phones, a plan with tasks, a report with an evidence photo, and their audit rows."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    for user, phone in ((alice, "13812345678"), (bob, "13987654321")):
        user.phone = phone
        user.save(update_fields=["phone"])
    Liaison.objects.create(unit=unit_a, name="钱联络", phone="13700001111", office_phone="0371-66660000")
    services.create_task(
        actor=sup,
        plan=task.plan,
        number="2",
        title="引进研发机构5家",
        lead_units=[unit_a],
        limit_text="6月底前",
    )
    services.acknowledge(actor=alice, task=task)
    services.submit_report(
        actor=alice,
        task=task,
        text="孵化基地主体完工",
        progress=60,
        files=[check_upload(photo("工地.png", "red"))],
    )
    return task


def test_it_restores_identical_data_and_files_into_an_empty_database(world, settings, tmp_path):
    backup_dir = tmp_path / "backup"
    restored_media = tmp_path / "restored-media"
    assert Evidence.objects.count() == 1 and AuditEvent.objects.count() >= 4
    before = table_rows()
    head = AuditHead.objects.get()
    phones = sorted(u.phone for u in User.objects.all())
    original_files = media_files(Path(settings.MEDIA_ROOT))

    call_command("backup", str(backup_dir), stdout=io.StringIO())

    assert AuditEvent.objects.filter(action="backup.create").count() == 1
    with new_empty_database(tmp_path) as url:
        done = tuijin("restore", str(backup_dir), database_url=url, media_root=restored_media)
        assert done.returncode == 0, done.stderr
        assert "counts match the manifest" in done.stdout
        read = tuijin(database_url=url, media_root=restored_media, code=READ_BACK)
        assert read.returncode == 0, read.stderr
        restored = json.loads(read.stdout)
        verified = tuijin("audit-verify", database_url=url, media_root=restored_media)
        assert verified.returncode == 0, verified.stdout + verified.stderr

    after = restored["rows"]
    # The restore records itself in the restored audit log, as the next link of the restored chain; apart from
    # that row and the chain's head moving on to it, every row of every table is the same.
    seq, prev_hash, event_hash = restored["restore_event"]
    assert (seq, prev_hash) == (head.seq + 1, head.hash)
    assert restored["head"] == [seq, event_hash]
    restore_rows = [row for row in after["core_auditevent"] if '"backup.restore"' in row]
    assert len(restore_rows) == 1
    after["core_auditevent"].remove(restore_rows[0])
    del after["core_audithead"], before["core_audithead"]
    assert sorted(after) == sorted(before)
    for table in before:
        assert after[table] == before[table], f"{table} differs after the restore"
    assert restored["phones"] == phones and "13812345678" in phones
    assert "13812345678" not in json.dumps(before["org_user"])  # sealed at rest, and so in the backup
    assert media_files(restored_media) == original_files
    assert any(name.startswith("evidence/") for name in original_files)


def test_it_refuses_a_restore_whose_row_counts_differ_from_the_manifest(world, tmp_path):
    backup_dir = tmp_path / "backup"
    call_command("backup", str(backup_dir), stdout=io.StringIO())
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    manifest["row_counts"]["tasks_task"] += 1
    (backup_dir / "manifest.json").write_text(json.dumps(manifest))

    with new_empty_database(tmp_path) as url:
        done = tuijin("restore", str(backup_dir), database_url=url, media_root=tmp_path / "restored-media")

    assert done.returncode != 0
    assert "tasks_task: 2 rows, the backup had 3" in done.stderr
    assert not (tmp_path / "restored-media").exists()  # files are restored only after the database checks out
