"""Assessment indicators of the service desk: per unit, the on-time rate and the satisfaction rate.

- On-time rate (诉求办理及时率): the requests of the unit replied in the period, plus those still open whose reply
  clock ran out in it; on time = acknowledged and replied within their clocks. A reopened request answered late
  the second time is late.
- Satisfaction rate (诉求满意率): the requests of the unit closed, replied or called back in the period that have a
  verdict;
  the verdict is the latest call-back (回访) if there is one, else the enterprise's own rating. Satisfied and
  basically satisfied count as satisfied. Call-backs thus count toward the unit's rate.

The unit of a request is the unit it is routed to now (after transfers).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import OPEN_STATES, SATISFIED_VALUES, Callback, Satisfaction, ServiceRequest

_url_pattern: list[str] = []


def _request_url(code) -> str:
    if not _url_pattern:
        from django.urls import reverse

        marker = "00000000-0000-0000-0000-000000000000"
        _url_pattern.append(reverse("servicedesk_detail", args=[marker]).replace(marker, "{}"))
    return _url_pattern[0].format(code)


def _source(req, note: str, counted: bool) -> dict:
    return {"kind": "service_request", "code": str(req["code"]), "label": f"{req['number']} {req['title']}"[:80],
            "url": _request_url(req["code"]), "note": note, "counted": counted}  # fmt: skip


def _bounds(period_start: datetime.date, period_end: datetime.date):
    from tuijin.assessment.records import as_of

    end = as_of(period_end)
    start = timezone.make_aware(datetime.datetime.combine(period_start, datetime.time.min))
    stop = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min))
    return start, stop


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


FIELDS = ("pk", "code", "number", "title", "unit_id", "state", "due", "replied_at", "closed_at", "ack_late",
          "reply_late", "satisfaction")  # fmt: skip


def on_time_rate(units, period_start, period_end, tasks, params):
    from tuijin.assessment.registry import Measurement

    start, stop = _bounds(period_start, period_end)
    rows = (ServiceRequest.objects.filter(unit_id__in=[u.pk for u in units])
            .filter(Q(replied_at__gte=start, replied_at__lt=stop)
                    | Q(state__in=OPEN_STATES, due__gte=start, due__lt=min(stop, timezone.now())))
            .order_by("raised_at", "pk").values(*FIELDS))  # fmt: skip
    by_unit: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_unit[row["unit_id"]].append(row)
    result = {}
    for unit in units:
        sources, hits = [], 0
        for row in by_unit.get(unit.pk, []):
            if row["replied_at"] is None:
                ok, note = False, _("still open after its time limit")
            else:
                ok = not (row["ack_late"] or row["reply_late"])
                note = (
                    _("acknowledged and replied in time")
                    if ok
                    else (_("replied late") if row["reply_late"] else _("acknowledged late"))
                )
            hits += ok
            sources.append(_source(row, note, ok))
        if sources:
            value = hits / len(sources)
            formula = _("on time %(hits)s / due %(total)s = %(rate)s") % {
                "hits": hits, "total": len(sources), "rate": _pct(value)}  # fmt: skip
        else:
            value, formula = 1.0, _("no service request of the unit was due in the period: full marks")
        result[unit.pk] = Measurement(value=value, formula=formula, sources=sources)
    return result


def satisfaction_rate(units, period_start, period_end, tasks, params):
    from tuijin.assessment.registry import Measurement

    start, stop = _bounds(period_start, period_end)
    rows = list(ServiceRequest.objects.filter(unit_id__in=[u.pk for u in units])
                .filter(Q(closed_at__gte=start, closed_at__lt=stop) | Q(replied_at__gte=start, replied_at__lt=stop)
                        | Q(callbacks__called_on__gte=start.date(), callbacks__called_on__lt=stop.date()))
                .distinct().order_by("raised_at", "pk").values(*FIELDS))  # fmt: skip
    latest_callback: dict[int, str] = {}
    for request_id, verdict in (Callback.objects.filter(request_id__in=[r["pk"] for r in rows], called_on__lt=stop.date())
                                .order_by("called_on", "pk").values_list("request_id", "satisfaction")):  # fmt: skip
        latest_callback[request_id] = verdict
    by_unit: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_unit[row["unit_id"]].append(row)
    result = {}
    for unit in units:
        sources, hits, total = [], 0, 0
        for row in by_unit.get(unit.pk, []):
            called = latest_callback.get(row["pk"])
            verdict = called or row["satisfaction"]
            if not verdict:
                sources.append(_source(row, _("no rating and no call-back: not counted"), False))
                continue
            ok = verdict in SATISFIED_VALUES
            total += 1
            hits += ok
            label = Satisfaction(verdict).label
            note = (_("call-back: %(v)s") if called else _("enterprise's rating: %(v)s")) % {"v": label}
            sources.append(_source(row, note, ok))
        if total:
            value = hits / total
            formula = _("satisfied %(hits)s / rated or called back %(total)s = %(rate)s") % {
                "hits": hits, "total": total, "rate": _pct(value)}  # fmt: skip
        else:
            value, formula = 1.0, _("no rated service request in the period: full marks")
        result[unit.pk] = Measurement(value=value, formula=formula, sources=sources)
    return result


def register_indicators() -> None:
    """Add the service desk's calculators to the assessment registry; called from ServicedeskConfig.ready()."""
    from tuijin.assessment.registry import register

    register("servicedesk.on_time_rate", gettext_lazy("Service requests handled on time (诉求办理及时率)"),
             on_time_rate)  # fmt: skip
    register("servicedesk.satisfaction_rate", gettext_lazy("Satisfaction with service requests (诉求满意率)"),
             satisfaction_rate)  # fmt: skip
