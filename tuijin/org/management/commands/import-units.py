"""`tuijin import-units FILE [--dry-run]`: units from an .xlsx or .csv file, all or nothing."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from tuijin.org import importing


class Command(BaseCommand):
    help = (
        "Import units from an .xlsx or .csv file with the columns 单位名称, 简称, 类型, 上级单位, 别名. "
        "Every problem is printed with its row and column, and then nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; save nothing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        with translation.override(settings.LANGUAGE_CODE):
            try:
                sheet = importing.read_unit_sheet(path.name, data)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            plan = importing.plan_unit_import(sheet)
            if not plan.problems and not options["dry_run"]:
                try:
                    plan = importing.apply_unit_import(actor=None, sheet=sheet, filename=path.name)
                except importing.ImportRejected as exc:
                    plan = exc.plan
            for problem in plan.problems:
                self.stderr.write(str(problem))
            if plan.problems:
                raise CommandError(f"{len(plan.problems)} problem(s) in {path.name}; nothing was saved.")
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(
            f"{verb} {path.name}: {plan.created} new, {plan.updated} updated, {plan.unchanged} unchanged."
        )
