"""Money in 万元/亿元, Chinese dates and stage colours for the pipeline's templates."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()

YI = Decimal(10000)

STAGE_COLOURS = {
    "lead": "secondary", "negotiating": "info", "signed": "primary", "registered": "primary",
    "landed": "success", "started": "success", "operating": "success", "dropped": "dark",
}  # fmt: skip


@register.filter
def money(value, empty="—"):
    """An amount stored in 万元: "12.35亿元" from 1亿 up, else "850万元" (two decimals at most)."""
    if value in (None, ""):
        return empty
    value = Decimal(value)
    if abs(value) >= YI:
        return f"{number_format(value / YI, 2, force_grouping=True)}亿元"
    text = number_format(value.quantize(Decimal("0.01")), 2, force_grouping=True)
    if text.endswith(".00"):
        text = text[:-3]
    return f"{text}万元"


@register.filter
def yi(value):
    """An amount in 万元 as 亿元 with two decimals, without the unit (for tables headed 亿元)."""
    if value in (None, ""):
        return "—"
    return number_format(Decimal(value) / YI, 2, force_grouping=True)


@register.filter
def cndate(value):
    """2021年3月1日."""
    if not value:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def stage_colour(stage):
    return STAGE_COLOURS.get(str(stage), "secondary")


@register.filter
def get_field(form, name):
    return form[name]


@register.simple_tag
def task_measure(task):
    """`{% task_measure task as binding %}`: the task's pipeline measure, or None."""
    from tuijin.investment.measures import binding_for

    return binding_for(task)


@register.simple_tag
def measure_drilldown(binding):
    """The query string of the project list showing the rows a bound measure counts."""
    from django.http import QueryDict

    from tuijin.investment.measures import REACHED_STAGE

    params = QueryDict(mutable=True)
    if binding.metric in REACHED_STAGE:
        params["reached"] = REACHED_STAGE[binding.metric]
    if binding.year:
        params["year"] = binding.year
    if binding.sector_id:
        params["sector"] = binding.sector.code
    if binding.category_id:
        params["category"] = binding.category_id
    if binding.channel:
        params["channel"] = binding.channel
    return params.urlencode()


@register.simple_tag(takes_context=True)
def my_overdue_projects(context, limit=10):
    """Projects the signed-in investment officer keeps (officer or service team) whose next step is overdue."""
    from django.db.models import Q
    from django.utils import timezone

    from tuijin.investment.models import Project

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_role("investment"):
        return []
    mine = Project.objects.filter(Q(officer=user) | Q(service_team=user)).distinct()
    return list(
        mine.overdue_next_steps(timezone.localdate())
        .select_related("enterprise")
        .order_by("next_step_due")[:limit]
    )


@register.filter
def words(text):
    return str(text).split()


@register.filter
def can_use_pipeline(user) -> bool:
    """`{% if user|can_use_pipeline %}`: whether the 项目招商 pages open for this user (for the navigation)."""
    from tuijin.investment.access import can_use_pipeline as allowed

    return allowed(user)
