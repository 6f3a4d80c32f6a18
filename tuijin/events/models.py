"""Event programmes (黄河文化月, 拜祖大典): activities, preparation tasks on the task engine, readiness checklists,
and the templates of standard preparation work."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.core.fields import EncryptedCharField
from tuijin.org.models import Unit
from tuijin.tasks.models import Plan, Task

# Preparation categories as offices name them; each programme keeps its own editable copy.
DEFAULT_CATEGORIES = ["安全", "宣传", "保障", "交通", "医疗", "接待", "其他"]


def default_categories() -> list[str]:
    return list(DEFAULT_CATEGORIES)


class Programme(models.Model):
    """An event programme (活动): activities over some days, prepared through the tasks of one event plan."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    plan = models.OneToOneField(
        Plan,
        verbose_name=_("preparation plan"),
        related_name="programme",
        on_delete=models.PROTECT,
        limit_choices_to={"kind": Plan.Kind.EVENT},
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    organiser = models.ForeignKey(
        Unit, verbose_name=_("organiser"), related_name="+", on_delete=models.PROTECT
    )
    description = models.TextField(_("description"), blank=True)
    categories = models.JSONField(_("preparation categories"), default=default_categories)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("event programme")
        verbose_name_plural = _("event programmes")

    def __str__(self) -> str:
        return self.name

    @property
    def categories_text(self) -> str:
        return "、".join(self.categories or [])


class Activity(models.Model):
    """One activity of a programme (开幕式, 拜祖大典…): when, where, who leads it and for how many people."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), related_name="activities", on_delete=models.CASCADE
    )
    title = models.CharField(_("activity"), max_length=200)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), related_name="+", on_delete=models.PROTECT
    )
    supporting_units = models.ManyToManyField(
        Unit, verbose_name=_("supporting units"), related_name="+", blank=True
    )
    capacity = models.PositiveIntegerField(_("number of people"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = EncryptedCharField(_("contact phone"), max_length=20, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_main = models.BooleanField(
        _("main ceremony"), default=False, help_text=_("The countdown counts to the main ceremony.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "start_time", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme"], condition=Q(is_main=True), name="events_one_main_activity"
            ),
        ]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title

    @property
    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.end_time))


class PrepTemplate(models.Model):
    """A named set of standard preparation work (安保方案, 交通疏导…) an organiser applies to an activity."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("preparation template")
        verbose_name_plural = _("preparation templates")

    def __str__(self) -> str:
        return self.name


class PrepTemplateItem(models.Model):
    """One line of a template: a preparation task due N working days before the activity, or a checklist item."""

    class Kind(models.TextChoices):
        TASK = "task", _("Preparation task")
        CHECK = "check", _("Checklist item")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    template = models.ForeignKey(PrepTemplate, related_name="items", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TASK)
    category = models.CharField(_("category"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    workdays_before = models.PositiveSmallIntegerField(
        _("working days before the activity"),
        default=5,
        help_text=_("The deadline is counted back from the activity's date in working days."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
        help_text=_("Leave empty for the activity's lead unit."),
    )
    needs_task = models.ForeignKey(
        "self",
        verbose_name=_("signed off when this task is closed"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        limit_choices_to={"kind": "task"},
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "position", "id"]
        verbose_name = _("template item")
        verbose_name_plural = _("template items")

    def __str__(self) -> str:
        return f"{self.category} · {self.title}"


class ActivityTask(models.Model):
    """A preparation task of an activity: a task of the programme's plan, filed under a category."""

    activity = models.ForeignKey(Activity, related_name="prep_tasks", on_delete=models.CASCADE)
    task = models.OneToOneField(Task, related_name="activity_link", on_delete=models.CASCADE)
    category = models.CharField(_("category"), max_length=20)
    template_item = models.ForeignKey(
        PrepTemplateItem, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "category", "id"]
        verbose_name = _("preparation task")
        verbose_name_plural = _("preparation tasks")

    def __str__(self) -> str:
        return f"{self.activity} · {self.category} · {self.task}"


class ChecklistItem(models.Model):
    """An item of an activity's readiness checklist (场地验收, 安保演练…), signed off by the responsible unit."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(Activity, related_name="checklist", on_delete=models.CASCADE)
    title = models.CharField(_("item"), max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), related_name="+", on_delete=models.PROTECT
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("preparation task"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        help_text=_("The item can be signed off only once this task is closed."),
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    template_item = models.ForeignKey(
        PrepTemplateItem, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    position = models.PositiveSmallIntegerField(default=0)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "position", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return f"{self.activity} · {self.title}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class ChecklistEvent(models.Model):
    """A sign-off or an undo of a checklist item: who, when, and (for an undo) why."""

    class Kind(models.TextChoices):
        SIGNED = "signed", _("Signed off")
        UNDONE = "undone", _("Sign-off undone")

    item = models.ForeignKey(ChecklistItem, related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("checklist event")
        verbose_name_plural = _("checklist events")

    def __str__(self) -> str:
        return f"{self.item} {self.kind}"
