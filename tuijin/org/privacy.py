"""Personal data of the organisation app: account phones, liaison officers' phones, and the retention of accounts.

- An account's mobile phone: the person sees their own in full; everyone else (the system administrator who
  manages the account included) sees it masked.
- A liaison officer's phones: the supervision office sees them masked and may show them in full (it must call
  the liaison officers; each disclosure is logged); the liaison officer sees their own; everyone else masked.
- An account deactivated more than PERSONAL_DATA_RETENTION_DAYS days ago is anonymised by `tuijin anonymise`.
"""

import datetime

from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.functions import Cast

from tuijin.core import privacy
from tuijin.core.models import AuditEvent

from .models import Liaison, User

ANONYMOUS_USERNAME = "deleted-"


def account_phone_access(viewer, user: User) -> privacy.Access:
    return privacy.Access.FULL if viewer.pk == user.pk else privacy.Access.MASKED


def liaison_phone_access(viewer, liaison: Liaison) -> privacy.Access:
    if liaison.user_id is not None and liaison.user_id == viewer.pk:
        return privacy.Access.FULL
    if viewer.is_supervisor:
        return privacy.Access.REVEAL
    return privacy.Access.MASKED


def _liaison_by_unit(code: str) -> Liaison:
    return Liaison.objects.select_related("unit").get(unit__code=code)


privacy.register_field(
    User,
    "phone",
    kind="phone",
    access=account_phone_access,
    purpose="Reaching the account holder about their tasks (text messages when they are switched on).",
)
for _name in ("phone", "office_phone"):
    privacy.register_field(
        Liaison,
        _name,
        kind="phone",
        access=liaison_phone_access,
        purpose="The supervision office calls the unit's liaison officer about tasks, meetings and orders.",
        lookup=_liaison_by_unit,
        code_of=lambda liaison: str(liaison.unit.code),
    )


def anonymous_name(user: User) -> str:
    return f"已注销用户#{user.code.hex[:8]}"


def accounts_past_retention(now: datetime.datetime):
    """Deactivated accounts whose deactivation (the last audit row about it, or else their last sign-in and
    creation when the log no longer has it) is older than the retention period; not those already done."""
    cutoff = now - datetime.timedelta(days=privacy.retention_days())
    last_change = (
        AuditEvent.objects.filter(
            object_type=User._meta.label_lower,
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
            action__in=["user.deactivate", "user.activate"],
        )
        .order_by("-at")
        .values("at")[:1]
    )
    quiet_since_cutoff = Q(date_joined__lt=cutoff) & (Q(last_login__isnull=True) | Q(last_login__lt=cutoff))
    return (
        User.objects.filter(is_active=False)
        .exclude(username__startswith=ANONYMOUS_USERNAME)
        .annotate(deactivated_at=Subquery(last_change))
        .filter(Q(deactivated_at__lt=cutoff) | (Q(deactivated_at__isnull=True) & quiet_since_cutoff))
        .order_by("pk")
    )


privacy.register_retention(
    User,
    fields={
        "username": lambda user: f"{ANONYMOUS_USERNAME}{user.code.hex}",
        "display_name": anonymous_name,
        "first_name": "",
        "last_name": "",
        "email": "",
        "phone": "",
    },
    due=accounts_past_retention,
    description="accounts deactivated longer than the retention period",
)
