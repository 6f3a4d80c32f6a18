"""Talent apartments and furnished offices (人才公寓 / 拎包办公): buildings, spaces, policies, applications, leases."""

from __future__ import annotations

import datetime
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuijin.core.fields import EncryptedCharField

CENT = Decimal("0.01")


def yuan(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class SpaceKind(models.TextChoices):
    APARTMENT = "apartment", _("Talent apartment")
    OFFICE = "office", _("Furnished office")


class Category(models.TextChoices):
    """Who applies: a talent category (apartments) or an enterprise kind (offices)."""

    A = "A", _("Category A (top talent)")
    B = "B", _("Category B (national leading talent)")
    C = "C", _("Category C (local leading talent)")
    D = "D", _("Category D (local outstanding contributor)")
    YOUNG = "young", _("Young talent")
    TECH_SME = "tech_sme", _("Technology-based SME")
    HIGH_TECH = "high_tech", _("High-tech enterprise")
    STARTUP = "startup", _("Start-up team")


TALENT_CATEGORIES = [Category.A, Category.B, Category.C, Category.D, Category.YOUNG]
ENTERPRISE_KINDS = [Category.TECH_SME, Category.HIGH_TECH, Category.STARTUP]


class Building(models.Model):
    """A building of government-led talent apartments or furnished offices, kept by an operator."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100, unique=True)
    address = models.CharField(_("address"), max_length=200)
    sector = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="space_buildings", verbose_name=_("sector"),
        limit_choices_to={"kind": "sector"},
    )  # fmt: skip
    operator = models.CharField(_("operator"), max_length=100, blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="managed_buildings",
        blank=True,
        verbose_name=_("space managers"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")

    def __str__(self) -> str:
        return self.name


class Space(models.Model):
    """One apartment or one office (desks or a suite) that can be let."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        RESERVED = "reserved", _("Reserved")
        OCCUPIED = "occupied", _("Occupied")
        MAINTENANCE = "maintenance", _("Under maintenance")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="spaces", verbose_name=_("building")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SpaceKind.choices)
    label = models.CharField(_("room number"), max_length=30)
    rooms = models.PositiveSmallIntegerField(_("rooms"), default=1, help_text=_("Bedrooms of an apartment."))
    desks = models.PositiveSmallIntegerField(
        _("desks"), default=0, help_text=_("Desks of an office; 0 for a suite.")
    )
    area = models.DecimalField(_("area (m²)"), max_digits=8, decimal_places=2)
    furnishing = models.JSONField(_("furnishing"), default=list, blank=True)
    market_rent = models.DecimalField(_("market rent (yuan per month)"), max_digits=10, decimal_places=2)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.AVAILABLE)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["building__name", "label"]
        constraints = [
            models.UniqueConstraint(fields=["building", "label"], name="spaces_space_label_unique")
        ]
        verbose_name = _("space")
        verbose_name_plural = _("spaces")

    def __str__(self) -> str:
        return f"{self.building.name} {self.label}"

    @property
    def size_text(self) -> str:
        if self.kind == SpaceKind.APARTMENT:
            return _("%(n)d rooms") % {"n": self.rooms}
        return _("%(n)d desks") % {"n": self.desks} if self.desks else _("suite")


def photo_path(photo: SpacePhoto, filename: str) -> str:
    return f"spaces/photos/{photo.code}/{filename}"


