"""`tuijin recheck-evidence [--plan NAME]`: hash the photos that have no perceptual hash yet and run the evidence
checks again over every report (oldest first). Running it twice changes nothing the second time."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tuijin.core.audit import record
from tuijin.supervision.evidence_checks import check_report, hash_missing_photos
from tuijin.tasks.models import Evidence, Plan, Report

BATCH = 200


class Command(BaseCommand):
    help = "Compute missing photo hashes and re-run the evidence checks over existing reports."

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="Name of the plan; all plans when left out.")

    def handle(self, *args, **options):
        photos, reports = Evidence.objects.all(), Report.objects.all()
        plan = None
        if options.get("plan"):
            plan = Plan.objects.filter(name=options["plan"]).first()
            if plan is None:
                raise CommandError(f"no plan named “{options['plan']}”")
            photos, reports = photos.filter(task__plan=plan), reports.filter(task__plan=plan)
        # Every photo gets its hash first, so that a report is compared with all photos filed before it.
        with transaction.atomic():
            hashed = hash_missing_photos(photos)
        ids = list(reports.order_by("id").values_list("id", flat=True))
        changed = 0
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():
                batch = Report.objects.filter(id__in=ids[start : start + BATCH]).select_related("task")
                for report in batch.order_by("id"):
                    changed += check_report(report)
        flagged = reports.exclude(flags=[]).count()
        flagged_photos = photos.filter(report__in=reports).exclude(flags=[]).count()
        if hashed or changed:
            record(
                actor=None,
                action="evidence.recheck",
                object_type="plan" if plan else "evidence",
                object_id=str(plan.pk) if plan else "",
                object_repr=plan.name if plan else "all plans",
                after={"hashed": hashed, "reports": len(ids), "changed": changed},
            )
        self.stdout.write(
            f"photos hashed: {hashed}  reports checked: {len(ids)}  records changed: {changed}  "
            f"flagged reports: {flagged}  flagged photos: {flagged_photos}"
        )
