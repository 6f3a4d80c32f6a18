"""Warnings on tasks, supervision orders (督办单) on the escalation ladder, and interview records (约谈)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuijin.org.models import Unit
from tuijin.tasks.models import Plan, Task


class Warning(models.Model):
    """A yellow or red light on a task, open from when it was first seen until the cause goes away."""

    class Level(models.TextChoices):
        YELLOW = "yellow", _("Yellow")
        RED = "red", _("Red")

    class Kind(models.TextChoices):
        DEADLINE = "deadline", _("Deadline near")
        OVERDUE = "overdue", _("Overdue")
        PROGRESS = "progress", _("Behind time-proportional progress")
        REPORT = "report", _("Report missing")

    task = models.ForeignKey(Task, related_name="warnings", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    first_seen = models.DateTimeField(_("first seen"), db_index=True)
    last_seen = models.DateTimeField(_("last seen"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-first_seen", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "kind"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_warning_per_kind",
            )
        ]
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")

    def __str__(self) -> str:
        return f"{self.task} {self.level} {self.kind}"


class Policy(models.Model):
    """How a plan's supervision escalates: response times per order level and when rules suggest orders."""

    plan = models.OneToOneField(Plan, related_name="supervision_policy", on_delete=models.CASCADE)
    remind_workdays_before = models.PositiveSmallIntegerField(
        _("remind this many working days before a deadline"), default=3
    )
    blue_response_workdays = models.PositiveSmallIntegerField(
        _("blue order: response within working days"), default=5
    )
    orange_response_workdays = models.PositiveSmallIntegerField(
        _("orange order: response within working days"), default=3
    )
    red_response_workdays = models.PositiveSmallIntegerField(
        _("red order: response within working days"), default=2
    )
    suggest_order_after_red_days = models.PositiveSmallIntegerField(
        _("suggest a blue order when a task has been red for (working days)"), default=1
    )
    auto_escalate = models.BooleanField(_("escalate lapsed orders automatically"), default=True)

    class Meta:
        verbose_name = _("supervision policy")
        verbose_name_plural = _("supervision policies")

    def __str__(self) -> str:
        return str(self.plan)


class Order(models.Model):
    """A step on the escalation ladder for one task: reminder (催办), blue/orange/red order (督办单), interview
    (约谈) or circular (通报). Blue and above are numbered 督办〔YYYY〕N号 and have a response deadline."""

    class Level(models.TextChoices):
        REMINDER = "reminder", _("Reminder (催办)")
        BLUE = "blue", _("Blue order")
        ORANGE = "orange", _("Orange order")
        RED = "red", _("Red order")
        INTERVIEW = "interview", _("Interview (约谈)")
        CIRCULAR = "circular", _("Circular (通报)")

    class State(models.TextChoices):
        ISSUED = "issued", _("Issued, awaiting response")
        RESPONDED = "responded", _("Responded")
        ACCEPTED = "accepted", _("Accepted")
        ESCALATED = "escalated", _("Escalated")
        LAPSED = "lapsed", _("Lapsed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task = models.ForeignKey(Task, related_name="orders", on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), related_name="orders", on_delete=models.PROTECT)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    year = models.PositiveIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    requirement = models.TextField(_("requirement"))
    response_workdays = models.PositiveSmallIntegerField(
        _("response within working days"), null=True, blank=True
    )
    due_date = models.DateField(_("response due"), null=True, blank=True, db_index=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.ISSUED, db_index=True
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    issued_at = models.DateTimeField(_("issued at"))
    suggested_by = models.CharField(_("suggested by rule"), max_length=100, blank=True)
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        related_name="next",
        on_delete=models.SET_NULL,
        verbose_name=_("escalated from"),
    )
    response = models.TextField(_("response"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"],
                condition=Q(number__isnull=False),
                name="order_number_unique_per_year",
            )
        ]
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")

    def __str__(self) -> str:
        return f"{self.document_number or self.get_level_display()} {self.task}"

    @property
    def document_number(self) -> str:
        """督办〔2026〕7号 — full year in 六角括号, no leading zeros (GB/T 9704)."""
        return f"督办〔{self.year}〕{self.number}号" if self.number else ""


class Interview(models.Model):
    """The record of a summoning talk (约谈) with a unit's responsible head about a task."""

    order = models.OneToOneField(Order, related_name="interview", on_delete=models.CASCADE)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    interviewee = models.CharField(_("interviewee"), max_length=100)
    interviewers = models.CharField(_("interviewers"), max_length=200)
    notes = models.TextField(_("record"))
    commitments = models.TextField(_("commitments"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interview record")
        verbose_name_plural = _("interview records")

    def __str__(self) -> str:
        return f"{self.order} {self.held_on}"
