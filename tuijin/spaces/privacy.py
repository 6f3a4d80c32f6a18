"""Personal data of applications (see tuijin/core/privacy.py): the applicant sees their own ID number and phone;
space managers, who check them against the documents, see them masked and may show them in full (each disclosure
is logged); everyone else masked. Exports always carry them masked."""

import datetime

from django.db.models import Q

from tuijin.core import privacy

from .access import scope_of
from .models import Application, Lease


def applicant_data_access(viewer, application: Application) -> privacy.Access:
    if getattr(viewer, "pk", None) and application.applicant_id == viewer.pk:
        return privacy.Access.FULL
    if scope_of(viewer).is_manager:
        return privacy.Access.REVEAL
    return privacy.Access.MASKED


privacy.register_field(
    Application, "id_number", kind="id_number", access=applicant_data_access,
    purpose="Reviewers check the applicant's identity and detect duplicate applications.",
)  # fmt: skip
privacy.register_field(
    Application, "phone", kind="phone", access=applicant_data_access,
    purpose="The operator calls the applicant about review, allocation and check-in.",
)  # fmt: skip


def applications_past_retention(now: datetime.datetime):
    """Applications closed longer ago than the retention period: not approved or withdrawn (by the time they were
    filed), or housed and moved out (by the day of moving out); those already cleared are left out."""
    cutoff = now - datetime.timedelta(days=privacy.retention_days())
    closed = Q(state__in=[Application.State.REJECTED, Application.State.WITHDRAWN], submitted_at__lt=cutoff)
    moved_out = Q(lease__state=Lease.State.ENDED, lease__checked_out_at__lt=cutoff)
    return Application.objects.filter(closed | moved_out).exclude(id_index="").order_by("pk")


privacy.register_retention(
    Application,
    fields={"id_number": "", "phone": "", "id_index": ""},
    due=applications_past_retention,
    description="ID numbers and phones of applications closed longer ago than the retention period",
)
