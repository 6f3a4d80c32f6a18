"""双报到 (dual registration): communities, units' and members' registrations, needs, claims and service records;
the quarterly feedback to employers; and the publication settings of 办实事 lists kept on the task engine."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tuijin.core.fields import EncryptedCharField
from tuijin.lib.masking import mask_phone
from tuijin.org.models import Unit
from tuijin.tasks.models import Plan, Task


def mask_address(address: str) -> str:
    """文化路街道****: the first part of an address (district, street) stays, the house number is hidden."""
    address = (address or "").strip()
    if not address:
        return ""
    keep = min(6, len(address) // 2)
    return address[:keep] + "****"


class Community(models.Model):
    """A residential community (社区) where units and members register; its staff sign in through its unit."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("community"), max_length=100)
    street = models.CharField(_("street (subdistrict)"), max_length=100)
    district = models.CharField(_("district"), max_length=50)
    # The community's own account: its staff are unit users of this unit (kind "other").
    unit = models.OneToOneField(
        Unit, verbose_name=_("account unit"), related_name="community", on_delete=models.PROTECT
    )
    address = models.CharField(_("office address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = EncryptedCharField(_("contact phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["district", "street", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "street", "name"], name="party_community_unique")
        ]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return f"{self.district}{self.street}{self.name}"

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)


class Post(models.Model):
    """A volunteer post (志愿岗位) that members can prefer and needs can belong to; the list is configurable."""

    name = models.CharField(_("volunteer post"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("volunteer post")
        verbose_name_plural = _("volunteer posts")

    def __str__(self) -> str:
        return self.name


class RegistrationState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("registration state", "Awaiting the community")
    ACCEPTED = "accepted", pgettext_lazy("registration state", "Accepted")
    RETURNED = "returned", pgettext_lazy("registration state", "Returned")
    WITHDRAWN = "withdrawn", pgettext_lazy("registration state", "Withdrawn")


ACTIVE_STATES = [RegistrationState.SUBMITTED, RegistrationState.ACCEPTED]


class Registration(models.Model):
    """A unit's 报到单: its party organisation registers with a community and commits to joint projects."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), related_name="party_registrations", on_delete=models.PROTECT
    )
    community = models.ForeignKey(
        Community, verbose_name=_("community"), related_name="registrations", on_delete=models.PROTECT
    )
    registered_on = models.DateField(_("registration date"))
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = EncryptedCharField(_("contact phone"), max_length=20)
    commitments = models.TextField(_("commitments and joint projects"), max_length=2000)
    state = models.CharField(
        _("state"), max_length=10, choices=RegistrationState.choices, default=RegistrationState.SUBMITTED
    )
    return_reason = models.CharField(_("reason for returning"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-registered_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "community"],
                condition=Q(state__in=ACTIVE_STATES),
                name="party_registration_once",
            )
        ]
        verbose_name = _("unit registration")
        verbose_name_plural = _("unit registrations")

    def __str__(self) -> str:
        return f"{self.unit} → {self.community}"

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)


class Availability(models.TextChoices):
    WEEKENDS = "weekends", _("Weekends")
    EVENINGS = "evenings", _("Weekday evenings")
    HOLIDAYS = "holidays", _("Public holidays")
    FLEXIBLE = "flexible", _("Flexible")


class MemberRegistration(models.Model):
    """A serving party member's registration with the community where they live (在职党员到社区报到)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), related_name="party_registrations",
        on_delete=models.PROTECT,
    )  # fmt: skip
    unit = models.ForeignKey(
        Unit, verbose_name=_("employer"), related_name="party_member_registrations", on_delete=models.PROTECT
    )
    community = models.ForeignKey(
        Community, verbose_name=_("community"), related_name="member_registrations", on_delete=models.PROTECT
    )
    address = EncryptedCharField(_("home address"), max_length=200)
    phone = EncryptedCharField(_("mobile phone"), max_length=20, blank=True)
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    posts = models.ManyToManyField(Post, verbose_name=_("preferred volunteer posts"), blank=True)
    availability = models.CharField(
        _("availability"), max_length=10, choices=Availability.choices, default=Availability.WEEKENDS
    )
    registered_on = models.DateField(_("registration date"))
    state = models.CharField(
        _("state"), max_length=10, choices=RegistrationState.choices, default=RegistrationState.SUBMITTED
    )
    return_reason = models.CharField(_("reason for returning"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-registered_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(state__in=ACTIVE_STATES), name="party_member_registration_once"
            )
        ]
        verbose_name = _("member registration")
        verbose_name_plural = _("member registrations")

    def __str__(self) -> str:
        return f"{self.member} → {self.community}"

    @property
    def masked_address(self) -> str:
        return mask_address(self.address)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class RegistrationEvent(models.Model):
    """One step in the history of a unit's or a member's registration: who did what, when, and why."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RESUBMITTED = "resubmitted", _("Submitted again")
        ACCEPTED = "accepted", _("Accepted by the community")
        RETURNED = "returned", _("Returned by the community")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    registration = models.ForeignKey(
        Registration, null=True, blank=True, related_name="events", on_delete=models.CASCADE
    )
    member_registration = models.ForeignKey(
        MemberRegistration, null=True, blank=True, related_name="events", on_delete=models.CASCADE
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("registration event")
        verbose_name_plural = _("registration events")

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"


class Need(models.Model):
    """A need a community publishes — a small wish (微心愿) or a service need — for registered members to claim."""

    class Kind(models.TextChoices):
        WISH = "wish", _("Small wish")
        SERVICE = "service", _("Service need")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("need state", "Open")
        DONE = "done", pgettext_lazy("need state", "Done")
        CANCELLED = "cancelled", pgettext_lazy("need state", "Cancelled")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey(
        Community, verbose_name=_("community"), related_name="needs", on_delete=models.PROTECT
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SERVICE)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    post = models.ForeignKey(
        Post, verbose_name=_("volunteer post"), null=True, blank=True, on_delete=models.SET_NULL
    )
    needed_on = models.DateField(_("date"))
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    claimed = models.PositiveSmallIntegerField(_("places taken"), default=0)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    done_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["needed_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="party_need_places_positive"),
            # The last line of defence for capacity: a claim never takes a place that is not there.
            models.CheckConstraint(condition=Q(claimed__lte=F("places")), name="party_need_within_places"),
        ]
        indexes = [models.Index(fields=["community", "state", "needed_on"])]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return self.title

    @property
    def places_left(self) -> int:
        return max(self.places - self.claimed, 0)

    @property
    def is_full(self) -> bool:
        return self.claimed >= self.places


class Claim(models.Model):
    """A member's claim on a need (认领); withdrawn claims stay for the record."""

    need = models.ForeignKey(Need, related_name="claims", on_delete=models.CASCADE)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="party_claims", on_delete=models.PROTECT
    )
    unit = models.ForeignKey(Unit, verbose_name=_("employer"), related_name="+", on_delete=models.PROTECT)
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["claimed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "member"], condition=Q(withdrawn_at__isnull=True), name="party_claim_once"
            )
        ]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self) -> str:
        return f"{self.member} · {self.need}"


