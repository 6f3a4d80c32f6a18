"""Assessment schemes, indicators, rounds, scores and rankings."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuijin.org.models import Unit, UnitKind
from tuijin.tasks.models import Plan

DEFAULT_BANDS = [[90, "优秀"], [80, "良好"], [60, "合格"], [0, "不合格"]]
DEFAULT_GROUPS = [UnitKind.SECTOR.value, UnitKind.DEPARTMENT.value, UnitKind.DISTRICT.value]
DEFAULT_REQUIREMENTS = (
    "各单位要对照本次通报，认真查找差距，逐项制定整改措施，明确责任人和完成时限；对逾期未办结的任务，"
    "要在5个工作日内向市委督查室书面说明原因和整改计划。排名靠后的单位要深刻反思，主要负责同志要亲自研究、"
    "亲自推动，确保下一阶段工作取得明显成效。"
)


def default_bands() -> list:
    return [list(band) for band in DEFAULT_BANDS]


def default_groups() -> list:
    return list(DEFAULT_GROUPS)


class Method(models.TextChoices):
    WEIGHTED = "weighted", _("Weighted indicators")
    BASE100 = "base100", _("Base score plus bonuses minus deductions")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    YEAR = "year", _("Yearly")


class Scheme(models.Model):
    """An assessment scheme (考核方案): how units are scored, graded and ranked, for which plans and periods."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.BASE100)
    base_score = models.DecimalField(_("base score"), max_digits=6, decimal_places=2, default=Decimal(100))
    grade_bands = models.JSONField(
        _("grade bands"),
        default=default_bands,
        help_text=_(
            'Lowest total for each grade, highest first, e.g. [[90, "优秀"], [80, "良好"], [0, "合格"]]'
        ),
    )
    groups = models.JSONField(
        _("ranking groups"), default=default_groups, help_text=_("Unit kinds ranked apart")
    )
    period_kind = models.CharField(
        _("period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.MONTH
    )
    plans = models.ManyToManyField(
        Plan, verbose_name=_("plans covered"), blank=True, related_name="+", help_text=_("None: all plans")
    )
    circular_subject = models.CharField(
        _("subject in the circular's title"), max_length=50, blank=True, help_text=_("e.g. 核心板块")
    )
    issuing_organ = models.CharField(_("issuing organ"), max_length=100, default="郑州市人民政府督查室")
    number_prefix = models.CharField(_("document number prefix"), max_length=20, default="督考")
    requirements = models.TextField(_("work requirements (circular)"), default=DEFAULT_REQUIREMENTS)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")

    def __str__(self) -> str:
        return self.name

    def sorted_bands(self) -> list[tuple[float, str]]:
        return sorted(((float(low), str(label)) for low, label in self.grade_bands), reverse=True)

    def group_labels(self) -> list[tuple[str, str]]:
        names = dict(UnitKind.choices)
        return [(kind, str(names.get(kind, kind))) for kind in self.groups]


class Indicator(models.Model):
    """One line of a scheme (考核指标): measured from records, scored by hand, or the cap on adjustments."""

    class Kind(models.TextChoices):
        AUTO = "auto", _("Automatic from records")
        MANUAL = "manual", _("Manual score by an assessor")
        ADJUSTMENT = "adjustment", _("Bonuses and deductions (capped)")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    scheme = models.ForeignKey(Scheme, related_name="indicators", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.AUTO)
    calculator = models.CharField(_("calculator"), max_length=60, blank=True)
    weight = models.DecimalField(
        _("weight or maximum points"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(10),
        help_text=_(
            "Weighted method: the points the indicator is worth. Base 100: the most it can add or deduct (0: no "
            "limit). A veto item with 0 is a pure veto: no points, only pass or fail."
        ),
    )
    veto = models.BooleanField(_("veto item"), default=False)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["scheme", "position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    """One computation of a scheme for a period (考核轮次). Published rounds are frozen; recomputing adds a
    version."""

    class State(models.TextChoices):
        COMPUTED = "computed", _("Computed")
        REVIEWED = "reviewed", _("Reviewed")
        PUBLISHED = "published", _("Published")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    scheme = models.ForeignKey(Scheme, related_name="rounds", on_delete=models.PROTECT)
    period = models.CharField(_("period"), max_length=10, help_text=_("2026-06, 2026-Q2 or 2026"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.COMPUTED)
    # The scheme as it was when computed (method, base, bands, groups, names), so a later edit changes nothing.
    snapshot = models.JSONField(default=dict)
    summary = models.JSONField(default=dict)
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    circular_year = models.PositiveIntegerField(null=True, blank=True)
    circular_number = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-period", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "period", "version"], name="round_version_unique"),
        ]
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")

    def __str__(self) -> str:
        return f"{self.scheme} {self.period} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def document_number(self) -> str:
        """督考〔2026〕3号 — assigned when the round is published (GB/T 9704: no leading zeros, no 第)."""
        if not self.circular_number:
            return ""
        prefix = self.snapshot.get("number_prefix", "督考")
        return f"{prefix}〔{self.circular_year}〕{self.circular_number}号"


class RecordsField(models.JSONField):
    """JSON inserted with one placeholder per row. Django's bulk insert on PostgreSQL otherwise sends each column
    as one array literal (UNNEST), and psycopg escapes every quote of thousands of JSON records in Python — a
    second per round of 20,000 tasks."""

    def get_placeholder(self, value, compiler, connection):
        return "%s"


class Score(models.Model):
    """What one unit scored on one indicator in a round, with the formula and the records it came from."""

    round = models.ForeignKey(Round, related_name="scores", on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, related_name="+", on_delete=models.PROTECT)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    indicator_name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Indicator.Kind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    value = models.FloatField(_("measured value"), null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    formula = models.TextField(_("formula"))
    sources = RecordsField(_("records"), default=list)
    vetoed = models.BooleanField(default=False)

    class Meta:
        ordering = ["round", "unit", "position", "id"]
        indexes = [models.Index(fields=["round", "unit"])]
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.indicator_name} {self.points}"


class Result(models.Model):
    """A unit's total, grade and rank within its group in a round."""

    round = models.ForeignKey(Round, related_name="results", on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, related_name="+", on_delete=models.PROTECT)
    unit_name = models.CharField(max_length=100)
    group = models.CharField(_("group"), max_length=20)
    total = models.DecimalField(_("total"), max_digits=8, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=20)
    rank = models.PositiveIntegerField(_("rank"))
    vetoed = models.BooleanField(_("vetoed"), default=False)

    class Meta:
        ordering = ["round", "group", "rank", "unit_name"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="result_unit_unique")]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"{self.unit_name} {self.total} #{self.rank}"


def manual_evidence_path(instance: "ManualScore", filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"assessment/{instance.period}/{instance.code}.{suffix}"


class ManualScore(models.Model):
    """A score an assessor gives a unit on a manual indicator for a period, with the reason and evidence."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    scheme = models.ForeignKey(Scheme, related_name="manual_scores", on_delete=models.CASCADE)
    period = models.CharField(_("period"), max_length=10)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), related_name="+", on_delete=models.PROTECT)
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), related_name="manual_scores", on_delete=models.CASCADE
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("reason"))
    evidence = models.FileField(_("evidence"), upload_to=manual_evidence_path, max_length=200, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period", "unit", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "period", "unit", "indicator"], name="manual_score_unique"
            )
        ]
        verbose_name = _("manual score")
        verbose_name_plural = _("manual scores")

    def __str__(self) -> str:
        return f"{self.period} {self.unit} {self.indicator} {self.points}"


class Adjustment(models.Model):
    """A bonus (加分) or deduction (扣分) for a unit in a period, with its reason."""

    class Kind(models.TextChoices):
        BONUS = "bonus", _("Bonus")
        DEDUCTION = "deduction", _("Deduction")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    scheme = models.ForeignKey(Scheme, related_name="adjustments", on_delete=models.CASCADE)
    period = models.CharField(_("period"), max_length=10)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), related_name="+", on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    points = models.DecimalField(
        _("points"),
        max_digits=6,
        decimal_places=2,
        help_text=_("Positive; the kind says which way it counts"),
    )
    reason = models.TextField(_("reason"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "unit", "id"]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")

    def __str__(self) -> str:
        return f"{self.period} {self.unit} {self.kind} {self.points}"

    @property
    def signed_points(self) -> Decimal:
        return self.points if self.kind == self.Kind.BONUS else -self.points
