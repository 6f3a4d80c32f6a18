"""`tuijin export-tasks --plan NAME --output FILE`: write all tasks of a plan as .xlsx or .csv (by extension)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tuijin.tasks.exporting import write_export
from tuijin.tasks.models import Plan


class Command(BaseCommand):
    help = "Export all tasks of a plan as a list (.xlsx or .csv, chosen by the output file's extension)."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="Name of the plan.")
        parser.add_argument("--output", required=True, type=Path, help="File to write: *.xlsx or *.csv")

    def handle(self, *args, **options):
        output = Path(options["output"])
        fmt = output.suffix.lower().lstrip(".")
        if fmt not in ("xlsx", "csv"):
            raise CommandError("--output must end in .xlsx or .csv")
        plan = Plan.objects.filter(name=options["plan"]).first()
        if plan is None:
            raise CommandError(f"no plan named “{options['plan']}”")
        write_export(output, plan=plan, fmt=fmt)
        self.stdout.write(f"wrote {plan.tasks.count()} tasks to {output}")
