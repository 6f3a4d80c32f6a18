"""Writes to programmes and activities (each checks, validates, saves and audits in one transaction), the
countdown, and the read-only panel for the cockpit."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import record, snapshot
from tuijin.lib.masking import mask_phone
from tuijin.tasks import services as task_services
from tuijin.tasks.models import Plan

from .access import require_organiser, visible_programmes
from .models import Activity, Programme, default_categories
from .summary import readiness_by_programme, task_counts


class EventError(Exception):
    """The change is not allowed or not valid; the message says why, for the user."""


# ——— programmes ———

PROGRAMME_FIELDS = ["name", "plan_id", "start_date", "end_date", "organiser_id", "description", "categories"]


def _check_programme_dates(start_date, end_date) -> None:
    if start_date and end_date and end_date < start_date:
        raise EventError(_("The last day cannot be before the first day."))


def activities_outside(programme: Programme, start_date, end_date) -> list[Activity]:
    return list(programme.activities.filter(Q(date__lt=start_date) | Q(date__gt=end_date)))


@transaction.atomic
def create_programme(
    *, actor, name: str, start_date: datetime.date, end_date: datetime.date, organiser, description: str = "",
    categories: Sequence[str] | None = None, plan: Plan | None = None,
) -> Programme:  # fmt: skip
    """A programme on an event plan; without one, a new event plan is made for its preparation tasks."""
    require_organiser(actor)
    _check_programme_dates(start_date, end_date)
    if plan is None:
        plan_name = _("%(name)s preparation tasks") % {"name": name}
        if Plan.objects.filter(name=plan_name).exists():
            raise EventError(
                _("A plan named “%(name)s” exists already; choose it instead.") % {"name": plan_name}
            )
        plan = task_services.create_plan(
            actor=actor, name=plan_name, year=start_date.year, kind=Plan.Kind.EVENT,
            start_date=timezone.localdate(), cadence="weekly", owner_unit=organiser,
        )  # fmt: skip
    elif plan.kind != Plan.Kind.EVENT:
        raise EventError(_("Choose an event programme plan."))
    elif Programme.objects.filter(plan=plan).exists():
        raise EventError(_("This plan belongs to another programme already."))
    programme = Programme.objects.create(
        name=name, plan=plan, start_date=start_date, end_date=end_date, organiser=organiser,
        description=description, categories=list(categories or default_categories()),
    )  # fmt: skip
    record(
        actor=actor,
        action="events.programme.create",
        obj=programme,
        after=snapshot(programme, PROGRAMME_FIELDS),
    )
    return programme


@transaction.atomic
def update_programme(*, actor, programme: Programme, **fields) -> Programme:
    require_organiser(actor)
    before = snapshot(programme, PROGRAMME_FIELDS)
    for name, value in fields.items():
        setattr(programme, name, value)
    _check_programme_dates(programme.start_date, programme.end_date)
    outside = activities_outside(programme, programme.start_date, programme.end_date)
    if outside:
        raise EventError(
            _("These activities would fall outside the programme's days: %(list)s.")
            % {"list": "、".join(f"{a.title}（{a.date:%Y-%m-%d}）" for a in outside)}
        )
    if not programme.categories:
        raise EventError(_("Name at least one preparation category."))
    programme.save()
    record(actor=actor, action="events.programme.update", obj=programme, before=before,
           after=snapshot(programme, PROGRAMME_FIELDS))  # fmt: skip
    return programme


# ——— activities ———

ACTIVITY_FIELDS = [
    "title", "date", "start_time", "end_time", "venue", "lead_unit_id", "capacity", "contact_name",
    "contact_phone", "notes", "is_main",
]  # fmt: skip


def activity_snapshot(activity: Activity) -> dict:
    data = snapshot(activity, ACTIVITY_FIELDS)
    data["contact_phone"] = mask_phone(activity.contact_phone)  # never plaintext personal data in the log
    for name in ("start_time", "end_time"):
        value = getattr(activity, name)
        data[name] = f"{value:%H:%M}" if value else None
    data["supporting_units"] = sorted(u.name for u in activity.supporting_units.all()) if activity.pk else []
    return data


def activity_problems(programme: Programme, *, date, start_time, end_time, is_main=False,
                      instance: Activity | None = None) -> dict[str, str]:  # fmt: skip
    """What is wrong with these values, by field name ("" for the whole form)."""
    problems: dict[str, str] = {}
    if start_time and end_time and end_time <= start_time:
        problems["end_time"] = _("The activity must end after it starts.")
    if date and not programme.start_date <= date <= programme.end_date:
        problems["date"] = _("Choose a day of the programme, %(start)s to %(end)s.") % {
            "start": f"{programme.start_date:%Y-%m-%d}", "end": f"{programme.end_date:%Y-%m-%d}"}  # fmt: skip
    if is_main:
        other = programme.activities.filter(is_main=True)
        if instance is not None and instance.pk:
            other = other.exclude(pk=instance.pk)
        main = other.first()
        if main:
            problems["is_main"] = _("“%(title)s” is the main ceremony already.") % {"title": main.title}
    return problems


def venue_clashes(
    *, venue: str, date, start_time, end_time, exclude: Activity | None = None
) -> list[Activity]:
    """Activities of any programme at the same venue whose times overlap these."""
    venue = (venue or "").strip()
    if not (venue and date and start_time and end_time):
        return []
    clashes = Activity.objects.filter(
        venue__iexact=venue, date=date, start_time__lt=end_time, end_time__gt=start_time
    ).select_related("programme")
    if exclude is not None and exclude.pk:
        clashes = clashes.exclude(pk=exclude.pk)
    return list(clashes)


def _validate(programme: Programme, activity: Activity) -> None:
    problems = activity_problems(programme, date=activity.date, start_time=activity.start_time,
                                 end_time=activity.end_time, is_main=activity.is_main, instance=activity)  # fmt: skip
    if problems:
        raise EventError(" ".join(problems.values()))


@transaction.atomic
def create_activity(*, actor, programme: Programme, supporting_units: Sequence = (), **fields) -> Activity:
    require_organiser(actor)
    activity = Activity(programme=programme, **fields)
    activity.venue = activity.venue.strip()
    _validate(programme, activity)
    activity.save()
    activity.supporting_units.set([u for u in supporting_units if u.pk != activity.lead_unit_id])
    record(actor=actor, action="events.activity.create", obj=activity, after=activity_snapshot(activity))
    return activity


@transaction.atomic
def update_activity(
    *, actor, activity: Activity, supporting_units: Sequence | None = None, **fields
) -> Activity:
    require_organiser(actor)
    before = activity_snapshot(activity)
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.venue = activity.venue.strip()
    _validate(activity.programme, activity)
    activity.save()
    if supporting_units is not None:
        activity.supporting_units.set([u for u in supporting_units if u.pk != activity.lead_unit_id])
    record(actor=actor, action="events.activity.update", obj=activity, before=before,
           after=activity_snapshot(activity))  # fmt: skip
    return activity


@transaction.atomic
def delete_activity(*, actor, activity: Activity) -> None:
    require_organiser(actor)
    if activity.prep_tasks.exists():
        raise EventError(_("This activity has preparation tasks; it cannot be deleted."))
    if activity.checklist.filter(signed_at__isnull=False).exists():
        raise EventError(_("Checklist items of this activity are signed off; it cannot be deleted."))
    before = activity_snapshot(activity)
    record(actor=actor, action="events.activity.delete", obj=activity, before=before)
    activity.delete()


# ——— countdown ———


@dataclass(frozen=True)
class Countdown:
    """Time left until an activity starts: whole days and the hours beyond them (and all of it in seconds)."""

    activity: Activity
    target: datetime.datetime
    seconds: int
    label: str  # "first" | "main"

    @property
    def days(self) -> int:
        return self.seconds // 86400

    @property
    def hours(self) -> int:
        return self.seconds % 86400 // 3600


def _countdown(activity: Activity, now: datetime.datetime, label: str) -> Countdown:
    seconds = max(0, int((activity.starts_at - now).total_seconds()))
    return Countdown(activity, activity.starts_at, seconds, label)


def countdowns(activities: Sequence[Activity], now: datetime.datetime) -> list[Countdown]:
    """To the next activity, and to the main ceremony when that is a different, later one."""
    upcoming = sorted((a for a in activities if a.starts_at > now), key=lambda a: a.starts_at)
    found = []
    if upcoming:
        first = upcoming[0]
        found.append(_countdown(first, now, "main" if first.is_main else "first"))
        main = next((a for a in upcoming[1:] if a.is_main), None)
        if main is not None:
            found.append(_countdown(main, now, "main"))
    return found


def now_on(today: datetime.date) -> datetime.datetime:
    """This moment if `today` is today, else the start of that day (the cockpit can look at another day)."""
    if today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))


# ——— the cockpit panel ———

COCKPIT_PROGRAMMES = 3


def cockpit_countdown(user, today: datetime.date) -> dict | None:
    """Context for `events/_cockpit_countdown.html`: the programmes not over yet that the user may see, with
    countdowns, readiness and red/yellow preparation tasks; None when there is nothing to show."""
    programmes = list(
        visible_programmes(user)
        .filter(end_date__gte=today)
        .order_by("start_date", "name")
        .prefetch_related("activities")[:COCKPIT_PROGRAMMES]
    )
    if not programmes:
        return None
    now = now_on(today)
    readiness = readiness_by_programme([p.pk for p in programmes])
    rows = []
    for programme in programmes:
        counts = task_counts(user, programme)["total"]
        signed, total = readiness.get(programme.pk, (0, 0))
        rows.append(
            {
                "programme": programme,
                "url": reverse("events_programme_detail", args=[programme.code]),
                "countdowns": countdowns(list(programme.activities.all()), now),
                "running": programme.start_date <= today,
                "signed": signed,
                "total": total,
                "readiness": round(signed * 100 / total) if total else None,
                "overdue": counts.get("overdue", 0),
                "warning": counts.get("warning", 0),
            }
        )
    return {"programmes": rows, "today": today}
