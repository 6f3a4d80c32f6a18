"""`tuijin generate --scale city|province [--seed N]`: synthetic data for benchmarks, into an empty database."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tuijin.core.generate import SCALES, NotEmpty, generate
from tuijin.lib.crypto import CryptoError


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today: {value!r} is not a date like 2026-11-26") from None


class Command(BaseCommand):
    help = (
        "Fill an EMPTY database with deterministic synthetic data: a city (108 units, 20,000 tasks, 500,000 "
        "reports, 200,000 evidence records, warnings, orders…, 5,000 investment projects of 3,000 enterprises, 60 "
        "buildings with 3,000 talent apartments and furnished offices, their applications, leases and rents, and "
        "20,000 enterprise service requests with their history) or a province (ten cities). The same seed on the "
        "same day gives the same rows. Needs the field keys (FIELD_KEYS, FIELD_INDEX_KEY): applicants' ID numbers "
        "and phones are sealed. Refuses a database that holds units, users, plans or tasks. Writes no audit events "
        "(the data is synthetic)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), required=True)
        parser.add_argument("--seed", type=int, default=2021, help="random seed (default 2021)")
        parser.add_argument(
            "--today", type=_day, default=None,
            help="the day the data is as of (YYYY-MM-DD; default today): states, statuses and warnings are "
            "those of that day",
        )  # fmt: skip
        parser.add_argument(
            "--password", default=None,
            help="one password for every generated account (default: none can sign in with a password)",
        )  # fmt: skip

    def handle(self, *args, scale, seed, today, password, **options):
        self.stdout.write(f"Generating a {scale} (seed {seed}) into {connection.vendor} "
                          f"{connection.settings_dict['NAME']} …")  # fmt: skip
        try:
            result = generate(scale=scale, seed=seed, today=today, password=password, out=self.stdout.write)
        except (NotEmpty, CryptoError) as exc:  # CryptoError: no field key to seal applicants' personal data
            raise CommandError(str(exc)) from None
        width = max(len(name) for name in result.counts)
        for name, count in result.counts.items():
            self.stdout.write(f"  {name:<{width}}  {count:>12,}")
        rows = sum(result.counts.values())
        self.stdout.write(
            self.style.SUCCESS(f"{rows:,} rows in {result.seconds:.1f} s.")
            + " No audit events were written: the data is synthetic."
        )
