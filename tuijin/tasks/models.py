"""Plans (清单), their tasks, milestones, reports with evidence, extension requests and each task's timeline."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from tuijin.org.models import Role, Unit


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly (before Tuesday)")
    MONTHLY = "monthly", _("Monthly (by the 25th)")
    QUARTERLY = "quarterly", _("Quarterly (end of quarter)")


class Plan(models.Model):
    """A list of tasks for a year or for an event programme, with its reporting cadence and warning thresholds."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual targets")
        EVENT = "event", _("Event programme")
        DECISIONS = "decisions", _("Meeting decisions")
        PRACTICAL = "practical", _("Practical things for the people")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    year = models.PositiveIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ANNUAL)
    description = models.TextField(_("description"), blank=True)
    cadence = models.CharField(
        _("reporting cadence"), max_length=20, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    report_day = models.PositiveSmallIntegerField(
        _("report due day"), default=25, help_text=_("Day of month for monthly reports")
    )
    yellow_workdays = models.PositiveSmallIntegerField(_("yellow warning within working days"), default=3)
    progress_lag_points = models.PositiveSmallIntegerField(
        _("yellow warning when progress lags elapsed time by (points)"), default=10
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("owning office"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_illustrative = models.BooleanField(_("illustrative data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.name


class TaskState(models.TextChoices):
    ASSIGNED = "assigned", _("Awaiting acknowledgement")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSURE_REQUESTED = "closure_requested", _("Closure requested")
    CLOSED = "closed", _("Closed")


class TaskStatus(models.TextChoices):
    NORMAL = "normal", _("On track")
    WARNING = "warning", _("Warning")
    OVERDUE = "overdue", _("Overdue")
    CLOSED = "closed", _("Closed")


class SourceKind(models.TextChoices):
    DEPLOYMENT = "deployment", _("Decision of higher authorities")
    MEETING = "meeting", _("Meeting decision")
    INSTRUCTION = "instruction", _("Leader's instruction")
    DOCUMENT = "document", _("Document requirement")


class LimitKind(models.TextChoices):
    DATE = "date", _("Date")
    MILESTONES = "milestones", _("Milestones")
    CADENCE = "cadence", _("Recurring")
    CONTINUING = "continuing", _("Continuing")
    RELATIVE = "relative", _("Relative")
    EMPTY = "empty", _("Not given")
    UNKNOWN = "unknown", _("Not understood")


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Tasks the user may see: everything for supervisors and leaders, else tasks their units lead or support."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_all_tasks:
            return self
        unit_ids = user.unit_ids(Role.UNIT)
        if not unit_ids:
            return self.none()
        return self.filter(Exists(TaskUnit.objects.filter(task=OuterRef("pk"), unit_id__in=unit_ids)))

    def for_list(self):
        return self.select_related("plan").prefetch_related(
            models.Prefetch(
                "task_units", queryset=TaskUnit.objects.select_related("unit").order_by("role", "position")
            )
        )


class Task(models.Model):
    """One item of a plan: what must be done, by whom, by when — with its state and computed status."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), related_name="tasks", on_delete=models.CASCADE)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent task"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.CASCADE,
    )
    number = models.CharField(_("number"), max_length=20, blank=True)
    sort_key = models.CharField(max_length=60, blank=True, db_index=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    title = models.CharField(_("task"), max_length=500)
    target = models.TextField(_("target"), blank=True)
    measure_quantity = models.DecimalField(
        _("target quantity"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    measure_unit = models.CharField(
        _("measure unit"), max_length=20, blank=True, help_text=_("亩, km, m², 万元 …")
    )
    measured_value = models.DecimalField(
        _("measured value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    leader = models.CharField(_("responsible leader"), max_length=100, blank=True)
    owner = models.CharField(_("responsible person"), max_length=100, blank=True)
    source_kind = models.CharField(
        _("source"), max_length=20, choices=SourceKind.choices, default=SourceKind.DEPLOYMENT
    )
    source_ref = models.CharField(_("document or minute number"), max_length=100, blank=True)
    limit_text = models.CharField(_("time limit as written"), max_length=300, blank=True)
    limit_kind = models.CharField(
        _("time limit kind"), max_length=20, choices=LimitKind.choices, default=LimitKind.EMPTY
    )
    limit_note = models.CharField(_("time limit note"), max_length=300, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    original_deadline = models.DateField(_("original deadline"), null=True, blank=True)
    cadence_period = models.CharField(_("recurring period"), max_length=20, blank=True)
    cadence_day = models.PositiveSmallIntegerField(_("recurring due day"), null=True, blank=True)
    relative_workdays = models.PositiveIntegerField(null=True, blank=True)
    tags = models.CharField(_("tags"), max_length=200, blank=True, help_text=_("Separated by commas"))
    state = models.CharField(_("state"), max_length=20, choices=TaskState.choices, default=TaskState.ASSIGNED)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NORMAL, db_index=True
    )
    status_reason = models.CharField(_("status reason"), max_length=200, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    latest_report = models.ForeignKey(
        "Report",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        verbose_name=_("latest report"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "sort_key", "id"]
        indexes = [models.Index(fields=["plan", "sort_key"])]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def units_with_role(self, role: str) -> list[Unit]:
        return [tu.unit for tu in self.task_units.all() if tu.role == role]

    @property
    def lead_units(self) -> list[Unit]:
        return self.units_with_role(TaskUnit.LEAD)

    @property
    def supporting_units(self) -> list[Unit]:
        return self.units_with_role(TaskUnit.SUPPORT)

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.replace("，", ",").split(",") if t.strip()]

    @property
    def is_open(self) -> bool:
        return self.state != TaskState.CLOSED

    @property
    def cadence_display(self) -> str:
        """每月28日前 / monthly, by day 28 — the recurring report rule in the reader's language."""
        from django.utils.translation import gettext

        periods = {"weekly": gettext("every week"), "monthly": gettext("every month"),
                   "quarterly": gettext("every quarter"), "yearly": gettext("every year")}  # fmt: skip
        text = periods.get(self.cadence_period, self.cadence_period)
        if self.cadence_day:
            text += gettext(", by day %(d)s") % {"d": self.cadence_day}
        return text

    @property
    def status_reason_display(self) -> str:
        from .status import describe_reason

        return describe_reason(self.status_reason)

    @cached_property
    def extensions_pending(self) -> bool:
        return self.extensions.filter(state="pending").exists()


class TaskUnit(models.Model):
    """A unit's responsibility for a task: it leads (牵头) or supports (配合)."""

    LEAD = "lead"
    SUPPORT = "support"
    ROLES = [(LEAD, _("Lead unit")), (SUPPORT, _("Supporting unit"))]

    task = models.ForeignKey(Task, related_name="task_units", on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, related_name="task_units", on_delete=models.PROTECT)
    role = models.CharField(max_length=10, choices=ROLES)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="task_unit_unique")]
        indexes = [models.Index(fields=["unit", "task"])]
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")

    def __str__(self) -> str:
        return f"{self.unit} ({self.role})"


class Milestone(models.Model):
    """A dated node of a task (节点), e.g. “6月底前完成管廊主体”."""

    task = models.ForeignKey(Task, related_name="milestones", on_delete=models.CASCADE)
    date = models.DateField(_("date"))
    text = models.CharField(_("milestone"), max_length=300, blank=True)
    done_at = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.date} {self.text}"


class Report(models.Model):
    """A progress report (进展反馈) by a unit for one reporting period."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task = models.ForeignKey(Task, related_name="reports", on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), related_name="reports", on_delete=models.PROTECT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="reports", on_delete=models.PROTECT)
    period = models.CharField(_("period"), max_length=20, help_text=_("e.g. 2021-03, 2021-Q1, 2021-W09"))
    text = models.TextField(_("progress"))
    progress = models.PositiveSmallIntegerField(_("progress %"), null=True, blank=True)
    value = models.DecimalField(_("measured value"), max_digits=14, decimal_places=2, null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    is_consolidated = models.BooleanField(_("lead unit's consolidated report"), default=False)
    flags = models.JSONField(_("check flags"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.task.number} {self.period} {self.unit}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.task.plan.year}/{instance.code}.{suffix}"


class Evidence(models.Model):
    """A file that shows progress: photo, PDF, Word or Excel — with what was read from it."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        PDF = "pdf", _("PDF")
        WORD = "word", _("Word")
        EXCEL = "excel", _("Excel")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task = models.ForeignKey(Task, related_name="evidence", on_delete=models.CASCADE)
    report = models.ForeignKey(
        Report, null=True, blank=True, related_name="evidence", on_delete=models.CASCADE
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    thumbnail = models.FileField(upload_to="evidence/thumbs/", max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    reused_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        verbose_name=_("same file as"),
    )
    phash = models.CharField(_("perceptual hash"), max_length=16, blank=True, db_index=True)
    flags = models.JSONField(_("check flags"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        # The cockpit's latest photo of each sector's lead tasks (cockpit.services.latest_photos, counted by the
        # tick): per task, its photos newest first without reading evidence rows (178 → 36 ms, docs/INDEXES.md).
        indexes = [models.Index(fields=["task", "kind", "created_at"], name="evidence_task_kind_recent")]

    def __str__(self) -> str:
        return self.original_name


class ExtensionRequest(models.Model):
    """A request (延期申请) to move a task's deadline, filed before it lapses."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    task = models.ForeignKey(Task, related_name="extensions", on_delete=models.CASCADE)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    old_deadline = models.DateField(_("old deadline"))
    new_deadline = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")

    def __str__(self) -> str:
        return f"{self.task} → {self.new_deadline}"


class TaskEvent(models.Model):
    """One entry of a task's timeline: who did what, when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Assigned")
        IMPORTED = "imported", _("Imported")
        UPDATED = "updated", _("Updated")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        REPORTED = "reported", _("Progress reported")
        CLOSURE_REQUESTED = "closure_requested", _("Closure requested")
        CLOSED = "closed", _("Closed (销号)")
        RETURNED = "returned", _("Returned")
        EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
        EXTENSION_APPROVED = "extension_approved", _("Extension approved")
        EXTENSION_REJECTED = "extension_rejected", _("Extension rejected")
        EVIDENCE_ADDED = "evidence_added", _("Evidence added")

    task = models.ForeignKey(Task, related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    unit = models.ForeignKey(Unit, null=True, blank=True, related_name="+", on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("task event")
        verbose_name_plural = _("task events")

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"
