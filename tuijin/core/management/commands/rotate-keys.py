"""`tuijin rotate-keys`: re-seal every personal-data value under the current field key (or, with --check, count
what is still under older keys)."""

from django.core.management.base import BaseCommand, CommandError

from tuijin.core import keys
from tuijin.core.audit import record
from tuijin.lib import crypto

PROCEDURE = """\
Re-seal every EncryptedCharField value, in every installed app, under the current (first) key of FIELD_KEYS.

Rotating a field key:
  1. Generate a key:                  python -m tuijin.lib.crypto_keys k2
  2. Put it FIRST in FIELD_KEYS (or the FIELD_KEYS_FILE), keep the old one after it:
                                      FIELD_KEYS=k2:<new>,k1:<old>
     and restart every application process, so new writes are sealed under k2.
  3. Re-seal what is stored:          tuijin rotate-keys
  4. Confirm nothing is left:         tuijin rotate-keys --check     (exit status 0)
  5. Remove k1 from FIELD_KEYS, restart, and destroy k1 with its escrow copy only after the backups
     that still need it (those taken before step 3) have expired.
FIELD_INDEX_KEY (blind indexes) is not rotated: changing it invalidates every stored index.
The command is idempotent; run it again after an interruption.
"""


class Command(BaseCommand):
    help = PROCEDURE

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; report how many values are under old keys or still plaintext, and exit with "
            "status 1 if any are (an old key may be removed only when this exits 0).",
        )
        parser.add_argument("--batch-size", type=int, default=500, help="Rows re-sealed per transaction.")

    def handle(self, *args, check=False, batch_size=500, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            ring = crypto.keyring()
        except crypto.CryptoError as exc:
            raise CommandError(str(exc)) from None
        columns = keys.sealed_columns()
        self.stdout.write(
            f"Current key: {ring.current_id}; keys in the keyring: {', '.join(ring.keys)}; "
            f"{len(columns)} sealed column(s)."
        )
        reports = []
        for model, field in columns:
            report = (keys.inspect if check else keys.rotate)(model, field, batch_size=batch_size)
            reports.append(report)
            self._print(report, check)
        outstanding = sum(r.outstanding for r in reports)
        unreadable = sum(len(r.unreadable) for r in reports)
        if not check:
            record(
                actor=None,
                action="personal_data.rotate_keys",
                object_type="core.fieldkey",
                object_id=ring.current_id,
                object_repr=f"FIELD_KEYS {ring.current_id}",
                after={
                    "current_key": ring.current_id,
                    "resealed": {r.label: r.resealed for r in reports if r.resealed},
                    "unreadable": {r.label: len(r.unreadable) for r in reports if r.unreadable},
                },
            )
        if check:
            if outstanding:
                raise CommandError(
                    f"{outstanding} value(s) are not under the current key {ring.current_id}; run "
                    "`tuijin rotate-keys` before removing an old key.",
                    returncode=1,
                )
            self.stdout.write(self.style.SUCCESS(
                f"Every value is sealed under {ring.current_id}; keys other than {ring.current_id} may be removed."
            ))  # fmt: skip
        elif unreadable:
            raise CommandError(
                f"{unreadable} value(s) could not be read (listed above): restore the missing key to FIELD_KEYS, "
                "or restore the altered rows from a backup, then run again.",
                returncode=1,
            )
        else:
            total = sum(r.resealed for r in reports)
            self.stdout.write(self.style.SUCCESS(f"Re-sealed {total} value(s) under {ring.current_id}."))

    def _print(self, report: keys.ColumnReport, check: bool) -> None:
        if check:
            old = ", ".join(f"{kid}: {n}" for kid, n in sorted(report.old.items())) or "0"
            line = (f"{report.label}: {report.current} under the current key; old keys {old}; "
                    f"plaintext {report.plaintext}; unreadable {len(report.unreadable)}")  # fmt: skip
        else:
            line = (f"{report.label}: re-sealed {report.resealed}, already current {report.current - report.resealed}, "
                    f"changed meanwhile {report.changed_meanwhile}, unreadable {len(report.unreadable)}")  # fmt: skip
        self.stdout.write(line)
        for problem in report.unreadable:
            self.stderr.write(f"  {report.label} pk {problem}")
