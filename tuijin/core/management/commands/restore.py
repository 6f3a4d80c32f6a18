"""`tuijin restore DIR [--force]`: check a backup's checksums and versions, then restore database and files."""

from django.core.management.base import BaseCommand, CommandError

from tuijin.core import backup
from tuijin.core.audit import record


class Command(BaseCommand):
    help = (
        "Restore a backup made by `tuijin backup`: verify every file's sha256 first, refuse a backup from newer "
        "code, refuse a database that already holds users or tasks unless --force, then restore the database, "
        "check its row counts against the manifest and restore the uploaded files. Stop the application first."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="A backup directory written by `tuijin backup`")
        parser.add_argument(
            "--force", action="store_true",
            help="Replace the contents of a database that already holds users or tasks",
        )  # fmt: skip

    def handle(self, *args, directory, force=False, **options):
        try:
            result = backup.restore_backup(directory, force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = result.manifest
        pending = result.pending_migrations
        if pending:
            names = ", ".join(pending[:5]) + ("…" if len(pending) > 5 else "")
            self.stdout.write(
                self.style.WARNING(
                    f"The backup predates {len(pending)} migrations of this code ({names}):"
                    " run `tuijin migrate` now. This restore could not be written to the audit log (its schema is "
                    "older than this code): note it in the operations log."
                )
            )
        elif result.audit_key_matches:
            record(
                actor=None, action="backup.restore", object_type="backup", object_id=manifest["created_at"],
                object_repr=str(directory), after=backup.backup_summary(manifest),
            )  # fmt: skip
        self.stdout.write(
            self.style.SUCCESS(f"Restored the backup of {manifest['created_at']}")
            + f" (Tuijin {manifest['app']['version']}, {manifest['database']['vendor']})"
            f"\n  database: {result.tables} tables, {result.rows} rows, counts match the manifest"
            f"\n  files: {result.media_files} restored into MEDIA_ROOT"
            + (f", {result.media_left} other files left in place" if result.media_left else "")
        )
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(warning))
