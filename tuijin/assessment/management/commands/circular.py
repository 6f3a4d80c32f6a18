"""`tuijin circular --round ID --output FILE.docx`: write a round's circular (.docx) or its scores (.xlsx)."""

import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tuijin.assessment.models import Round


def find_round(ident: str) -> Round:
    """A round by its code (UUID, as `assess` prints it) or its database id."""
    try:
        lookup = {"pk": int(ident)} if ident.isdigit() else {"code": uuid.UUID(ident)}
        return Round.objects.get(**lookup)
    except (ValueError, Round.DoesNotExist):
        raise CommandError(f"No round {ident!r}") from None


class Command(BaseCommand):
    help = "Write the circular (通报) of a round as .docx, or its scores as .xlsx, by the output's extension."

    def add_arguments(self, parser):
        parser.add_argument("--round", required=True, dest="round_id", help="The round's code or id")
        parser.add_argument("--output", required=True, help="FILE.docx or FILE.xlsx")

    def handle(self, *args, round_id, output, **options):
        round_ = find_round(round_id)
        target = Path(output)
        if target.suffix.lower() == ".docx":
            from tuijin.assessment.services.circular import circular_docx_bytes

            content = circular_docx_bytes(round_)
        elif target.suffix.lower() == ".xlsx":
            from tuijin.assessment.services.export import scores_xlsx_bytes

            content = scores_xlsx_bytes(round_)
        else:
            raise CommandError("The output must end in .docx or .xlsx")
        target.write_bytes(content)
        self.stdout.write(f"{target} ({len(content):,} bytes)")
