import datetime

from django.core.management.base import BaseCommand

from tuijin.tasks.services import refresh_all_statuses


class Command(BaseCommand):
    help = "Recompute every open task's status (run daily from cron or a systemd timer)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="Pretend today is this date (YYYY-MM-DD)."
        )

    def handle(self, *args, today=None, **options):
        changed = refresh_all_statuses(today=today)
        self.stdout.write(f"{changed} task statuses changed")
