"""Analytics pages of the pipeline: the conversion page (funnel, rates, time in stage, breakdowns, targets), the
quarterly batches and the drill-down list behind every figure (see analytics.py for the definitions)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access
from . import analytics as a
from .models import COUNTING_RULES, Channel, Stage

PAGE_SIZE = 50


def _filters(request):
    form = a.AnalyticsFilterForm(request.GET, user=request.user)
    return form, a.Filters.from_form(form)


def _money_yi(value) -> float:
    return round(float(value) / 10000, 2)


def _charts(funnel, times, by_dimension) -> dict:
    """What analytics.js draws; every point carries the URL of its list."""
    charts = {
        "funnel": [{"name": row["label"], "value": row["count"], "url": row["url"]} for row in funnel],
        "times": {
            "stages": [str(row["label"]) for row in times],
            "median": [{"value": row["median"], "url": row["url"]} for row in times],
            "mean": [{"value": row["mean"], "url": row["url"]} for row in times],
            "labels": {"median": _("Median days"), "mean": _("Mean days")},
        },
    }
    for dimension, rows in by_dimension.items():
        charts[dimension] = {
            "names": [str(row["label"]) for row in rows],
            "signed": [{"value": row["signed"], "url": row["signed_url"]} for row in rows],
            "landed": [
                {"value": row["reached"][1]["count"], "url": row["reached"][1]["url"]} for row in rows
            ],
            "started": [
                {"value": row["reached"][2]["count"], "url": row["reached"][2]["url"]} for row in rows
            ],
            "amount": [{"value": _money_yi(row["amount"]), "url": row["signed_url"]} for row in rows],
            "labels": {
                "signed": _("Signed"),
                "landed": _("Landed"),
                "started": _("Construction started"),
                "amount": _("Counted amount (亿元)"),
            },  # fmt: skip
        }
    return charts


@login_required
def analytics(request):
    user = request.user
    access.require_pipeline(user)
    today = timezone.localdate()
    form, filters = _filters(request)
    funnel = a.funnel(user, filters)
    times = a.stage_times(user, filters, today)
    by_dimension = {d: a.breakdown(user, filters, d) for d, _c, _l in a.DIMENSIONS}
    context = {
        "form": form,
        "filters": filters,
        "funnel": funnel,
        "funnel_dropped": a.dropped_of_intake(user, filters),
        "funnel_definition": a.FUNNEL_DEFINITION,
        "rates": a.rates(user, filters),
        "times": times,
        "time_definition": a.STAGE_TIME_DEFINITION,
        "breakdowns": [(d, label, by_dimension[d]) for d, _c, label in a.DIMENSIONS],
        "rate_keys": [(key, label) for key, _s, label in a.RATES],
        "targets": a.targets(user, filters.year, today),
        "elapsed": round(a.elapsed_share(filters.year, today), 1) if filters.year else None,
        "charts": _charts(funnel, times, by_dimension),
        "query": filters.params().urlencode(),
        "counting_rules": COUNTING_RULES,
        "can_bind": access.can_bind_measures(user),
        "today": today,
    }
    return render(request, "investment/analytics/analytics.html", context)


@login_required
def batches(request):
    user = request.user
    access.require_pipeline(user)
    today = timezone.localdate()
    form, filters = _filters(request)
    if not filters.year:
        filters = a.Filters(year=today.year, sector=filters.sector, category=filters.category,
                            channel=filters.channel, partner=filters.partner)  # fmt: skip
    context = {
        "form": form,
        "filters": filters,
        "quarters": a.batches(user, filters, today),
        "query": filters.params().urlencode(),
        "batch_names": {
            "batch_signed": _("Signed (签约一批)"),
            "batch_started": _("Construction started (开工一批)"),
            "batch_operating": _("Operating (投产一批)"),
        },  # fmt: skip
        "counting_rules": COUNTING_RULES,
        "today": today,
    }
    return render(request, "investment/analytics/batches.html", context)


@login_required
def drill(request):
    """The projects behind one figure of the analytics pages, in the project list's table."""
    user = request.user
    access.require_pipeline(user)
    form, filters = _filters(request)
    figure = request.GET.get("figure", "")
    stage = request.GET.get("stage", "")
    try:
        quarter = int(request.GET["quarter"]) if request.GET.get("quarter") else None
        rows = a.figure_rows(user, filters, figure, stage=stage, quarter=quarter)
    except (ValueError, KeyError):
        raise Http404 from None
    signed = rows.counted_signings()
    page = Paginator(rows.for_list().order_by("-stage_since", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    for project in page.object_list:
        project.overdue = project.next_step_overdue(today)
    context = {
        "form": form,
        "filters": filters,
        "caption": a.figure_caption(filters, figure, stage=stage, quarter=quarter),
        "figure": figure,
        "page": page,
        "funds": signed.order_by().aggregate(funds=Sum("funds_arrived"))["funds"] or a.ZERO,
        "filtered_total": signed.signed_total(),
        "query": filters.params().urlencode(),
        "counting_rules": COUNTING_RULES,
        "channel_label": Channel(filters.channel).label if filters.channel else "",
        "stage_label": Stage(stage).label if stage in Stage.values else "",
        "today": today,
    }
    template = "investment/analytics/projects.html"
    if request.htmx and not request.htmx.boosted:
        template += "#rows"
    return render(request, template, context)
