"""`tuijin backup DIR`: the database and the uploaded files, with a manifest of checksums, into an empty DIR."""

from django.core.management.base import BaseCommand, CommandError

from tuijin.core import backup
from tuijin.core.audit import record


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online copy or pg_dump) and MEDIA_ROOT into DIR, which must be new or "
        "empty, with manifest.json (migrations, row counts, sha256 of every file). Keys are not included."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", help="A new or empty directory, e.g. /srv/backup/tuijin/20260312-0200"
        )

    def handle(self, *args, directory, **options):
        try:
            manifest = backup.create_backup(directory)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        summary = backup.backup_summary(manifest)
        record(
            actor=None, action="backup.create", object_type="backup", object_id=manifest["created_at"],
            object_repr=str(directory), after=summary,
        )  # fmt: skip
        db = manifest["database"]
        self.stdout.write(
            self.style.SUCCESS(f"Backup written to {directory}")
            + f"\n  database: {db['vendor']} {db['server_version']} → {db['file']}"
            f" ({summary['tables']} tables, {summary['rows']} rows)"
            f"\n  files: {summary['media_files']} from MEDIA_ROOT ({summary['media_bytes']} bytes)"
            f"\n  manifest.json: sha256 of {len(manifest['files'])} files"
        )
        if manifest["field_key_ids"]:
            self.stdout.write(
                f"  personal data sealed with field keys: {', '.join(manifest['field_key_ids'])}"
            )
        self.stdout.write(self.style.WARNING("Keys are NOT in the backup. " + backup.KEYS_NOTE))
