"""`tuijin audit-archive --before 2026-01-01 --out audit-2025.jsonl.gz`: move audit rows older than a date
(at least AUDIT_RETENTION_DAYS, minimum 184, ago) into a file and leave a checkpoint; keep the file safe."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from tuijin.core.audit_archive import ArchiveRefused, archive, latest_allowed_before


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--before must be a date like 2026-01-01, not {text!r}") from None


class Command(BaseCommand):
    help = "Archive audit rows older than a date into a .jsonl.gz file (with their hashes) and remove them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--before", required=True, help="Archive rows written before this date (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--out", required=True, metavar="FILE", help="The archive file to write (.jsonl.gz)"
        )

    def handle(self, *args, before, out, **options):
        try:
            result = archive(before=_date(before), out=out)
        except ArchiveRefused as exc:
            raise CommandError(
                f"Nothing archived: {exc} (latest allowed --before: {latest_allowed_before()})."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Archived {result.rows} rows, seq {result.first_seq}–{result.last_seq}, to {result.path}"
            )
            + f"\n  SHA-256 {result.sha256}\n  Keep this file (and its SHA-256) off the database server; "
            f"check it with `tuijin audit-verify --archive {result.path}`."
        )
