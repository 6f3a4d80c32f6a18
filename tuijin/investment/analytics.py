"""Conversion analytics of the pipeline: the funnel, the rates, the time spent in each stage, breakdowns, progress
against the annual targets and the quarterly batches (签约一批 / 开工一批 / 投产一批).

Every figure is a count (or a sum) over a queryset that `figure_rows` can return as a list, so each figure links
to the very rows it counts (`drill_url`) and the two can never disagree. The querysets all start from
`Project.objects.visible_to(user)` and the page's filters (sector, category, channel, venture-capital partner).

Definitions (shown beside the figures on the page, `RATE_DEFINITIONS`):

- The signing cohort of a year: the projects counted as signed in it — once each, at their first signing
  (`counted_signings`, counting rules of models.py). With no year, every project ever signed.
- A project has *reached* 注册 / 落地 / 开工 / 投产 when the date of that stage or of a later one is set (a project
  may skip a stage; moving back clears the dates of the stages above, so a reach that did not happen after all
  does not count).
- 履约率 performance rate = cohort projects that reached 注册 ÷ cohort; 落地率 = reached 落地 ÷ cohort;
  开工率 = reached 开工 ÷ cohort; 投产率 = reached 投产 ÷ cohort — as of today.
- 资金到位率 funds-arrived rate = Σ funds arrived ÷ Σ counted amount over the cohort (the counted amount of a
  capital increase or an upgrade is the increase only).
- The funnel: the projects that entered the pipeline in the year (the date of their first stage, 线索 or 洽谈) and
  the stages they have reached since; a dropped project counts up to the stage it had reached.
- Time in a stage: for each project, the days between entering a stage and leaving it (its next stage change),
  summed when it was in that stage twice; spells that ended in the year; median and mean over the projects.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.org.models import Unit, UnitKind

from . import access
from .models import STAGE_ORDER, Channel, Project, ProjectCategory, Stage, StageChange, VentureFirm

ZERO = Decimal("0")

# "Reached the stage or a later one", by the dates the pipeline keeps.
REACHED = {
    Stage.SIGNED: Q(first_signed_on__isnull=False),
    Stage.REGISTERED: Q(registered_on__isnull=False) | Q(landed_on__isnull=False) | Q(started_on__isnull=False)
    | Q(operating_on__isnull=False),
    Stage.LANDED: Q(landed_on__isnull=False) | Q(started_on__isnull=False) | Q(operating_on__isnull=False),
    Stage.STARTED: Q(started_on__isnull=False) | Q(operating_on__isnull=False),
    Stage.OPERATING: Q(operating_on__isnull=False),
}  # fmt: skip

# The rates over the signing cohort: (key, numerator stage, label).
RATES = [
    ("performance", Stage.REGISTERED, _("Performance rate (履约率)")),
    ("landing", Stage.LANDED, _("Landing rate (落地率)")),
    ("start", Stage.STARTED, _("Start rate (开工率)")),
    ("operation", Stage.OPERATING, _("Operation rate (投产率)")),
]
RATE_DEFINITIONS = {
    "performance": _("Projects first signed in the period that have registered (注册) or gone further, ÷ projects "
                     "first signed in the period."),
    "landing": _("Projects first signed in the period that have landed (落地/入驻) or gone further, ÷ projects first "
                 "signed in the period."),
    "start": _("Projects first signed in the period whose construction has started (开工) or that operate, ÷ projects "
               "first signed in the period."),
    "operation": _("Projects first signed in the period that operate (投产/运营), ÷ projects first signed in the "
                   "period."),
    "funds": _("Funds arrived ÷ counted contract amount, over the projects first signed in the period (for a capital "
               "increase or an upgrade, the increase only)."),
}  # fmt: skip
FUNNEL_DEFINITION = _("Projects that entered the pipeline in the period (as a lead or in negotiation) and the "
                      "furthest stage each has reached since; a dropped project counts up to the stage it had "
                      "reached.")  # fmt: skip
STAGE_TIME_DEFINITION = _("Days from entering a stage to the next stage change, per project (added up when a project "
                          "was in a stage twice), for stays that ended in the period. Projects still in a stage are "
                          "counted apart.")  # fmt: skip

# The figures a list can be drilled into: figure -> what the list shows (with the stage or quarter it takes).
FIGURES = {
    "entered": _("Entered the pipeline in %(period)s and reached %(stage)s"),
    "signed": _("Counted as signed in %(period)s"),
    "reached": _("Counted as signed in %(period)s and reached %(stage)s"),
    "dropped": _("Counted as signed in %(period)s and dropped since"),
    "stay": _("Stayed in %(stage)s, the stay ended in %(period)s"),
    "batch_signed": _("Signed in %(quarter)s (签约一批)"),
    "batch_started": _("Construction started in %(quarter)s (开工一批)"),
    "batch_operating": _("Started operating in %(quarter)s (投产一批)"),
}
BATCH_FIELDS = {
    "batch_signed": "first_signed_on",
    "batch_started": "started_on",
    "batch_operating": "operating_on",
}
QUARTER_NAMES = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}


class AnalyticsFilterForm(forms.Form):
    """The page's filters; the parameter names and values are those of the project list (forms.ProjectFilterForm),
    so a filtered drill-down link reads the same."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    sector = forms.ModelChoiceField(label=_("Sector"), required=False, queryset=Unit.objects.none(),
                                    to_field_name="code", empty_label=_("All sectors"))  # fmt: skip
    category = forms.ModelChoiceField(label=_("Category"), required=False, queryset=ProjectCategory.objects.none(),
                                      empty_label=_("All categories"))  # fmt: skip
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )
    partner = forms.ModelChoiceField(label=_("Venture-capital partner"), required=False,
                                     queryset=VentureFirm.objects.none(), to_field_name="code",
                                     empty_label=_("All partners"))  # fmt: skip

    def __init__(self, data=None, *, user=None, **kwargs):
        if data is not None and "year" not in data:
            # No year asked for: this year. An empty year (?year=) means every year.
            data = data.copy()
            data["year"] = str(timezone.localdate().year)
        super().__init__(data, **kwargs)
        sectors = Unit.objects.active().filter(kind=UnitKind.SECTOR)
        if user is not None and not access.sees_all(user):
            sectors = sectors.filter(pk__in=Project.objects.visible_to(user).values("sector_id"))
        self.fields["sector"].queryset = sectors
        self.fields["category"].queryset = ProjectCategory.objects.all()
        self.fields["partner"].queryset = VentureFirm.objects.all()


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    sector: Unit | None = None
    category: ProjectCategory | None = None
    channel: str = ""
    partner: VentureFirm | None = None

    @classmethod
    def from_form(cls, form: AnalyticsFilterForm) -> Filters:
        if not form.is_valid():
            return cls(year=timezone.localdate().year)
        data = form.cleaned_data
        return cls(year=data.get("year"), sector=data.get("sector"), category=data.get("category"),
                   channel=data.get("channel") or "", partner=data.get("partner"))  # fmt: skip

    @property
    def period(self) -> str:
        return f"{self.year}年" if self.year else str(_("every year"))

    def params(self, **extra) -> QueryDict:
        """The query string of these filters (plus `extra`), as the project list and the drill-down read it."""
        params = QueryDict(mutable=True)
        params["year"] = str(self.year or "")
        if self.sector is not None:
            params["sector"] = str(self.sector.code)
        if self.category is not None:
            params["category"] = str(self.category.pk)
        if self.channel:
            params["channel"] = self.channel
        if self.partner is not None:
            params["partner"] = str(self.partner.code)
        for name, value in extra.items():
            if value not in (None, ""):
                params[name] = str(value)
        return params

    def with_dimension(self, dimension: str, value) -> Filters:
        fields = {"year": self.year, "sector": self.sector, "category": self.category, "channel": self.channel,
                  "partner": self.partner}  # fmt: skip
        fields[dimension] = value
        return Filters(**fields)


