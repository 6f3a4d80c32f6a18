"""`tuijin import-tasks FILE --plan NAME --year YEAR [--create-units] [--dry-run]`: import a task list.

Prints what the import would do and every problem; saves nothing (and exits 1) if there is any error.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tuijin.tasks.importing import ImportRefused, commit_import, preview_import


class Command(BaseCommand):
    help = "Import a task list (.xlsx or .csv) into a plan; nothing is saved if the list has any error."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--plan", required=True, help="Name of the plan; created if it does not exist.")
        parser.add_argument("--year", required=True, type=int, help="Year the time limits refer to.")
        parser.add_argument(
            "--create-units", action="store_true", help="Create units the list names but are unknown."
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen; never save.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        preview = preview_import(
            source=path, filename=path.name, plan_name=options["plan"], year=options["year"],
            create_units=options["create_units"],
        )  # fmt: skip
        state = "existing" if preview.plan else "new"
        self.stdout.write(f"{path.name} → {preview.plan_name} ({preview.year}, {state} plan)")
        self.stdout.write(
            f"rows: {len(preview.rows)}  new: {preview.new_count}  updated: {preview.updated_count}  "
            f"unchanged: {preview.unchanged_count}  not in the list: {preview.untouched}"
        )
        if preview.units_to_create:
            self.stdout.write(f"units to create: {'、'.join(preview.units_to_create)}")
        for problem in preview.problems:
            tag = "error" if problem.is_error else "warning"
            self.stdout.write(f"{tag}: {problem.as_line()}")
        if preview.needs_mapping or preview.errors or not preview.rows:
            count = len(preview.errors)
            raise CommandError(f"nothing saved: {count} error{'s' if count != 1 else ''}")
        if options["dry_run"]:
            self.stdout.write("dry run: nothing saved")
            return
        try:
            result = commit_import(actor=None, preview=preview)
        except ImportRefused as exc:
            raise CommandError(f"nothing saved: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"saved: {result.created} new, {result.updated} updated, {result.unchanged} unchanged"
                + (f", {len(result.units_created)} units created" if result.units_created else "")
            )
        )