class ServiceRecord(models.Model):
    """Service a member gave in a community (date, hours, activity); it counts once the community confirms it."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("service record state", "Awaiting confirmation")
        CONFIRMED = "confirmed", pgettext_lazy("service record state", "Confirmed")
        REJECTED = "rejected", pgettext_lazy("service record state", "Rejected")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), related_name="party_service_records",
        on_delete=models.PROTECT,
    )  # fmt: skip
    unit = models.ForeignKey(
        Unit, verbose_name=_("employer"), related_name="party_service_records", on_delete=models.PROTECT
    )
    community = models.ForeignKey(
        Community, verbose_name=_("community"), related_name="service_records", on_delete=models.PROTECT
    )
    need = models.ForeignKey(
        Need, verbose_name=_("need"), null=True, blank=True, related_name="service_records",
        on_delete=models.SET_NULL,
    )  # fmt: skip
    served_on = models.DateField(_("date of service"))
    hours = models.DecimalField(_("hours"), max_digits=3, decimal_places=1)
    activity = models.CharField(_("activity"), max_length=200)
    note = models.TextField(_("details"), max_length=1000, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    reject_reason = models.CharField(_("reason for rejecting"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-served_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24), name="party_record_hours_range")
        ]
        indexes = [
            models.Index(fields=["unit", "state", "served_on"]),
            models.Index(fields=["community", "state"]),
            models.Index(fields=["member", "served_on"]),
        ]
        verbose_name = _("service record")
        verbose_name_plural = _("service records")

    def __str__(self) -> str:
        return f"{self.member} {self.served_on} {self.activity}"


class Feedback(models.Model):
    """The quarterly feedback sent to an employer about its members' service (每季度末反馈给所在单位)."""

    unit = models.ForeignKey(Unit, related_name="party_feedback", on_delete=models.CASCADE)
    period = models.CharField(_("quarter"), max_length=7, help_text="2026-Q1")
    members = models.PositiveIntegerField(_("members with service"), default=0)
    hours = models.DecimalField(_("confirmed hours"), max_digits=8, decimal_places=1, default=0)
    records = models.PositiveIntegerField(_("confirmed records"), default=0)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["-period", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="party_feedback_once")]
        verbose_name = _("quarterly feedback")
        verbose_name_plural = _("quarterly feedback")

    def __str__(self) -> str:
        return f"{self.unit} {self.period}"


class PracticalList(models.Model):
    """The publication settings of a 办实事 plan: whether its public page is on, and the words that open it."""

    plan = models.OneToOneField(
        Plan, related_name="practical_list", on_delete=models.CASCADE,
        limit_choices_to={"kind": Plan.Kind.PRACTICAL},
    )  # fmt: skip
    is_public = models.BooleanField(_("public page on"), default=False)
    title = models.CharField(_("public title"), max_length=200, blank=True)
    intro = models.TextField(_("introduction"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("practical-things list")
        verbose_name_plural = _("practical-things lists")

    def __str__(self) -> str:
        return self.title or self.plan.name


class PublicUpdate(models.Model):
    """A progress summary of a 办实事 item written for the public; shown once the supervision office publishes it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task = models.ForeignKey(Task, related_name="public_updates", on_delete=models.CASCADE)
    text = models.CharField(_("public progress summary"), max_length=500)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    written_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-written_at", "-id"]
        verbose_name = _("public progress summary")
        verbose_name_plural = _("public progress summaries")

    def __str__(self) -> str:
        return self.text[:50]