def year_bounds(year: int | None) -> tuple[datetime.date | None, datetime.date | None]:
    if not year:
        return None, None
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(year, 3 * quarter - 2, 1)
    last = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return first, last - datetime.timedelta(days=1)


def base(user, filters: Filters):
    """The projects the user may see, narrowed by the page's filters."""
    rows = Project.objects.visible_to(user)
    if filters.sector is not None:
        rows = rows.filter(sector=filters.sector)
    if filters.category is not None:
        rows = rows.filter(category=filters.category)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.partner is not None:
        rows = rows.filter(venture_firm=filters.partner)
    return rows


def cohort(user, filters: Filters):
    """The signing cohort: the projects counted as signed in the year (every year when none)."""
    return base(user, filters).counted_signings(year=filters.year)


def _negotiated():
    return Exists(StageChange.objects.filter(project=OuterRef("pk"), to_stage__in=STAGE_ORDER[1:]))


def entered(user, filters: Filters):
    """The projects that entered the pipeline in the year: the date of their first stage change."""
    first = StageChange.objects.filter(project=OuterRef("pk")).order_by("date", "id").values("date")[:1]
    rows = base(user, filters).annotate(entered_on=Subquery(first), negotiated=_negotiated())
    start, end = year_bounds(filters.year)
    if start:
        rows = rows.filter(entered_on__gte=start, entered_on__lte=end)
    return rows


