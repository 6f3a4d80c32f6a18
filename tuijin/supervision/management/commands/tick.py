"""`tuijin tick [--now ISO-DATETIME] [--every SECONDS]`: one idempotent pass of the periodic work — statuses and
warnings, deadline and report reminders, lapsed orders and order suggestions, then sending notices.

Run it from cron or a systemd timer every few minutes; `--every` loops in the foreground instead (`make run`).
`--now` moves the clock for demos and tests: `2026-12-29` (09:00 that day) or `2026-12-29T09:00`, read in the
site's time zone unless an offset is given."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection
from django.utils import timezone

from tuijin.supervision.tick import run_tick

DATE_ONLY_HOUR = 9  # a bare date means the start of that working day, when digests and reminders go out


def parse_now(value: str) -> datetime.datetime:
    text = value.strip()
    try:
        if len(text) == 10:
            moment = datetime.datetime.combine(
                datetime.date.fromisoformat(text), datetime.time(DATE_ONLY_HOUR)
            )
        else:
            moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--now: “{value}” is not a date (2026-12-29) or date and time (2026-12-29T09:00)"
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "Recompute statuses and warnings, send reminders, process orders and send pending notices — once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            metavar="ISO-DATETIME",
            help="Pretend it is this moment: 2026-12-29 (09:00) or 2026-12-29T09:00 (site time zone).",
        )
        parser.add_argument(
            "--every", type=int, metavar="SECONDS", help="Run again every SECONDS seconds until stopped."
        )

    def handle(self, *args, **options):
        start = parse_now(options["now"]) if options.get("now") else None
        every = options.get("every")
        if every is not None and every < 1:
            raise CommandError("--every needs a number of seconds of at least 1")
        if every is None:
            if not self.run_once(start):
                raise CommandError("some steps failed; see the log")
            return
        began = time.monotonic()
        try:
            while True:
                # With --now the moved clock runs on from there, so a demo shows time passing.
                now = start + datetime.timedelta(seconds=time.monotonic() - began) if start else None
                self.run_once(now)
                if (
                    not connection.in_atomic_block
                ):  # a long-running loop drops stale connections between passes
                    close_old_connections()
                time.sleep(every)
        except KeyboardInterrupt:
            self.stdout.write("tick: stopped")

    def run_once(self, now) -> bool:
        now = now or timezone.now()
        self.stdout.write(f"tick {timezone.localtime(now).isoformat(timespec='minutes')}")
        results = run_tick(now=now)
        for result in results:
            line = f"  {result.name}: {result.summary}"
            self.stdout.write(line if result.ok else self.style.ERROR(line))
        return all(result.ok for result in results)
