"""`tuijin import-projects FILE [--enterprises] [--user LOGIN] [--dry-run]`: import projects (or enterprises).

Prints what the import would do and every problem with its row and column; saves nothing (and exits 1) if there is
any error. Saving needs `--user`, the investment officer the import is recorded for (it is checked against the
sectors that officer may file projects in); a dry run without it checks everything but the officer's sectors.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tuijin.investment import access
from tuijin.investment.importing import ImportRefused, commit_import, preview_import
from tuijin.org.models import User


class Command(BaseCommand):
    help = "Import investment projects (or, with --enterprises, enterprises) from a spreadsheet; nothing is saved if it has any error."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--enterprises", action="store_true", help="The sheet lists enterprises, not projects."
        )
        parser.add_argument(
            "--user", help="Login of the investment officer the import is made by (required to save)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen; never save.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user “{options['user']}”")
            if not access.is_officer(actor):
                raise CommandError(f"{actor.username} is not an investment officer")
        elif not options["dry_run"]:
            raise CommandError("--user is required to save (or use --dry-run)")
        kind = "enterprises" if options["enterprises"] else "projects"
        preview = preview_import(kind=kind, source=path, filename=path.name, actor=actor)
        self.stdout.write(f"{path.name} → {kind}")
        self.stdout.write(
            f"rows: {len(preview.rows)}  new enterprises: {len(preview.new_enterprises)}  "
            f"errors: {len(preview.errors)}  warnings: {len(preview.warnings)}"
        )
        for problem in preview.problems:
            tag = "error" if problem.is_error else "warning"
            self.stdout.write(f"{tag}: {problem.as_line()}")
        if preview.errors or not preview.rows:
            count = len(preview.errors)
            raise CommandError(f"nothing saved: {count} error{'s' if count != 1 else ''}")
        if options["dry_run"]:
            self.stdout.write("dry run: nothing saved")
            return
        try:
            result = commit_import(actor=actor, preview=preview)
        except ImportRefused as exc:
            raise CommandError(f"nothing saved: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(f"saved: {result.projects} projects, {result.enterprises} new enterprises")
        )