class SpacePhoto(models.Model):
    """A photo of a space, served only through a permission-checked view."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path, max_length=200)
    original_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class Policy(models.Model):
    """The rules for one kind of space: who may apply, documents, term, rent or subsidy, and queue priority."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=SpaceKind.choices, unique=True)
    name = models.CharField(_("name"), max_length=100)
    eligible_categories = models.JSONField(_("who may apply"), default=list)
    required_documents = models.JSONField(_("required documents"), default=list)
    term_years = models.PositiveSmallIntegerField(_("longest term (years)"), default=3)
    # apartments: category → percent of the market rent charged (0 = free)
    rent_percent = models.JSONField(_("rent charged (share of market rent, %)"), default=dict, blank=True)
    # offices: percent of the market rent subsidised in lease year 1, 2, 3…, on at most `area_cap` m²
    subsidy_by_year = models.JSONField(_("rent subsidy by lease year (%)"), default=list, blank=True)
    area_cap = models.DecimalField(_("subsidised area cap (m²)"), max_digits=8, decimal_places=2, null=True,
                                   blank=True)  # fmt: skip
    # categories housed without scoring, first (by application time); the others are ranked by score
    unscored_categories = models.JSONField(_("housed without scoring"), default=list, blank=True)
    score_items = models.JSONField(_("scoring items"), default=list, blank=True)  # [{"key","label","points"}]
    first_review_days = models.PositiveSmallIntegerField(_("first review within (working days)"), default=5)
    second_review_days = models.PositiveSmallIntegerField(_("second review within (working days)"), default=5)
    publicity_days = models.PositiveSmallIntegerField(_("publicity period (days)"), default=5)
    notice_days = models.PositiveSmallIntegerField(_("notice to leave (days)"), default=30)
    reminder_days = models.PositiveSmallIntegerField(_("renewal reminder (days before the end)"), default=60)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def __str__(self) -> str:
        return self.name

    def score_of(self, keys) -> int:
        points = {item["key"]: int(item["points"]) for item in self.score_items}
        return sum(points.get(key, 0) for key in set(keys or ()))

    def is_scored(self, category: str) -> bool:
        return category not in self.unscored_categories

    def monthly_rent(
        self, *, category: str, market_rent: Decimal, area: Decimal, lease_year: int = 1
    ) -> Decimal:
        """Rent charged per month: apartments a percentage of the market rent by category; offices the market rent
        less the subsidy of that lease year, the subsidy paid on at most the capped area."""
        market_rent = Decimal(market_rent)
        if self.kind == SpaceKind.APARTMENT:
            percent = Decimal(str(self.rent_percent.get(category, 100)))
            return yuan(market_rent * percent / 100)
        schedule = self.subsidy_by_year or [0]
        percent = Decimal(str(schedule[lease_year - 1])) if lease_year <= len(schedule) else Decimal(0)
        share = Decimal(1)
        if self.area_cap and area and Decimal(area) > self.area_cap:
            share = self.area_cap / Decimal(area)
        return yuan(market_rent - market_rent * percent / 100 * share)

    def rent_rule_text(self, category: str) -> str:
        if self.kind == SpaceKind.APARTMENT:
            percent = self.rent_percent.get(category, 100)
            return _("free of rent") if not percent else _("%(p)s%% of the market rent") % {"p": percent}
        schedule = "/".join(f"{p}%" for p in self.subsidy_by_year)
        text = _("rent subsidy by lease year %(s)s") % {"s": schedule}
        if self.area_cap:
            text += _(", on at most %(a)s m²") % {"a": f"{self.area_cap.normalize():f}"}
        return text


