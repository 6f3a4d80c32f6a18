"""The investment-attraction pipeline (项目招商): enterprises, their projects from lead to operation, follow-ups,
the venture-capital partners, the classified policies and task measures bound to the pipeline.

Money
-----
Every amount is stored in 万元 as a Decimal (max_digits=14, decimal_places=2). Forms take 万元 or 亿元 and convert
(`forms.MoneyField`); screens show 亿元 with two decimals from 1亿 up (`{% load investment %}{{ v|money }}`).

Stages
------
线索 lead → 洽谈 negotiating → 签约 signed → 注册 registered → 落地/入驻 landed → 开工 started → 投产/运营
operating, or 终止 dropped (with a reason). `Project.stage` is the current stage and `Project.stage_since` the date it
was entered; every move is a `StageChange` row (date, from, to, reason, actor, the fields given), so the time spent
in each stage is `StageChange` dates in sequence. Moving back needs a reason; moving back clears the dates of the
stages above the new one (`registered_on`, `landed_on`, `started_on`, `operating_on`) — they did not happen after all
— but never `first_signed_on` (see below). A project cannot pass 签约 without a signing.

Counting rules (统计口径) — every total on every page comes from these queryset methods
-----------------------------------------------------------------------------------------
1. A project counts ONCE, at its FIRST signing: `Project.first_signed_on` is set by the first `Agreement` and never
   changes afterwards. Re-signing, or a formal agreement after a framework one, adds an `Agreement` row (and may
   update `contract_amount`) but does not count again, in that year or any later one. Moving the project back below
   签约 keeps `first_signed_on`.
2. The amount that counts is `Project.counted_amount` (万元), kept by `Project.save()`:
   - kind NEW (新引进): `contract_amount` — the amount of the latest agreement, counted in the year of the first one;
   - kind INCREASE (增资): `increment_amount` — the increase only, never the enterprise's earlier investment;
   - kind UPGRADE (升级): `increment_amount` — the upgrade part only.
   An increase or an upgrade is its own `Project` row (with `base_project` the project it adds to), so it counts
   once, as one signed project, at its own first signing, with its increment as the amount.
3. A dropped (终止) project that had been signed still counts as signed (the signing happened; 履约率 shows the rest).

How to query counted figures (use these, never `Sum("contract_amount")`):

    Project.objects.counted_signings(year=2021, sector=unit, category=cat, channel=Channel.DIRECTED)  # rows
    Project.objects.counted_signings(year=2021).signed_total()  # {"count": 12, "amount": Decimal("353000.00")} 万元
    Project.objects.reached(Stage.LANDED, year=2021, sector=unit)  # landed in 2021 (landed_on in 2021)
    Project.objects.visible_to(user).counted_signings(...)  # scoped to what the user may see

`reached(stage, year=…)` counts projects by the date they first reached 注册/落地/开工/投产 (`registered_on`,
`landed_on`, `started_on`, `operating_on`); `first_signed_on` for 签约. Each project counts once per stage.
`COUNTING_RULES` below is the text shown beside every total (the "统计口径" note).

Who sees what: `ProjectQuerySet.visible_to` and `access.py`.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from tuijin.core.fields import EncryptedCharField
from tuijin.org.models import Role, Unit, UnitKind

CENT = Decimal("0.01")

COUNTING_RULES = [
    _("A project counts once, at its first signing; re-signing or a formal agreement after a framework one does "
      "not count again."),
    _("Amounts are the contract amounts of the counted projects, in 亿元 (detail in 万元)."),
    _("A capital increase counts only the increase; an upgrade counts only the upgrade."),
    _("A project dropped after signing still counts as signed."),
]  # fmt: skip


class Origin(models.TextChoices):
    """Where the investor comes from."""

    OTHER_PROVINCE = "other_province", _("Other province (省外)")
    PROVINCE = "province", _("In the province, outside the city (省内市外)")
    CITY = "city", _("In the city (市内)")
    ABROAD = "abroad", _("Abroad (境外)")


class Channel(models.TextChoices):
    DIRECTED = "directed", _("Directed attraction (定向招商)")
    DOOR_TO_DOOR = "door_to_door", _("Door-to-door attraction (上门招商)")
    VENTURE = "venture", _("With venture-capital firms (与创投机构合作招商)")
    SECOND_ROUND = "second_round", _("Through landed firms (以商招商·二次招商)")
    EXPO = "expo", _("Fair or expo (展会)")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    LEAD = "lead", _("Lead")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    REGISTERED = "registered", _("Registered")
    LANDED = "landed", _("Landed")
    STARTED = "started", _("Construction started")
    OPERATING = "operating", _("Operating")
    DROPPED = "dropped", _("Dropped")


# The pipeline in order; DROPPED is outside it.
STAGE_ORDER = [
    Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED, Stage.REGISTERED, Stage.LANDED, Stage.STARTED, Stage.OPERATING,
]  # fmt: skip

# The date field set when a project first reaches the stage (and cleared when it moves back below it).
STAGE_DATE_FIELDS = {
    Stage.SIGNED: "first_signed_on",
    Stage.REGISTERED: "registered_on",
    Stage.LANDED: "landed_on",
    Stage.STARTED: "started_on",
    Stage.OPERATING: "operating_on",
}


def stage_rank(stage: str) -> int:
    """Position in the pipeline; DROPPED ranks after everything."""
    return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else len(STAGE_ORDER)


class ProjectKind(models.TextChoices):
    NEW = "new", _("New investment")
    INCREASE = "increase", _("Capital increase (增资)")
    UPGRADE = "upgrade", _("Upgrade (升级)")


class AgreementType(models.TextChoices):
    FRAMEWORK = "framework", _("Framework agreement (框架协议)")
    FORMAL = "formal", _("Formal agreement (正式协议)")


class Enterprise(models.Model):
    """An enterprise, institute or team the city courts or has landed, identified by its 统一社会信用代码."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    # The name without legal-form words, brackets and spaces (services.normalise_name): duplicate checks.
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True,
        help_text=_("统一社会信用代码: 18 characters; may be empty for a team or an enterprise not yet registered."),
    )  # fmt: skip
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_illustrative = models.BooleanField(_("illustrative data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="enterprise_credit_code_unique"
            )
        ]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A contact person at an enterprise; the phone is personal data (sealed, masked, see privacy.py)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enterprise = models.ForeignKey(Enterprise, related_name="contacts", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position"), max_length=50, blank=True)
    phone = EncryptedCharField(_("mobile phone"), max_length=20, blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.position})" if self.position else self.name