def funnel_q(stage: str) -> Q:
    if stage == Stage.LEAD:
        return Q()
    if stage == Stage.NEGOTIATING:
        return Q(negotiated=True)
    return REACHED[stage]


def figure_rows(user, filters: Filters, figure: str, *, stage: str = "", quarter: int | None = None):
    """The rows a figure counts — the drill-down list of `drill_url(figure, …)`. Raises ValueError for a figure,
    stage or quarter that does not exist (the view answers 404)."""
    if figure == "entered":
        if stage not in STAGE_ORDER:
            raise ValueError(stage)
        return entered(user, filters).filter(funnel_q(stage))
    if figure == "signed":
        return cohort(user, filters)
    if figure == "reached":
        if stage not in REACHED:
            raise ValueError(stage)
        return cohort(user, filters).filter(REACHED[stage])
    if figure == "dropped":
        return cohort(user, filters).filter(stage=Stage.DROPPED)
    if figure == "stay":
        if stage not in STAGE_ORDER:
            raise ValueError(stage)
        ids = [pk for pk, days in stays(user, filters)[stage].items()]
        return base(user, filters).filter(pk__in=ids)
    if figure in BATCH_FIELDS:
        if not filters.year or quarter not in (1, 2, 3, 4):
            raise ValueError(quarter)
        first, last = quarter_bounds(filters.year, quarter)
        field = BATCH_FIELDS[figure]
        return base(user, filters).filter(**{f"{field}__gte": first, f"{field}__lte": last})
    raise ValueError(figure)


def figure_caption(filters: Filters, figure: str, *, stage: str = "", quarter: int | None = None) -> str:
    label = Stage(stage).label if stage in Stage.values else ""
    quarter_text = f"{filters.year}年{QUARTER_NAMES.get(quarter or 0, '')}"
    return str(FIGURES[figure]) % {"period": filters.period, "stage": label, "quarter": quarter_text}


def drill_url(filters: Filters, figure: str, **extra) -> str:
    return reverse("investment_analytics_projects") + "?" + filters.params(figure=figure, **extra).urlencode()


def list_url(filters: Filters, **extra) -> str:
    """The project list with the page's sector, category, channel and partner (and `extra`), any year."""
    params = filters.params(**extra)
    if "year" not in extra:
        params.pop("year", None)
    return reverse("investment_project_list") + "?" + params.urlencode()


# ——— the figures ———


def _share(part, whole) -> float | None:
    if not whole:
        return None
    return float(Decimal(part) * 100 / Decimal(whole))


def funnel(user, filters: Filters) -> list[dict]:
    """One row per stage: how many projects of the year's intake reached it (one query)."""
    counts = entered(user, filters).aggregate(
        **{stage: Count("pk", filter=funnel_q(stage)) for stage in STAGE_ORDER},
        dropped=Count("pk", filter=Q(stage=Stage.DROPPED)),
    )
    rows = []
    first = counts[Stage.LEAD]
    for stage in STAGE_ORDER:
        rows.append({"stage": stage, "label": Stage(stage).label, "count": counts[stage],
                     "share": _share(counts[stage], first), "url": drill_url(filters, "entered", stage=stage)})  # fmt: skip
    return rows


def dropped_of_intake(user, filters: Filters) -> int:
    return entered(user, filters).filter(stage=Stage.DROPPED).count()


