"""The service desk's part of the periodic pass (`tuijin tick`, tuijin/supervision/tick.py STEPS):

- clocks computed Monday–Friday for want of a year's calendar are computed again once an admin has entered it;
- a request not acknowledged in time: a reminder (催办) to its unit, once per day while it lasts;
- a request past its reply time limit: a red notice to its unit and to the supervision office, from the day after
  the deadline, once per day while it lasts (PRODUCT.md: "reminder the day after the deadline");
- replies not rated within the policy's working days are closed as they stand;
- when the call-backs of the last 30 days cover less than the policy's share of closed requests, the supervision
  office is told once a week.

Idempotent: notices are keyed by request and day, so a second pass at the same `now` sends nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.notifications import services as notifications

from . import clocks, services
from .models import AWAITING_ACK, OPEN_STATES, Callback, Event, Policy, ServiceRequest, State


@transaction.atomic
def refresh_provisional(now: datetime.datetime) -> int:
    changed = 0
    for req in ServiceRequest.objects.select_for_update().filter(clock_provisional=True, state__in=OPEN_STATES
                                                                 ).select_related("category"):  # fmt: skip
        clock = clocks.clock_for(req.category, started=req.clock_started_at, ack_from=req.ack_from)
        if clock.provisional:
            continue
        for ext in req.extensions.filter(approved=True).order_by("decided_at"):
            clock.due, _p = clocks.extend(clock.due, ext.days)
        ServiceRequest.objects.filter(pk=req.pk).update(
            ack_due=clock.ack_due, due=clock.due, clock_provisional=False
        )
        changed += 1
    return changed


def remind_overdue(now: datetime.datetime) -> tuple[int, int]:
    """(acknowledgement reminders, overdue notices) created."""
    today = timezone.localdate(now)
    acks = overdue = 0
    late_ack = ServiceRequest.objects.filter(state__in=AWAITING_ACK, ack_due__lt=now).select_related("unit")
    for req in late_ack.order_by("pk"):
        url = reverse("servicedesk_detail", args=[req.code])
        made = notifications.notify_units(
            units=[req.unit_id], key=f"servicedesk:ack-late:{req.code}:{today}", kind="servicedesk", url=url,
            level="yellow", now=now,
            title=_("Reminder: acknowledge service request %(n)s (%(t)s)") % {"n": req.number, "t": req.title},
        )  # fmt: skip
        if made:
            acks += 1
            Event.objects.create(request=req, kind=Event.Kind.REMINDED, at=now, unit=req.unit,
                                 text=_("not acknowledged in time"))  # fmt: skip
    # from the day after the deadline
    day_after = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    late = ServiceRequest.objects.filter(state__in=OPEN_STATES, due__lt=day_after).select_related("unit")
    for req in late.order_by("pk"):
        url = reverse("servicedesk_detail", args=[req.code])
        key = f"servicedesk:overdue:{req.code}:{today}"
        title = _("Overdue service request %(n)s at %(u)s: %(t)s") % {
            "n": req.number,
            "u": req.unit,
            "t": req.title,
        }
        made = notifications.notify_units(units=[req.unit_id], key=key, kind="servicedesk", url=url, level="red",
                                          now=now, title=title)  # fmt: skip
        notifications.notify_supervisors(
            key=key, kind="servicedesk", url=url, level="red", now=now, title=title
        )
        if made:
            overdue += 1
            Event.objects.create(request=req, kind=Event.Kind.REMINDED, at=now, unit=req.unit,
                                 text=_("past its time limit"))  # fmt: skip
    return acks, overdue


def callback_coverage(now: datetime.datetime, days: int = 30) -> tuple[int, int]:
    """(closed requests called back, closed requests) over the last `days` days."""
    since = now - datetime.timedelta(days=days)
    closed = ServiceRequest.objects.filter(state=State.CLOSED, closed_at__gte=since)
    called = Callback.objects.filter(request__in=closed).values("request_id").distinct().count()
    return called, closed.count()


def remind_callbacks(now: datetime.datetime) -> bool:
    called, closed = callback_coverage(now)
    share = Policy.current().callback_percent
    if not closed or called * 100 >= share * closed:
        return False
    week = timezone.localdate(now).isocalendar()
    made = notifications.notify_supervisors(
        key=f"servicedesk:callbacks:{week[0]}-{week[1]}", kind="servicedesk", level="yellow", now=now,
        url=reverse("servicedesk_list") + "?state=closed&callback=none",
        title=_("Call-backs cover %(c)s of %(n)s closed service requests; the policy asks for %(s)s%%")
        % {"c": called, "n": closed, "s": share},
    )  # fmt: skip
    return bool(made)


def step_servicedesk(now: datetime.datetime) -> str:
    """Add to tuijin/supervision/tick.py STEPS as ("servicedesk", step_servicedesk), before "sending"."""
    recomputed = refresh_provisional(now)
    acks, overdue = remind_overdue(now)
    closed = services.close_unrated(now=now)
    callbacks = remind_callbacks(now)
    return (f"ack reminders: {acks}, overdue notices: {overdue}, closed unrated: {closed}, "
            f"clocks recomputed: {recomputed}" + ("; call-backs below the share" if callbacks else ""))  # fmt: skip
