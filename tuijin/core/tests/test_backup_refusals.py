"""Backup and restore refuse what would lose or corrupt data, change nothing, and say why, naming the file.

Every restore refused here is refused before the database is touched, so it runs against the suite's own
database; the restore that goes through is in test_backup_roundtrip.py."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tuijin.core import backup
from tuijin.core.models import AuditEvent
from tuijin.tasks.models import Task

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media" / "evidence").mkdir(parents=True)
    (tmp_path / "media" / "evidence" / "a.pdf").write_bytes(b"%PDF-1.4 a")
    return tmp_path / "media"


@pytest.fixture
def made(task, media, tmp_path):
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    return tmp_path / "backup"


def restore(directory, *args):
    call_command("restore", str(directory), *args, stdout=io.StringIO())


def rewrite_manifest(directory, change):
    manifest = json.loads((directory / "manifest.json").read_text())
    change(manifest)
    (directory / "manifest.json").write_text(json.dumps(manifest))


def test_it_refuses_to_back_up_into_a_directory_that_is_not_empty(task, media, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "notes.txt").write_text("keep me")

    with pytest.raises(CommandError, match="not an empty directory"):
        call_command("backup", str(tmp_path / "old"), stdout=io.StringIO())

    assert [p.name for p in (tmp_path / "old").iterdir()] == ["notes.txt"]
    assert not AuditEvent.objects.filter(action="backup.create").exists()


def test_it_refuses_to_back_up_into_the_uploaded_files(task, media):
    with pytest.raises(CommandError, match="overlaps MEDIA_ROOT"):
        call_command("backup", str(media / "backups"), stdout=io.StringIO())


def test_it_refuses_a_damaged_file_naming_it(made):
    (made / "media" / "evidence" / "a.pdf").write_bytes(b"%PDF-1.4 b")

    with pytest.raises(CommandError, match=r"media/evidence/a\.pdf: does not match its sha256"):
        restore(made, "--force")


def test_it_refuses_a_missing_file_naming_it(made):
    (made / "media" / "evidence" / "a.pdf").unlink()

    with pytest.raises(CommandError, match=r"media/evidence/a\.pdf: listed in the manifest but missing"):
        restore(made, "--force")


def test_it_refuses_a_file_the_manifest_does_not_list(made):
    (made / "media" / "evidence" / "added.pdf").write_bytes(b"%PDF-1.4 added")

    with pytest.raises(CommandError, match=r"media/evidence/added\.pdf: not in the manifest"):
        restore(made, "--force")


def test_it_refuses_a_directory_without_a_manifest(made):
    (made / "manifest.json").unlink()

    with pytest.raises(CommandError, match="no manifest.json"):
        restore(made)


def test_it_refuses_a_backup_from_newer_code(made):
    rewrite_manifest(made, lambda m: m["migrations"].append(["tasks", "9999_from_the_future"]))

    with pytest.raises(CommandError, match=r"lacks the migrations tasks\.9999_from_the_future"):
        restore(made, "--force")


def test_it_lists_the_migrations_an_older_backup_lacks(made):
    manifest = json.loads((made / "manifest.json").read_text())
    latest_task_migration = max(name for app, name in manifest["migrations"] if app == "tasks")
    manifest["migrations"].remove(["tasks", latest_task_migration])

    assert backup.check_versions(manifest) == [f"tasks.{latest_task_migration}"]


def test_it_refuses_a_backup_of_another_kind_of_database(made):
    other = {"sqlite": "postgresql", "postgresql": "sqlite"}
    rewrite_manifest(made, lambda m: m["database"].update(vendor=other[m["database"]["vendor"]]))

    with pytest.raises(CommandError, match="Point DATABASE_URL at a database of the same kind"):
        restore(made, "--force")


def test_it_refuses_to_restore_over_a_database_with_users_or_tasks(made, task):
    Task.objects.filter(pk=task.pk).update(title="改过的标题")

    with pytest.raises(CommandError, match="already holds users or tasks; nothing was restored"):
        restore(made)

    assert Task.objects.get(pk=task.pk).title == "改过的标题"
    assert not backup.database_is_empty()
