"""Liaison roster (联络员), joint meetings (联席会议) with agenda, attendance, minutes and decisions (议定事项),
and leader instructions (领导批示). Decisions and instructions become tasks of the task engine."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.core.fields import EncryptedCharField
from tuijin.lib.masking import mask_phone
from tuijin.org.models import Unit
from tuijin.tasks.models import Task


def _token() -> str:
    return secrets.token_urlsafe(18)


class LiaisonTermQuerySet(models.QuerySet):
    def current(self, day=None):
        day = day or timezone.localdate()
        return self.filter(start_date__lte=day).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=day)
        )


class LiaisonTerm(models.Model):
    """A person's term as a unit's liaison officer (联络员) or deputy (副联络员), from a date to a date."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("Liaison officer")
        DEPUTY = "deputy", _("Deputy liaison officer")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), related_name="liaison_terms", on_delete=models.CASCADE
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.OFFICER)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True, related_name="+",
        on_delete=models.SET_NULL,
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position"), max_length=50, blank=True)
    phone = EncryptedCharField(_("mobile phone"), max_length=20, blank=True)
    office_phone = EncryptedCharField(_("office phone"), max_length=30, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LiaisonTermQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "role", "-start_date", "-id"]
        verbose_name = _("liaison term")
        verbose_name_plural = _("liaison terms")

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_role_display()} · {self.name}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def is_current(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class JointMeeting(models.Model):
    """A standing joint meeting (联席会议): a convener unit and member units that meet to settle matters."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    convener = models.ForeignKey(Unit, verbose_name=_("convener"), related_name="convened_meetings",
                                 on_delete=models.PROTECT)  # fmt: skip
    members = models.ManyToManyField(
        Unit, verbose_name=_("member units"), related_name="joint_meetings", blank=True
    )
    minutes_prefix = models.CharField(
        _("minutes prefix"), max_length=20, default="纪要",
        help_text=_("The organ's code before the year in minute numbers, e.g. 纪要 in 纪要〔2021〕3号."),
    )  # fmt: skip
    issuing_organ = models.CharField(_("issuing organ"), max_length=100, blank=True,
                                     help_text=_("Printed at the top of the minutes."))  # fmt: skip
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_illustrative = models.BooleanField(_("illustrative data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    """One sitting of a joint meeting: date and place, agenda, liaison pre-meeting, attendance, minutes."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    joint_meeting = models.ForeignKey(JointMeeting, verbose_name=_("joint meeting"), related_name="meetings",
                                      on_delete=models.CASCADE)  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    chair = models.CharField(_("chaired by"), max_length=100, blank=True)
    agenda_cutoff = models.DateField(
        _("agenda cut-off"), help_text=_("Units propose agenda items until this day.")
    )
    pre_meeting_at = models.DateTimeField(_("liaison pre-meeting"), null=True, blank=True)
    pre_meeting_place = models.CharField(_("pre-meeting place"), max_length=200, blank=True)
    agenda_settled_at = models.DateTimeField(_("agenda settled"), null=True, blank=True)
    summary = models.TextField(
        _("minutes text"), blank=True, help_text=_("The body of the minutes before the decisions.")
    )
    minutes_year = models.PositiveIntegerField(_("minutes year"), null=True, blank=True)
    minutes_number = models.PositiveIntegerField(_("minutes number"), null=True, blank=True)
    minutes_issued_at = models.DateTimeField(_("minutes issued"), null=True, blank=True)
    minutes_issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+",
                                          on_delete=models.SET_NULL)  # fmt: skip
    sign_in_token = models.CharField(max_length=40, default=_token, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["joint_meeting", "minutes_year", "minutes_number"],
                                    name="coordination_minutes_number_unique"),
        ]  # fmt: skip
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.joint_meeting} · {self.title}"

    @property
    def is_locked(self) -> bool:
        """Once the minutes are issued, nothing of the meeting changes any more."""
        return self.minutes_issued_at is not None

    @property
    def minutes_ref(self) -> str:
        """纪要〔2021〕3号, or "" before the minutes are issued."""
        if not self.minutes_number:
            return ""
        return f"{self.joint_meeting.minutes_prefix}〔{self.minutes_year}〕{self.minutes_number}号"

    def agenda_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return not self.is_locked and self.agenda_settled_at is None and day <= self.agenda_cutoff


class AgendaItem(models.Model):
    """A matter a unit proposes for a meeting's agenda; the liaison pre-meeting accepts or defers it."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("On the agenda")
        DEFERRED = "deferred", _("Deferred")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, related_name="agenda_items", on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, verbose_name=_("proposed by"), related_name="+", on_delete=models.PROTECT)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+",
                                    on_delete=models.SET_NULL)  # fmt: skip
    title = models.CharField(_("matter"), max_length=300)
    details = models.TextField(_("details"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PROPOSED)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "position", "created_at", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """A person's presence at a meeting, signed in from a phone (QR code) or recorded by the organiser."""

    class Method(models.TextChoices):
        QR = "qr", _("Phone sign-in")
        MANUAL = "manual", _("Recorded by the organiser")

    meeting = models.ForeignKey(Meeting, related_name="attendance", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    unit = models.ForeignKey(Unit, null=True, blank=True, related_name="+", on_delete=models.SET_NULL)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.QR)
    signed_at = models.DateTimeField(_("signed in"), default=timezone.now)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="coordination_attendance_once")
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.meeting} · {self.user}"


class Decision(models.Model):
    """A decision (议定事项) in a meeting's minutes; it becomes a task whose source is the minute number."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, related_name="decisions", on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    text = models.TextField(_("decision"))
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), related_name="+", on_delete=models.PROTECT
    )
    supporting_units = models.ManyToManyField(Unit, verbose_name=_("supporting units"), related_name="+",
                                              blank=True)  # fmt: skip
    limit_text = models.CharField(_("time limit"), max_length=300, blank=True,
                                  help_text=_("As written in the minutes, e.g. 6月底前."))  # fmt: skip
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, related_name="decisions",
                                    on_delete=models.SET_NULL)  # fmt: skip
    task = models.OneToOneField(
        Task, null=True, blank=True, related_name="decision", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="coordination_decision_position")
        ]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:40]}"


class Instruction(models.Model):
    """A leader's instruction (领导批示): who, when, what — turned into tasks whose source is the instruction."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leader"), related_name="instructions",
                               on_delete=models.PROTECT)  # fmt: skip
    date = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("instruction"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+",
                                    on_delete=models.SET_NULL)  # fmt: skip
    tasks = models.ManyToManyField(Task, related_name="instructions", blank=True)
    is_illustrative = models.BooleanField(_("illustrative data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("leader instruction")
        verbose_name_plural = _("leader instructions")

    def __str__(self) -> str:
        return self.subject

    @property
    def source_ref(self) -> str:
        """What a task shows as its source: 刘振华同志2021年3月2日批示."""
        return f"{self.leader}同志{self.date.year}年{self.date.month}月{self.date.day}日批示"[:100]
