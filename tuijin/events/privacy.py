"""Personal data of event programmes: the contact phone of each activity (see tuijin/core/privacy.py).

- The organising office (supervisor) sees it masked and may show it in full — it calls the contacts on the
  day; each disclosure is logged — and its run-sheet exports carry it in full (one audit row per export).
- Everyone else (unit staff who get the run sheet, leaders) sees it masked, on screen and in exports.
- Once an activity is older than PERSONAL_DATA_RETENTION_DAYS, `tuijin anonymise` clears the contact.
"""

import datetime

from django.utils import timezone

from tuijin.core import privacy

from .models import Activity


def contact_access(viewer, activity: Activity) -> privacy.Access:
    return privacy.Access.REVEAL if viewer.is_supervisor else privacy.Access.MASKED


privacy.register_field(
    Activity,
    "contact_phone",
    kind="phone",
    access=contact_access,
    purpose="The organisers call the activity's contact person while preparing it and on the day.",
)


def activities_past_retention(now: datetime.datetime):
    cutoff = timezone.localdate(now) - datetime.timedelta(days=privacy.retention_days())
    return Activity.objects.filter(date__lt=cutoff).exclude(contact_phone="", contact_name="").order_by("pk")


privacy.register_retention(
    Activity,
    fields={"contact_phone": "", "contact_name": ""},
    due=activities_past_retention,
    description="contacts of activities that took place longer ago than the retention period",
)