def rates(user, filters: Filters) -> dict:
    """The signed totals of the cohort, the four stage rates and the funds-arrived rate (one query)."""
    totals = cohort(user, filters).order_by().aggregate(
        signed=Count("pk"), amount=Sum("counted_amount"), funds=Sum("funds_arrived"),
        dropped=Count("pk", filter=Q(stage=Stage.DROPPED)),
        **{key: Count("pk", filter=REACHED[stage]) for key, stage, _label in RATES},
    )  # fmt: skip
    signed = totals["signed"]
    amount, funds = totals["amount"] or ZERO, totals["funds"] or ZERO
    signed_url = drill_url(filters, "signed")
    items = [
        {"key": key, "label": label, "count": totals[key], "of": signed, "rate": _share(totals[key], signed),
         "definition": RATE_DEFINITIONS[key], "url": drill_url(filters, "reached", stage=stage),
         "of_url": signed_url}
        for key, stage, label in RATES
    ]  # fmt: skip
    items.append({"key": "funds", "label": _("Funds-arrived rate (资金到位率)"), "money": True, "count": funds,
                  "of": amount, "rate": _share(funds, amount), "definition": RATE_DEFINITIONS["funds"],
                  "url": signed_url, "of_url": signed_url})  # fmt: skip
    return {"signed": signed, "amount": amount, "funds": funds, "dropped": totals["dropped"], "rates": items,
            "signed_url": signed_url, "dropped_url": drill_url(filters, "dropped")}  # fmt: skip


def stays(user, filters: Filters) -> dict[str, dict[int, int]]:
    """{stage: {project id: days in that stage}} over the stays that ended in the year (every year when none)."""
    start, end = year_bounds(filters.year)
    moves = (StageChange.objects.filter(project__in=base(user, filters).values("pk"))
             .order_by("project_id", "date", "id").values_list("project_id", "to_stage", "date"))  # fmt: skip
    found: dict[str, dict[int, int]] = {stage: defaultdict(int) for stage in STAGE_ORDER}
    previous = None
    for project_id, to_stage, date in moves.iterator(chunk_size=2000):
        if previous is not None and previous[0] == project_id and previous[1] in found:
            ended_in_period = start is None or start <= date <= end
            if ended_in_period:
                found[previous[1]][project_id] += (date - previous[2]).days
        previous = (project_id, to_stage, date)
    return found


def stage_times(user, filters: Filters, today: datetime.date) -> list[dict]:
    """Median and mean days in each stage (closed stays), and the projects in it now with their days so far."""
    found = stays(user, filters)
    now: dict[str, list[int]] = defaultdict(list)
    for stage, since in base(user, filters).exclude(stage=Stage.DROPPED).values_list("stage", "stage_since"):
        now[stage].append(max((today - since).days, 0))
    rows = []
    for stage in STAGE_ORDER[:-1]:  # nobody leaves 投产/运营: it has no stays to measure
        days = list(found[stage].values())
        current = now.get(stage, [])
        rows.append({
            "stage": stage, "label": Stage(stage).label, "count": len(days),
            "median": statistics.median(days) if days else None,
            "mean": round(sum(days) / len(days), 1) if days else None,
            "url": drill_url(filters, "stay", stage=stage),
            "now": len(current), "now_median": statistics.median(current) if current else None,
            "now_url": list_url(filters, stage=stage),
        })  # fmt: skip
    return rows


DIMENSIONS = [
    ("sector", "sector_id", _("By sector")),
    ("category", "category_id", _("By category")),
    ("channel", "channel", _("By channel")),
    ("partner", "venture_firm_id", _("By venture-capital partner")),
]


def breakdown(user, filters: Filters, dimension: str) -> list[dict]:
    """The cohort's figures per sector, category, channel or partner (one query, plus the names)."""
    column = dict((d, c) for d, c, _label in DIMENSIONS)[dimension]
    rows = cohort(user, filters).order_by().values(column).annotate(
        signed=Count("pk"), amount=Sum("counted_amount"), funds=Sum("funds_arrived"),
        **{key: Count("pk", filter=REACHED[stage]) for key, stage, _label in RATES},
    )  # fmt: skip
    rows = [r for r in rows if r[column] not in (None, "")]
    keys = [r[column] for r in rows]
    if dimension == "sector":
        objects = Unit.objects.in_bulk(keys)
        name = {pk: (u.short_name or u.name) for pk, u in objects.items()}
    elif dimension == "category":
        objects = ProjectCategory.objects.in_bulk(keys)
        name = {pk: c.name for pk, c in objects.items()}
    elif dimension == "partner":
        objects = VentureFirm.objects.in_bulk(keys)
        name = {pk: f.name for pk, f in objects.items()}
    else:
        objects = {value: value for value in keys}
        name = {value: Channel(value).label if value in Channel.values else value for value in keys}
    result = []
    for row in rows:
        key = row[column]
        narrowed = filters.with_dimension(dimension, objects.get(key))
        amount, funds = row["amount"] or ZERO, row["funds"] or ZERO
        result.append({
            "label": name.get(key, "?"), "signed": row["signed"], "amount": amount, "funds": funds,
            "funds_rate": _share(funds, amount), "signed_url": drill_url(narrowed, "signed"),
            "reached": [{"key": k, "count": row[k], "rate": _share(row[k], row["signed"]),
                         "url": drill_url(narrowed, "reached", stage=stage)} for k, stage, _label in RATES],
        })  # fmt: skip
    result.sort(key=lambda r: (-r["amount"], -r["signed"], str(r["label"])))
    return result