class ProjectCategory(models.Model):
    """A target category (头部企业, 高科技企业, 大院名所研究机构, 人才创新团队 by default); configurable."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=50, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    sort_order = models.IntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("project category")
        verbose_name_plural = _("project categories")

    def __str__(self) -> str:
        return self.name


class VentureFirm(models.Model):
    """A venture-capital firm (创投机构) the city attracts projects with."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("venture-capital firm")
        verbose_name_plural = _("venture-capital firms")

    def __str__(self) -> str:
        return self.name


class Fund(models.Model):
    """A fund managed by a venture-capital firm."""

    firm = models.ForeignKey(VentureFirm, related_name="funds", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=200)
    size = models.DecimalField(_("fund size (万元)"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["firm", "name"]
        constraints = [models.UniqueConstraint(fields=["firm", "name"], name="fund_unique_per_firm")]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")

    def __str__(self) -> str:
        return f"{self.firm.name} · {self.name}"


def investment_scope(user) -> tuple[bool, set[int]]:
    """(city-wide, sector ids) of the user's investment-officer role, cached on the user object.

    An investment officer whose role is tied to a sector (a Unit of kind SECTOR) works for that sector; one whose
    role has no unit, or a unit that is not a sector (市投资促进中心, 市商务局), works city-wide."""
    cached = getattr(user, "_investment_scope", None)
    if cached is None:
        memberships = [unit for role, unit in user._memberships if role == Role.INVESTMENT]
        units = [u for u in memberships if u is not None]
        sectors = (
            set(Unit.objects.filter(pk__in=units, kind=UnitKind.SECTOR).values_list("pk", flat=True))
            if units
            else set()
        )
        city_wide = bool(memberships) and (None in memberships or len(sectors) < len(set(units)))
        cached = user._investment_scope = (city_wide, sectors)
    return cached


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Projects the user may see: all for supervisors, leaders and city-wide investment officers (see
        `investment_scope`); for a sector's investment officers and its unit users, the sector's projects; for any
        investment officer also the projects they are officer of or in the service team of. Nothing for everyone
        else (三员, applicants, raters…)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.has_role(Role.SUPERVISOR, Role.LEADER):
            return self
        city_wide, investment_sectors = investment_scope(user)
        if city_wide:
            return self
        sectors = investment_sectors | user.unit_ids(Role.UNIT)
        scope = Q(sector_id__in=sectors)
        if user.has_role(Role.INVESTMENT):
            scope |= Q(officer=user) | Q(pk__in=Project.service_team.through.objects.filter(
                user_id=user.pk).values("project_id"))  # fmt: skip
        elif not sectors:
            return self.none()
        return self.filter(scope)

    def for_list(self):
        return self.select_related("enterprise", "sector", "category", "officer", "venture_firm")

    def counted_signings(
        self, *, year: int | None = None, sector=None, category=None, channel: str | None = None,
        date_from: datetime.date | None = None, date_to: datetime.date | None = None,
    ):  # fmt: skip
        """The projects that count as signed — once each, at their first signing — optionally in a year, a date
        range, a sector, a category or a channel (see the module docstring)."""
        rows = self.filter(first_signed_on__isnull=False)
        if year:
            rows = rows.filter(first_signed_on__year=year)
        return rows.filter_by(sector=sector, category=category, channel=channel).in_range(
            "first_signed_on", date_from, date_to
        )

    def reached(
        self, stage: str, *, year: int | None = None, sector=None, category=None, channel: str | None = None,
        date_from: datetime.date | None = None, date_to: datetime.date | None = None,
    ):  # fmt: skip
        """Projects that reached `stage` (签约 and beyond), by the date they first reached it."""
        field = STAGE_DATE_FIELDS[stage]
        rows = self.filter(**{f"{field}__isnull": False})
        if year:
            rows = rows.filter(**{f"{field}__year": year})
        return rows.filter_by(sector=sector, category=category, channel=channel).in_range(
            field, date_from, date_to
        )

    def filter_by(self, *, sector=None, category=None, channel: str | None = None):
        rows = self
        if sector is not None:
            rows = rows.filter(sector=sector)
        if category is not None:
            rows = rows.filter(category=category)
        if channel:
            rows = rows.filter(channel=channel)
        return rows

    def in_range(self, field: str, date_from, date_to):
        rows = self
        if date_from:
            rows = rows.filter(**{f"{field}__gte": date_from})
        if date_to:
            rows = rows.filter(**{f"{field}__lte": date_to})
        return rows

    def signed_total(self) -> dict:
        """{"count": n, "amount": Decimal 万元} over these rows — call it on `counted_signings(...)`."""
        totals = self.order_by().aggregate(count=Count("pk"), amount=Sum("counted_amount"))
        # Quantized: SQLite and PostgreSQL then answer the same (Decimal("80000.00"), not Decimal("80000")).
        return {"count": totals["count"] or 0, "amount": Decimal(totals["amount"] or 0).quantize(CENT)}

    def overdue_next_steps(self, today: datetime.date):
        """Open projects whose agreed next step (from the latest follow-up) is past its date."""
        return self.exclude(stage=Stage.DROPPED).filter(next_step_due__lt=today)


class Project(models.Model):
    """An investment project (招商项目) of an enterprise, kept by an officer from lead to operation."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("project"), max_length=200)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), related_name="projects", on_delete=models.PROTECT
    )
    sector = models.ForeignKey(
        Unit, verbose_name=_("sector"), related_name="investment_projects", on_delete=models.PROTECT,
        limit_choices_to={"kind": UnitKind.SECTOR},
    )  # fmt: skip
    category = models.ForeignKey(
        ProjectCategory, verbose_name=_("category"), related_name="projects", on_delete=models.PROTECT
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.DIRECTED)
    venture_firm = models.ForeignKey(
        VentureFirm, verbose_name=_("venture-capital partner"), null=True, blank=True, related_name="projects",
        on_delete=models.PROTECT,
    )  # fmt: skip
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), null=True, blank=True, related_name="projects", on_delete=models.PROTECT
    )
    anchor_project = models.ForeignKey(
        "self", verbose_name=_("anchor project"), null=True, blank=True, related_name="attracted_projects",
        on_delete=models.SET_NULL, help_text=_("The landed project whose enterprise brought this one (二次招商)."),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=ProjectKind.choices, default=ProjectKind.NEW)
    base_project = models.ForeignKey(
        "self", verbose_name=_("base project"), null=True, blank=True, related_name="follow_on_projects",
        on_delete=models.PROTECT, help_text=_("The project a capital increase or an upgrade adds to."),
    )  # fmt: skip
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Money, all in 万元.
    planned_investment = models.DecimalField(
        _("planned investment (万元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    contract_amount = models.DecimalField(
        _("contract amount (万元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    increment_amount = models.DecimalField(
        _("increase or upgrade amount (万元)"), max_digits=14, decimal_places=2, null=True, blank=True,
        help_text=_("For a capital increase or an upgrade: the part that is new; only this counts."),
    )  # fmt: skip
    counted_amount = models.DecimalField(
        _("counted amount (万元)"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    funds_arrived = models.DecimalField(
        _("funds arrived (万元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    registered_capital = models.DecimalField(
        _("registered capital (万元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # People.
    responsible_leader = models.CharField(_("responsible leader (包抓领导)"), max_length=100, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), null=True, blank=True,
        related_name="investment_projects", on_delete=models.SET_NULL,
    )  # fmt: skip
    service_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("service team"), blank=True, related_name="served_projects"
    )
    # The pipeline.
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.LEAD, db_index=True
    )
    stage_since = models.DateField(_("in this stage since"))
    agreement_type = models.CharField(
        _("agreement type"), max_length=10, choices=AgreementType.choices, blank=True
    )
    agreement_date = models.DateField(_("latest agreement date"), null=True, blank=True)
    first_signed_on = models.DateField(_("first signed on"), null=True, blank=True, db_index=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    landed_on = models.DateField(_("landed on"), null=True, blank=True)
    started_on = models.DateField(_("construction started on"), null=True, blank=True)
    operating_on = models.DateField(_("operating since"), null=True, blank=True)
    dropped_on = models.DateField(_("dropped on"), null=True, blank=True)
    dropped_reason = models.CharField(_("reason for dropping"), max_length=500, blank=True)
    # The next step agreed in the latest follow-up (kept by services.add_follow_up).
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due = models.DateField(_("next step by"), null=True, blank=True, db_index=True)
    is_illustrative = models.BooleanField(_("illustrative data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["sector", "stage"])]
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.counted_amount = self.compute_counted_amount()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "counted_amount"}
        super().save(*args, **kwargs)

    def compute_counted_amount(self) -> Decimal | None:
        """The amount this project adds to signed totals (counting rule 2 of the module docstring)."""
        if self.kind in (ProjectKind.INCREASE, ProjectKind.UPGRADE):
            return self.increment_amount
        return self.contract_amount

    @property
    def is_counted(self) -> bool:
        return self.first_signed_on is not None

    @property
    def stage_rank(self) -> int:
        return stage_rank(self.stage)

    @property
    def next_stage(self) -> str | None:
        if self.stage not in STAGE_ORDER or self.stage == STAGE_ORDER[-1]:
            return None
        return STAGE_ORDER[STAGE_ORDER.index(self.stage) + 1]

    def days_in_stage(self, today: datetime.date) -> int:
        return max((today - self.stage_since).days, 0)

    def next_step_overdue(self, today: datetime.date) -> bool:
        return bool(self.next_step_due and self.next_step_due < today and self.stage != Stage.DROPPED)


class Agreement(models.Model):
    """A signing (签约) of a project: framework or formal agreement. Only the first makes the project count."""

    project = models.ForeignKey(Project, related_name="agreements", on_delete=models.CASCADE)
    agreement_type = models.CharField(_("agreement type"), max_length=10, choices=AgreementType.choices)
    signed_on = models.DateField(_("agreement date"))
    amount = models.DecimalField(_("contract amount (万元)"), max_digits=14, decimal_places=2)
    is_first = models.BooleanField(_("first signing"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"], condition=Q(is_first=True), name="one_first_agreement_per_project"
            )
        ]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return f"{self.project} · {self.get_agreement_type_display()} · {self.signed_on}"


class StageChange(models.Model):
    """One dated move of a project between stages, with the fields required by the stage entered."""

    project = models.ForeignKey(Project, related_name="stage_changes", on_delete=models.CASCADE)
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    date = models.DateField(_("date"))
    is_backward = models.BooleanField(_("moved back"), default=False)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    data = models.JSONField(_("fields given"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["project", "date"])]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.project} {self.from_stage} → {self.to_stage} {self.date}"


class FollowUp(models.Model):
    """A follow-up record (跟进记录): what happened, and the next step with its date."""

    class Method(models.TextChoices):
        VISIT = "visit", _("Visit to the enterprise")
        RECEPTION = "reception", _("Enterprise visit received")
        PHONE = "phone", _("Phone call")
        MEETING = "meeting", _("Meeting or negotiation")
        ONLINE = "online", _("Video call or messaging")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, related_name="follow_ups", on_delete=models.CASCADE)
    date = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.VISIT)
    content = models.TextField(_("content"))
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due = models.DateField(_("next step by"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.project} {self.date}"


class ProjectEvent(models.Model):
    """An entry of a project's timeline other than stage changes and follow-ups: created, edited."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Edited")
        SIGNED_AGAIN = "signed_again", _("Signed again")
        FUNDS = "funds", _("Funds arrived updated")

    project = models.ForeignKey(Project, related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("project event")
        verbose_name_plural = _("project events")

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind}"


class Policy(models.Model):
    """A classified investment policy (分类招商政策) and the conditions under which a project qualifies."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    summary = models.TextField(_("what it offers"), blank=True)
    categories = models.ManyToManyField(
        ProjectCategory, verbose_name=_("categories"), blank=True, related_name="policies",
        help_text=_("Empty: every category."),
    )  # fmt: skip
    min_investment = models.DecimalField(
        _("minimum investment (万元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    origins = models.JSONField(_("origins"), default=list, blank=True, help_text=_("Empty: any origin."))
    channels = models.JSONField(_("channels"), default=list, blank=True, help_text=_("Empty: any channel."))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("investment policy")
        verbose_name_plural = _("investment policies")

    def __str__(self) -> str:
        return f"{self.title}（{self.document_number}）" if self.document_number else self.title

    def applies_to(self, project: Project, today: datetime.date) -> bool:
        """Whether the project meets every condition: category, minimum investment (the contract amount once
        signed, else the planned investment), the enterprise's origin, the channel, and the policy is in force."""
        if not self.is_active or (self.valid_from and today < self.valid_from):
            return False
        if self.valid_until and today > self.valid_until:
            return False
        categories = [c.pk for c in self.categories.all()]
        if categories and project.category_id not in categories:
            return False
        if self.min_investment is not None:
            amount = (
                project.contract_amount if project.contract_amount is not None else project.planned_investment
            )
            if amount is None or amount < self.min_investment:
                return False
        if self.origins and project.enterprise.origin not in self.origins:
            return False
        return not (self.channels and project.channel not in self.channels)


class MeasureBinding(models.Model):
    """A task whose measured value is computed from the pipeline (自动统计) instead of being reported."""

    class Metric(models.TextChoices):
        SIGNED_COUNT = "signed_count", _("Projects signed (count)")
        SIGNED_AMOUNT = "signed_amount", _("Signed amount")
        LANDED_COUNT = "landed_count", _("Projects landed (count)")
        STARTED_COUNT = "started_count", _("Projects started (count)")
        OPERATING_COUNT = "operating_count", _("Projects operating (count)")

    class AmountUnit(models.TextChoices):
        YI = "yi", _("亿元")
        WAN = "wan", _("万元")

    task = models.OneToOneField(
        "tasks.Task", verbose_name=_("task"), related_name="investment_measure", on_delete=models.CASCADE
    )
    metric = models.CharField(_("measure"), max_length=20, choices=Metric.choices)
    amount_unit = models.CharField(
        _("amount unit"), max_length=4, choices=AmountUnit.choices, default=AmountUnit.YI
    )
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    sector = models.ForeignKey(
        Unit, verbose_name=_("sector"), null=True, blank=True, related_name="+", on_delete=models.PROTECT,
        limit_choices_to={"kind": UnitKind.SECTOR},
    )  # fmt: skip
    category = models.ForeignKey(
        ProjectCategory, verbose_name=_("category"), null=True, blank=True, related_name="+",
        on_delete=models.PROTECT,
    )  # fmt: skip
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pipeline measure")
        verbose_name_plural = _("pipeline measures")

    def __str__(self) -> str:
        return f"{self.task} · {self.get_metric_display()}"