class Application(models.Model):
    """A talent's or an enterprise's application for an apartment or an office."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting first review")
        FIRST_PASSED = "first_passed", _("Awaiting second review")
        PUBLICITY = "publicity", _("In publicity")
        QUEUED = "queued", _("Waiting in the queue")
        ALLOCATED = "allocated", _("Allocated")
        REJECTED = "rejected", _("Not approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("application number"), max_length=20, unique=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="space_applications"
    )
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="applications")
    kind = models.CharField(_("kind"), max_length=12, choices=SpaceKind.choices)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedCharField(_("ID number"), max_length=18)
    id_index = models.CharField(max_length=64, db_index=True, editable=False)
    phone = EncryptedCharField(_("mobile phone"), max_length=20)
    employer = models.CharField(_("employer / enterprise"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True, db_index=True)
    score_items = models.JSONField(_("scoring items"), default=list, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    note = models.TextField(_("note"), blank=True)
    eligible = models.BooleanField(_("eligible"), default=True)
    eligibility_reasons = models.JSONField(default=list, blank=True)
    state = models.CharField(_("state"), max_length=14, choices=State.choices, default=State.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted at"))
    first_review_due = models.DateField(_("first review due"), null=True, blank=True)
    first_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                          blank=True, related_name="+")  # fmt: skip
    first_reviewed_at = models.DateTimeField(null=True, blank=True)
    first_review_note = models.CharField(max_length=300, blank=True)
    second_review_due = models.DateField(_("second review due"), null=True, blank=True)
    second_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+")  # fmt: skip
    second_reviewed_at = models.DateTimeField(null=True, blank=True)
    second_review_note = models.CharField(max_length=300, blank=True)
    publicity_ends = models.DateField(_("publicity ends"), null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    allocated_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(_("reason"), max_length=300, blank=True)

    OPEN_STATES = (State.SUBMITTED, State.FIRST_PASSED, State.PUBLICITY, State.QUEUED)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            # the managers' application list and the API list: newest first, a page at a time (without it every
            # page sorted all applications: 25 ms for 30,000 on PostgreSQL, under 1 ms with it)
            models.Index(fields=["-submitted_at", "-id"], name="spaces_application_recent_idx"),
        ]
        constraints = [
            # the same person never has two open applications for the same kind of space, even when two
            # submissions arrive at once
            models.UniqueConstraint(
                fields=["id_index", "kind"],
                condition=Q(state__in=["submitted", "first_passed", "publicity", "queued"]),
                name="spaces_one_open_application_per_person",
            ),
        ]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


def document_path(document: ApplicationDocument, filename: str) -> str:
    return f"spaces/documents/{document.code}/{filename}"


class ApplicationDocument(models.Model):
    """A document an applicant uploaded (ID card, talent certificate, labour contract, business licence…)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("document"), max_length=100)
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.title}: {self.original_name}"


class Lease(models.Model):
    """The letting of one space to one approved applicant: term, rent, check-in and check-out, notice."""

    class State(models.TextChoices):
        SIGNED = "signed", _("Allocated, awaiting check-in")
        ACTIVE = "active", _("Checked in")
        NOTICE = "notice", _("Notice given")
        ENDED = "ended", _("Checked out")

    ACTIVE_STATES = (State.SIGNED, State.ACTIVE, State.NOTICE)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="lease")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="leases")
    tenant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="space_leases"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SIGNED)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    term_ends = models.DateField(_("longest term ends"))
    market_rent = models.DecimalField(_("market rent (yuan per month)"), max_digits=10, decimal_places=2)
    monthly_rent = models.DecimalField(_("rent (yuan per month)"), max_digits=10, decimal_places=2)
    rent_rule = models.CharField(_("rent rule"), max_length=200)
    out_of_turn_reason = models.CharField(_("reason for allocating out of turn"), max_length=300, blank=True)
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    allocated_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    check_in_checklist = models.JSONField(default=dict, blank=True)
    notice_given_on = models.DateField(null=True, blank=True)
    move_out_on = models.DateField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    check_out_checklist = models.JSONField(default=dict, blank=True)
    reminded_for = models.DateField(null=True, blank=True)  # the end date the renewal reminder was sent for
    renewals = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-allocated_at", "-pk"]
        constraints = [
            # the database, not a check in Python, makes sure a space is never let twice at the same time
            models.UniqueConstraint(
                fields=["space"],
                condition=Q(state__in=["signed", "active", "notice"]),
                name="spaces_one_active_lease_per_space",
            ),
        ]
        verbose_name = _("lease")
        verbose_name_plural = _("leases")

    def __str__(self) -> str:
        return f"{self.space} · {self.application.name}"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    def lease_year(self, day: datetime.date) -> int:
        first = self.start  # renewals keep the start: the subsidy year counts from the first day
        years = day.year - first.year - ((day.month, day.day) < (first.month, first.day))
        return max(1, years + 1)

    def rent_for_month(self, month: datetime.date, policy: Policy) -> Decimal:
        return policy.monthly_rent(category=self.application.category, market_rent=self.market_rent,
                                   area=self.space.area, lease_year=self.lease_year(month))  # fmt: skip

    def months_due(self, today: datetime.date) -> list[datetime.date]:
        """First days of the months rent is due for, from the start through today (or the move-out)."""
        last = min(today, self.checked_out_at.date() if self.checked_out_at else today, self.end)
        months = []
        month = self.start.replace(day=1)
        while month <= last:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months


class Payment(models.Model):
    """Rent paid on a lease, recorded by the operator."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["paid_on", "pk"]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount}"