# ——— targets and time-proportional progress (序时进度) ———


def elapsed_share(year: int, today: datetime.date) -> float:
    """The share of the year gone by today, in % (100 for a past year, 0 for a future one)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if today < first:
        return 0.0
    if today >= last:
        return 100.0
    return ((today - first).days + 1) * 100 / ((last - first).days + 1)


def pace(progress: float | None, elapsed: float) -> str:
    """ahead (at or above 序时进度), behind (within 10 points below) or lagging (more than 10 below)."""
    if progress is None:
        return ""
    if progress >= elapsed:
        return "ahead"
    return "behind" if progress >= elapsed - 10 else "lagging"


def targets(user, year: int | None, today: datetime.date) -> list[dict]:
    """The tasks whose measure is bound to the pipeline for the year: their target, the figure measured from the
    pipeline, progress and pace against 序时进度. A sector's people see their sectors' targets; the city-wide ones
    only those who see every project."""
    from tuijin.tasks.models import Task

    from .measures import compute, progress_of
    from .models import MeasureBinding

    if not year:
        return []
    bindings = MeasureBinding.objects.filter(year=year).select_related("sector", "category", "task")
    if not access.sees_all(user):
        sectors = set(Project.objects.visible_to(user).values_list("sector_id", flat=True).distinct())
        sectors |= (
            set(access.sectors_for(user).values_list("pk", flat=True)) if access.is_officer(user) else set()
        )
        bindings = bindings.filter(sector_id__in=sectors)
    visible_tasks = set(Task.objects.visible_to(user).filter(pk__in=[b.task_id for b in bindings])
                        .values_list("pk", flat=True))  # fmt: skip
    elapsed = elapsed_share(year, today)
    rows = []
    for binding in bindings.order_by("task__plan_id", "task__number", "task_id"):
        task = binding.task
        value = compute(binding)
        progress = progress_of(value, task.measure_quantity)
        rows.append({
            "binding": binding, "task": task, "task_visible": task.pk in visible_tasks, "value": value,
            "target": task.measure_quantity, "unit": task.measure_unit, "progress": progress,
            "elapsed": round(elapsed, 1), "pace": pace(progress, elapsed),
        })  # fmt: skip
    return rows


# ——— quarterly batches ———


def batches(user, filters: Filters, today: datetime.date) -> list[dict]:
    """签约一批 / 开工一批 / 投产一批 per quarter of the year, up to the current quarter (three queries)."""
    if not filters.year:
        return []
    start, end = year_bounds(filters.year)
    quarters = [q for q in (1, 2, 3, 4) if quarter_bounds(filters.year, q)[0] <= today]
    lists: dict[tuple[str, int], list] = defaultdict(list)
    for figure, field in BATCH_FIELDS.items():
        rows = (base(user, filters).filter(**{f"{field}__gte": start, f"{field}__lte": end}).for_list()
                .order_by(field, "id"))  # fmt: skip
        for project in rows:
            day = getattr(project, field)
            project.batch_date = day
            lists[(figure, (day.month - 1) // 3 + 1)].append(project)
    result = []
    for quarter in quarters:
        result.append({
            "quarter": quarter, "label": f"{filters.year}年{QUARTER_NAMES[quarter]}",
            "batches": [{"figure": figure, "projects": lists[(figure, quarter)],
                         "url": drill_url(filters, figure, quarter=quarter)} for figure in BATCH_FIELDS],
        })  # fmt: skip
    return result
