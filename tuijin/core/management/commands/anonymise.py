"""`tuijin anonymise`: replace the personal data of records past their retention period (PIPL 第十九条, 第四十七条)."""

from django.core.management.base import BaseCommand

from tuijin.core import privacy


class Command(BaseCommand):
    help = (
        "Anonymise personal data past its retention period: each capability declares in its privacy.py which "
        "records are due (e.g. accounts deactivated more than PERSONAL_DATA_RETENTION_DAYS days ago) and which "
        "fields are replaced. Rows are kept, so the audit log and other records still refer to them; the audit "
        "log itself is never changed. One audit row is written per anonymised record. Run it daily (cron or a "
        "systemd timer), after a --dry-run the first time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what is due and change nothing.")

    def handle(self, *args, dry_run=False, **options):
        self.stdout.write(f"Retention of personal data: {privacy.retention_days()} days.")
        total = 0
        for result in privacy.anonymise(dry_run=dry_run):
            rule, found = result.rule, result.records
            total += len(found)
            verb = "due" if dry_run else "anonymised"
            self.stdout.write(f"{rule.label}: {len(found)} {verb}"
                              + (f" ({rule.description})" if rule.description else ""))  # fmt: skip
            if dry_run:
                for obj in found:
                    self.stdout.write(f"  {obj._meta.label_lower} pk {obj.pk}")
        if dry_run:
            self.stdout.write(f"Dry run: {total} record(s) would be anonymised; nothing changed.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Anonymised {total} record(s)."))
