"""`tuijin assess --scheme NAME --period 2026-06 [--publish]`: compute a round and print its ranking."""

from django.core.management.base import BaseCommand, CommandError

from tuijin.assessment import services
from tuijin.assessment.models import Result, Scheme
from tuijin.assessment.services.export import group_name


class Command(BaseCommand):
    help = "Compute an assessment round for a period (a new version each time) and print the ranking."

    def add_arguments(self, parser):
        parser.add_argument("--scheme", required=True, help="The scheme's name")
        parser.add_argument(
            "--period", required=True, help="2026-06, 2026-Q2 or 2026, as the scheme's period"
        )
        parser.add_argument("--publish", action="store_true", help="Review and publish the round at once")

    def handle(self, *args, scheme, period, publish=False, **options):
        try:
            found = Scheme.objects.get(name=scheme)
        except Scheme.DoesNotExist:
            names = ", ".join(Scheme.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"No scheme named {scheme!r} (schemes: {names})") from None
        try:
            round_ = services.compute_round(actor=None, scheme=found, period=period)
            if publish:
                services.review_round(actor=None, round=round_)
                round_ = services.publish_round(actor=None, round=round_)
        except services.AssessmentError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{found.name} {period} v{round_.version} · {round_.get_state_display()}"
            + (f" · {round_.document_number}" if round_.document_number else "")
            + f" · round {round_.code}"
        )
        group = None
        for result in Result.objects.filter(round=round_).order_by("group", "rank", "unit_name"):
            if result.group != group:
                group = result.group
                self.stdout.write(f"\n{group_name(group)}")
                self.stdout.write(f"  {'#':>3}  {'total':>7}  {'grade':<6} unit")
            veto = "  (veto)" if result.vetoed else ""
            self.stdout.write(
                f"  {result.rank:>3}  {result.total:>7}  {result.grade:<6} {result.unit_name}{veto}"
            )
