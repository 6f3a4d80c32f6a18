"""Enterprise service requests (企业诉求): categories with working-day clocks, requests routed to units, their
history, attachments, extensions and call-backs (回访).

Clocks (clocks.py) run in working days and working hours of the official calendar. A request has two clocks:
acknowledge (签收) by `ack_due`, reply by `due`. Both start at `clock_started_at`: when the request is raised, and
again when an unsatisfied rating reopens it. A transfer gives the new unit a fresh acknowledgement clock from
the moment of the transfer but keeps the reply clock — the enterprise has been waiting since it raised the
request. An approved extension moves `due` on by its working days.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.investment.models import Enterprise, Project
from tuijin.org.models import Role, Unit


class ClockUnit(models.TextChoices):
    HOURS = "hours", _("working hours")
    DAYS = "days", _("working days")


class Category(models.Model):
    """A kind of request (政策咨询, 要素保障…) with its clocks and the unit it goes to by default."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=50, unique=True)
    ack_limit = models.PositiveSmallIntegerField(_("acknowledge within"), default=4)
    ack_unit = models.CharField(_("unit of the acknowledgement limit"), max_length=5, choices=ClockUnit.choices,
                                default=ClockUnit.HOURS)  # fmt: skip
    close_days = models.PositiveSmallIntegerField(
        _("close within (working days)"), default=5, help_text=_("Usually 1, 5 or 10 working days.")
    )
    default_unit = models.ForeignKey(
        Unit,
        verbose_name=_("default unit"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    sort_order = models.IntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("request category")
        verbose_name_plural = _("request categories")

    def __str__(self) -> str:
        return self.name

    @property
    def ack_text(self) -> str:
        return f"{self.ack_limit} {self.get_ack_unit_display()}"


class Policy(models.Model):
    """The service desk's settings (one row): working hours for hour clocks and the call-back share."""

    day_start = models.TimeField(_("working day starts"), default=datetime.time(9, 0))
    day_end = models.TimeField(_("working day ends"), default=datetime.time(17, 0))
    callback_percent = models.PositiveSmallIntegerField(
        _("call back at least (share of closed requests, %)"), default=30
    )
    rating_days = models.PositiveSmallIntegerField(
        _("days the enterprise has to rate a reply"), default=5,
        help_text=_("Working days; a reply not rated by then is closed as it stands."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("service desk policy")
        verbose_name_plural = _("service desk policy")

    def __str__(self) -> str:
        return str(_("Service desk policy"))

    @classmethod
    def current(cls) -> Policy:
        return cls.objects.order_by("pk").first() or cls.objects.create()


class EnterpriseAccount(models.Model):
    """An applicant login that speaks for an enterprise in the portal (企业用户)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, related_name="enterprise_account",
                                on_delete=models.CASCADE)  # fmt: skip
    enterprise = models.ForeignKey(Enterprise, related_name="service_accounts", on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise account")
        verbose_name_plural = _("enterprise accounts")

    def __str__(self) -> str:
        return f"{self.user} · {self.enterprise}"


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting acknowledgement")
    IN_PROGRESS = "in_progress", _("In progress")
    REPLIED = "replied", _("Replied, awaiting rating")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")


OPEN_STATES = (State.SUBMITTED, State.IN_PROGRESS, State.REOPENED)
AWAITING_ACK = (State.SUBMITTED, State.REOPENED)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


SATISFIED_VALUES = (Satisfaction.SATISFIED, Satisfaction.BASIC)


class Channel(models.TextChoices):
    PORTAL = "portal", _("Enterprise portal")
    STAFF = "staff", _("Entered by staff")
    IMPORT = "import", _("Imported")
    API = "api", _("API")


class ServiceRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> ServiceRequestQuerySet:
        """Supervisors and leaders: all; unit users: routed to their units; enterprises: their own."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.SUPERVISOR, Role.LEADER):
            return self
        q = Q(pk__in=[])
        if user.has_role(Role.UNIT):
            q |= Q(unit_id__in=user.unit_ids(Role.UNIT))
        if user.has_role(Role.APPLICANT):
            account = (
                EnterpriseAccount.objects.filter(user=user).values_list("enterprise_id", flat=True).first()
            )
            if account is not None:
                q |= Q(enterprise_id=account)
        return self.filter(q)

    def overdue(self, now=None) -> ServiceRequestQuerySet:
        now = now or timezone.now()
        return self.filter(Q(state__in=OPEN_STATES, due__lt=now) | Q(state__in=AWAITING_ACK, ack_due__lt=now))

    def for_list(self) -> ServiceRequestQuerySet:
        return self.select_related("category", "enterprise", "unit")


class ServiceRequest(models.Model):
    """An enterprise's request (企业诉求), routed to a unit, acknowledged, answered and rated against clocks."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    category = models.ForeignKey(Category, verbose_name=_("category"), related_name="requests",
                                 on_delete=models.PROTECT)  # fmt: skip
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), related_name="service_requests",
                                   on_delete=models.PROTECT)  # fmt: skip
    project = models.ForeignKey(Project, verbose_name=_("related project"), null=True, blank=True,
                                related_name="service_requests", on_delete=models.SET_NULL)  # fmt: skip
    unit = models.ForeignKey(Unit, verbose_name=_("handling unit"), related_name="service_requests",
                             on_delete=models.PROTECT)  # fmt: skip
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.STAFF)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+",
                                  on_delete=models.SET_NULL)  # fmt: skip
    raised_at = models.DateTimeField(_("raised"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.SUBMITTED,
                             db_index=True)  # fmt: skip
    # the clocks
    clock_started_at = models.DateTimeField(_("clock started"))
    ack_from = models.DateTimeField(
        help_text="the acknowledgement clock starts here (raised, transferred, reopened)"
    )
    ack_due = models.DateTimeField(_("acknowledge by"))
    due = models.DateTimeField(_("reply by"))
    clock_provisional = models.BooleanField(
        default=False, help_text="computed Monday–Friday because the calendar of a year was missing"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    ack_late = models.BooleanField(_("acknowledged late"), default=False)
    reply_late = models.BooleanField(_("replied late"), default=False)
    reply = models.TextField(_("reply"), blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    rating_comment = models.TextField(_("comment on the rating"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    is_illustrative = models.BooleanField(default=False)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["state", "due"]),
            # the list, its export and the API list: newest first, a page at a time (without it every page sorted
            # all requests: 140 ms for the first page of 60,000 on PostgreSQL, 0.3 ms with it)
            models.Index(fields=["-raised_at", "-id"], name="servicedesk_request_recent_idx"),
        ]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def awaits_ack(self) -> bool:
        return self.state in AWAITING_ACK

    def ack_overdue(self, now=None) -> bool:
        return self.awaits_ack and (now or timezone.now()) > self.ack_due

    def reply_overdue(self, now=None) -> bool:
        return self.is_open and (now or timezone.now()) > self.due

    def is_overdue(self, now=None) -> bool:
        return self.ack_overdue(now) or self.reply_overdue(now)

    @property
    def on_time(self) -> bool:
        return not (self.ack_late or self.reply_late)


class Event(models.Model):
    """One dated step in a request's history: raised, acknowledged, transferred, extended, replied, rated…"""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Raised")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        TRANSFERRED = "transferred", _("Transferred")
        EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
        EXTENSION_APPROVED = "extension_approved", _("Extension approved")
        EXTENSION_REFUSED = "extension_refused", _("Extension refused")
        REPLIED = "replied", _("Replied")
        RATED = "rated", _("Rated")
        REOPENED = "reopened", _("Reopened")
        CLOSED = "closed", _("Closed")
        CALLBACK = "callback", _("Called back")
        ATTACHED = "attached", _("File attached")
        REMINDED = "reminded", _("Reminder sent")

    request = models.ForeignKey(ServiceRequest, related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+",
                              on_delete=models.SET_NULL)  # fmt: skip
    unit = models.ForeignKey(Unit, null=True, blank=True, related_name="+", on_delete=models.SET_NULL)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self) -> str:
        return f"{self.request.number} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"servicedesk/{instance.request.raised_at:%Y}/{instance.code}.{suffix}"


class Attachment(models.Model):
    """A file that comes with a request or its reply, checked by its content on upload."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(ServiceRequest, related_name="attachments", on_delete=models.CASCADE)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    kind = models.CharField(max_length=10)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+",
                                    on_delete=models.SET_NULL)  # fmt: skip
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Extension(models.Model):
    """A unit's request for more working days, filed before the reply clock runs out, decided by the office."""

    request = models.ForeignKey(ServiceRequest, related_name="extensions", on_delete=models.CASCADE)
    days = models.PositiveSmallIntegerField(_("extra working days"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+",
                                     on_delete=models.SET_NULL)  # fmt: skip
    requested_at = models.DateTimeField()
    approved = models.BooleanField(null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+",
                                   on_delete=models.SET_NULL)  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    new_due = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self) -> str:
        return f"{self.request.number} +{self.days}"


class Callback(models.Model):
    """A call-back (回访) to the enterprise after a request was closed: what it said about the service."""

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone")
        VISIT = "visit", _("Visit")
        ONLINE = "online", _("Online")

    request = models.ForeignKey(ServiceRequest, related_name="callbacks", on_delete=models.CASCADE)
    called_on = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.PHONE)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+",
                                    on_delete=models.SET_NULL)  # fmt: skip
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["called_on", "id"]
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")

    def __str__(self) -> str:
        return f"{self.request.number} {self.called_on}"
