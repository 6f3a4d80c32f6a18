"""`tuijin audit-verify`: check that no audit row was changed or deleted (exit 0), or name the first bad row
(exit 1). With --archive FILE, check an archive file written by `tuijin audit-archive` instead."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tuijin.core import audit_triggers
from tuijin.core.audit_verify import store, verify, verify_archive


class Command(BaseCommand):
    help = "Verify the audit log's hash chain (or an archive file); exit 1 naming the first bad row."

    def add_arguments(self, parser):
        parser.add_argument("--archive", metavar="FILE", help="Verify this archive file (.jsonl.gz) instead")
        parser.add_argument(
            "--restore-triggers",
            action="store_true",
            help="Create the database triggers that refuse changes to audit rows again, then verify",
        )

    def handle(self, *args, archive=None, restore_triggers=False, **options):
        if restore_triggers:
            audit_triggers.restore()
            self.stdout.write("Triggers restored.")
        if archive:
            path = Path(archive)
            if not path.is_file():
                raise CommandError(f"{path} does not exist")
            result = verify_archive(path)
        else:
            result = verify()
        store(result)
        if result.ok:
            self.stdout.write(self.style.SUCCESS(result.summary()))
            return
        for problem in result.problems:
            self.stdout.write(str(problem))
        raise CommandError(result.summary())
