"""The demo scenario (PRODUCT.md §5): units, demo logins and three illustrative plans in a true-looking state.

`load_demo()` builds it once through the task services (so the timeline and the audit log are real), then
moves the timestamps of task events, reports and evidence back over the past months so the history reads like
a year of work. Everything is relative to the day it runs: plans are for the current year, and the time limits
of tasks whose state depends on the date (overdue, due soon, waiting for closure…) are chosen so that the
state is true on that day. Random choices come from `random.Random(2021)`: the same day gives the same data.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime
import io
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from PIL import ExifTags, Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational

from tuijin.core.audit import record
from tuijin.core.calendar import get_calendar
from tuijin.lib.deadlines import parse_limit
from tuijin.lib.workdays import CalendarMissing
from tuijin.org.models import Liaison, Membership, Role, Unit, UnitAlias, UnitKind, User
from tuijin.tasks import services
from tuijin.tasks.evidence import check_upload
from tuijin.tasks.models import (
    Evidence,
    ExtensionRequest,
    LimitKind,
    Milestone,
    Plan,
    Report,
    Task,
    TaskEvent,
    TaskState,
    TaskStatus,
)
from tuijin.tasks.status import elapsed_percent

from . import demo_data as data
from .demo_data import T

DAY = datetime.timedelta(days=1)


# ——— what the command prints ———


@dataclass
class LoginRow:
    login: str
    role: str
    name: str
    where: str


def is_loaded() -> bool:
    return Plan.objects.filter(is_illustrative=True).exists()


def login_rows() -> tuple[list[LoginRow], list[LoginRow]]:
    """The demo logins that exist: one per role (featured), and the other units' users."""
    people = {
        u.username: u
        for u in User.objects.filter(username__in=_all_logins()).prefetch_related("memberships__unit")
    }

    def row(login: str) -> LoginRow | None:
        user = people.get(login)
        if user is None:
            return None
        membership = user.memberships.all()[0] if user.memberships.all() else None
        where = membership.unit.name if membership and membership.unit else user.title
        role = membership.role if membership else ""
        return LoginRow(login, role, user.display_name, where)

    featured_logins = [data.PEOPLE[0][0], data.PEOPLE[1][0], *data.FEATURED_UNIT_LOGINS]
    featured_logins += [p[0] for p in data.PEOPLE[2:9]] + ["qiye"]
    featured = [r for r in map(row, featured_logins) if r]
    others = [r for r in map(row, [u[4] for u in data.UNITS if u[4] not in data.FEATURED_UNIT_LOGINS]) if r]
    return featured, others


def _all_logins() -> list[str]:
    from tuijin.partybuilding.demo import demo_logins as party_logins

    return [p[0] for p in data.PEOPLE] + [u[4] for u in data.UNITS] + [row[0] for row in party_logins()] + ["qiye"]


def summary() -> dict:
    """Counts for the closing line, and for tests."""
    by_status = dict(
        Task.objects.filter(plan__is_illustrative=True)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    by_state = dict(
        Task.objects.filter(plan__is_illustrative=True)
        .order_by()
        .values_list("state")
        .annotate(n=Count("id"))
    )
    return {
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "plans": Plan.objects.filter(is_illustrative=True).count(),
        "tasks": sum(by_status.values()),
        "by_status": {s: by_status.get(s, 0) for s in TaskStatus.values},
        "by_state": {s: by_state.get(s, 0) for s in TaskState.values},
        "reports": Report.objects.filter(task__plan__is_illustrative=True).count(),
        "evidence": Evidence.objects.filter(task__plan__is_illustrative=True).count(),
        "extensions": ExtensionRequest.objects.filter(task__plan__is_illustrative=True).count(),
    }


# ——— pictures ———


def _sky(draw: ImageDraw.ImageDraw, w: int, horizon: int, top: tuple, bottom: tuple) -> None:
    for y in range(horizon):
        t = y / max(horizon - 1, 1)
        draw.line(
            [(0, y), (w, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )


def _tower(draw, rng, x0, y0, x1, y1, body, glass=False) -> None:
    draw.rectangle([x0, y0, x1, y1], fill=body)
    step_y = rng.randint(14, 20)
    step_x = rng.randint(12, 18)
    for y in range(y0 + 8, y1 - 10, step_y):
        for x in range(x0 + 6, x1 - 8, step_x):
            lit = rng.random() < (0.5 if glass else 0.2)
            shade = (170, 200, 225) if glass else (90, 100, 110)
            draw.rectangle([x, y, x + step_x - 6, y + step_y - 7], fill=(235, 240, 245) if lit else shade)


def draw_scene(rng: random.Random, kind: str, size=(1024, 768)) -> Image.Image:
    """A plain picture of a site: sky, skyline, and a foreground by kind (build, road, park, tower, event)."""
    w, h = size
    img = Image.new("RGB", size)
    draw = ImageDraw.Draw(img)
    horizon = int(h * rng.uniform(0.55, 0.64))
    hazy = rng.random() < 0.4
    top = (
        (rng.randint(150, 175), rng.randint(170, 185), rng.randint(190, 205))
        if hazy
        else (rng.randint(60, 100), rng.randint(120, 160), rng.randint(200, 235))
    )
    _sky(draw, w, horizon, top, (rng.randint(205, 230), rng.randint(215, 232), rng.randint(228, 245)))
    # distant skyline
    x = 0
    while x < w:
        bw = rng.randint(30, 90)
        bh = rng.randint(40, 180)
        grey = rng.randint(150, 185)
        draw.rectangle([x, horizon - bh, x + bw, horizon], fill=(grey, grey + 5, grey + 12))
        x += bw + rng.randint(0, 25)
    ground = {"build": (150, 120, 85), "road": (110, 135, 90), "park": (95, 150, 80),
              "tower": (170, 170, 165), "event": (160, 155, 150)}.get(kind, (140, 140, 130))  # fmt: skip
    draw.rectangle([0, horizon, w, h], fill=ground)
    if kind == "build":
        for _ in range(rng.randint(2, 3)):
            x0 = rng.randint(40, w - 300)
            bw, floors = rng.randint(140, 240), rng.randint(8, 16)
            y1 = horizon + rng.randint(10, 60)
            y0 = y1 - floors * 22
            draw.rectangle([x0, y0, x0 + bw, y1], fill=(175, 175, 170))
            for f in range(floors + 1):
                draw.line([(x0, y0 + f * 22), (x0 + bw, y0 + f * 22)], fill=(120, 120, 115), width=3)
            netted = rng.randint(2, floors)
            draw.rectangle([x0 - 4, y0 - 4, x0 + bw + 4, y0 + netted * 22], fill=(70, 140, 90))
        # tower crane
        cx = rng.randint(w // 3, w - 120)
        top_y = rng.randint(60, 140)
        yellow = (235, 185, 40)
        draw.rectangle([cx - 6, top_y, cx + 6, horizon + 40], outline=yellow, width=3)
        for y in range(top_y, horizon + 40, 24):
            draw.line([(cx - 6, y), (cx + 6, y + 24)], fill=yellow, width=2)
        draw.line([(cx - 120, top_y + 8), (cx + 300, top_y + 8)], fill=yellow, width=6)
        draw.line([(cx, top_y - 40), (cx + 300, top_y + 8)], fill=yellow, width=2)
        draw.line([(cx, top_y - 40), (cx - 120, top_y + 8)], fill=yellow, width=2)
        hook = cx + rng.randint(100, 280)
        draw.line([(hook, top_y + 8), (hook, top_y + rng.randint(120, 260))], fill=(60, 60, 60), width=2)
        draw.rectangle([cx - 120, top_y + 8, cx - 80, top_y + 30], fill=(110, 110, 110))
    elif kind == "road":
        vx = w // 2 + rng.randint(-120, 120)
        draw.polygon([(vx - 8, horizon), (vx + 8, horizon), (w + 200, h), (-200, h)], fill=(70, 72, 75))
        for k in range(12):
            t0, t1 = k / 12, (k + 0.5) / 12
            y0, y1 = horizon + (h - horizon) * t0**2, horizon + (h - horizon) * t1**2
            draw.line([(vx, y0), (vx, y1)], fill=(240, 240, 235), width=max(1, int(8 * t1)))
        for side in (-1, 1):
            draw.line(
                [(vx + side * 8, horizon), (w // 2 + side * (w // 2 + 200), h)], fill=(235, 235, 230), width=4
            )
            for k in range(1, 7):
                t = k / 7
                px = vx + side * (8 + (w // 2 + 260) * t)
                py = horizon + (h - horizon) * t
                draw.line([(px, py), (px, py - 220 * t)], fill=(90, 90, 95), width=max(2, int(6 * t)))
                draw.ellipse(
                    [px - 30 * t, py - 200 * t - 60 * t, px + 30 * t, py - 200 * t], fill=(60, 120, 60)
                )
    elif kind == "park":
        draw.polygon([(0, h - rng.randint(120, 200)), (w, horizon + rng.randint(40, 90)), (w, h), (0, h)],
                     fill=(80, 140, 190))  # fmt: skip
        for _ in range(rng.randint(9, 15)):
            tx, ty = rng.randint(0, w), horizon + rng.randint(0, 120)
            r = rng.randint(18, 45)
            draw.line([(tx, ty), (tx, ty + r * 1.6)], fill=(90, 70, 50), width=max(2, r // 6))
            draw.ellipse(
                [tx - r, ty - r * 1.5, tx + r, ty + r * 0.4], fill=(40 + rng.randint(0, 40), 120, 50)
            )
        draw.line([(w * 0.1, h), (w * 0.55, horizon + 30)], fill=(205, 195, 170), width=18)
    elif kind == "tower":
        x = rng.randint(20, 120)
        while x < w - 120:
            bw = rng.randint(120, 220)
            bh = rng.randint(250, 480)
            glass = rng.random() < 0.6
            body = (90, 130, 170) if glass else (200, 195, 185)
            _tower(draw, rng, x, horizon - bh, x + bw, horizon + 30, body, glass)
            x += bw + rng.randint(30, 90)
        draw.rectangle([0, horizon + 30, w, h], fill=(185, 182, 175))
        for _ in range(6):
            tx = rng.randint(0, w)
            draw.ellipse([tx - 30, horizon + 10, tx + 30, horizon + 70], fill=(60, 130, 70))
    elif kind == "event":
        sx0, sx1 = rng.randint(80, 200), w - rng.randint(80, 200)
        sy = horizon - rng.randint(180, 260)
        draw.rectangle([sx0, sy, sx1, horizon + 40], fill=(150, 25, 30))
        draw.rectangle([sx0 + 40, sy + 30, sx1 - 40, horizon], fill=(200, 160, 60))
        for k in range(6):
            fx = sx0 - 40 + k * (sx1 - sx0 + 80) // 5
            draw.line([(fx, horizon + 60), (fx, sy - 40)], fill=(80, 80, 80), width=4)
            draw.rectangle([fx, sy - 40, fx + 40, sy - 10], fill=(210, 30, 40))
        for _ in range(160):
            px, py = rng.randint(0, w), rng.randint(horizon + 70, h)
            draw.ellipse(
                [px - 7, py - 7, px + 7, py + 7],
                fill=rng.choice([(40, 40, 60), (200, 60, 60), (60, 90, 160)]),
            )
    return img


def _dms(value: float) -> tuple:
    deg = int(value)
    minutes_full = (value - deg) * 60
    minutes = int(minutes_full)
    seconds = round((minutes_full - minutes) * 60 * 100)
    return (IFDRational(deg, 1), IFDRational(minutes, 1), IFDRational(seconds, 100))


def photo_bytes(rng: random.Random, kind: str, taken: datetime.datetime, where: tuple[float, float]) -> bytes:
    """A JPEG of a site with EXIF capture time (local) and GPS position."""
    img = draw_scene(rng, kind)
    exif = img.getexif()
    exif[ExifTags.Base.Make] = "DEMO"
    exif[ExifTags.Base.Model] = "Illustrative"
    exif[ExifTags.Base.ImageDescription] = "Tuijin demo photo (illustrative)"
    local = timezone.localtime(taken)
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = local.strftime("%Y:%m:%d %H:%M:%S")
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    lat, lon = where
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = _dms(lat + rng.uniform(-0.004, 0.004))
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = _dms(lon + rng.uniform(-0.004, 0.004))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=82, exif=exif)
    return out.getvalue()


def document_bytes(rng: random.Random) -> bytes:
    """A one-page PDF that looks like an official document from afar: red header, red rule, lines of text."""
    w, h = 1240, 1754  # A4 at 150 dpi
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle([260, 220, w - 260, 330], fill=(200, 30, 30))
    draw.line([(140, 420), (w - 140, 420)], fill=(200, 30, 30), width=5)
    draw.rectangle([340, 500, w - 340, 540], fill=(60, 60, 60))
    y = 620
    while y < h - 360:
        indent = 230 if rng.random() < 0.2 else 170
        end = w - 170 if rng.random() < 0.85 else rng.randint(500, w - 170)
        draw.rectangle([indent, y, end, y + 22], fill=(120, 120, 120))
        y += 56
    draw.ellipse([w - 480, h - 420, w - 220, h - 160], outline=(210, 40, 40), width=10)
    out = io.BytesIO()
    img.save(out, "PDF", resolution=150)
    return out.getvalue()


# ——— the loader ———


@dataclass
class _Clock:
    """Moves the rows the services just wrote to the moment they are meant to have happened."""

    marks: dict = field(default_factory=dict)
    tables = (
        (TaskEvent, "at"),
        (Report, "created_at"),
        (Evidence, "created_at"),
        (ExtensionRequest, "created_at"),
    )

    def start(self) -> None:
        for model, _f in self.tables:
            self.marks[model] = model.objects.aggregate(m=Max("pk"))["m"] or 0

    def stamp(self, when: datetime.datetime) -> None:
        for model, name in self.tables:
            model.objects.filter(pk__gt=self.marks[model]).update(**{name: when})
            self.marks[model] = model.objects.aggregate(m=Max("pk"))["m"] or self.marks[model]


class _Builder:
    def __init__(self, today: datetime.date | None = None):
        self.now = timezone.now()
        self.today = today or timezone.localdate()
        self.year = self.today.year
        self.rng = random.Random(2021)
        self.calendar = get_calendar()
        self.clock = _Clock()
        self.units: dict[str, Unit] = {}
        self.unit_users: dict[int, User] = {}
        self.people: dict[str, User] = {}
        self.photos: dict[str, bytes] = {}
        self.soon = self.add_workdays(self.today, 3)

    # — dates —

    def add_workdays(self, day: datetime.date, n: int) -> datetime.date:
        try:
            return self.calendar.add_workdays(day, n)
        except CalendarMissing:  # a year nobody entered yet: weekdays will do for demo dates
            step = DAY if n > 0 else -DAY
            for _ in range(abs(n)):
                day += step
                while day.weekday() >= 5:
                    day += step
            return day

    def at(self, day: datetime.date, hour: int | None = None) -> datetime.datetime:
        """A moment in office hours on that day, never later than now."""
        hour = self.rng.randint(9, 17) if hour is None else hour
        moment = datetime.datetime.combine(day, datetime.time(hour, self.rng.randint(0, 59)))
        return min(timezone.make_aware(moment), self.now - datetime.timedelta(minutes=1))

    def issue_day(self, month: int, day: int) -> datetime.date:
        """When a list was issued: that day this year if it is at least a month ago, else earlier."""
        latest = self.today - datetime.timedelta(days=30)
        if latest.year < self.year:
            return datetime.date(self.year, 1, 1)
        return min(datetime.date(self.year, month, day), latest)

    def phrase(self, day: datetime.date) -> str:
        prefix = f"{day.year}年" if day.year != self.year else ""
        if day == datetime.date(self.year, 12, 31):
            return "年底前"
        if day.day == pycalendar.monthrange(day.year, day.month)[1]:
            return f"{prefix}{day.month}月底前"
        return f"{prefix}{day.month}月{day.day}日前"

    def report_slots(self, plan: Plan, after: datetime.date, before: datetime.date) -> list[datetime.date]:
        """Days on which reports were filed between two dates (exclusive): monthly near the due day, weekly on
        Mondays."""
        slots = []
        if plan.cadence == "weekly":
            day = after + datetime.timedelta(days=(7 - after.weekday()) % 7 or 7)
            while day < before:
                slots.append(day)
                day += datetime.timedelta(days=7)
        else:
            for year in (self.year - 1, self.year):
                for month in range(1, 13):
                    day = datetime.date(year, month, self.rng.choice((18, 20, 21, 22, 23, 24, 25, 25, 26)))
                    if after < day < before:
                        slots.append(day)
        if not slots:
            slots = [after + (before - after) / 2] if before - after >= 2 * DAY else [after]
        return slots

    # — units and people —

    def build_units(self) -> None:
        office, _ = Unit.objects.get_or_create(name=data.OFFICE, defaults={"kind": UnitKind.CITY_OFFICE})
        self.units[data.OFFICE] = office
        for order, (name, short, kind, aliases, _login, _liaison) in enumerate(data.UNITS, start=1):
            unit, _ = Unit.objects.get_or_create(name=name, defaults={"short_name": short, "kind": kind,
                                                                       "sort_order": order})  # fmt: skip
            self.units[name] = unit
            if short:
                self.units.setdefault(short, unit)
            for alias in aliases:
                UnitAlias.objects.get_or_create(name=alias, defaults={"unit": unit})
                self.units.setdefault(alias, unit)
        for child, parent in data.PARENTS.items():
            Unit.objects.filter(name=child, parent__isnull=True).update(parent=self.units[parent])

    def _user(self, login: str, name: str, title: str, phone: str, password: str) -> User:
        user, _created = User.objects.get_or_create(
            username=login,
            defaults={"display_name": name, "title": title, "phone": phone, "password": password},
        )
        return user

    def build_people(self) -> None:
        password = make_password(data.PASSWORD)  # hashed once: the demo users share it
        for login, role, name, title, unit_name in data.PEOPLE:
            user = self._user(login, name, title, "", password)
            Membership.objects.get_or_create(user=user, unit=self.units.get(unit_name), role=role)
            self.people[login] = user
        for name, _short, kind, _aliases, login, liaison in data.UNITS:
            unit = self.units[name]
            position = data.LIAISON_POSITION[kind]
            phone = f"138{self.rng.randint(0, 99999999):08d}"
            user = self._user(login, liaison, position, phone, password)
            Membership.objects.get_or_create(user=user, unit=unit, role=Role.UNIT)
            self.unit_users[unit.pk] = user
            Liaison.objects.get_or_create(unit=unit, defaults={
                "user": user, "name": liaison, "position": position, "phone": phone,
                "office_phone": f"0371-{self.rng.randint(55000000, 69999999)}",
            })  # fmt: skip
        self.sup = self.people["supervisor"]

    # — plans —

    def build_plans(self) -> list[Plan]:
        y = self.year
        office = self.units[data.OFFICE]
        event_day = self.today + datetime.timedelta(days=21)
        event_start = self.today - datetime.timedelta(days=29)
        plans = [
            (
                dict(name=f"{y}年中原科技城建设重点任务清单", kind=Plan.Kind.ANNUAL,
                     description=f"{data.NOTE}。对照中原科技城建设推进会部署，将年度目标任务具体化，明确牵头单位、"
                                 "配合单位、责任领导和完成时限，每月25日前报送进展。",
                     start_date=datetime.date(y, 1, 1)),
                self.issue_day(3, 3), data.KJC_TASKS, None,
            ),
            (
                dict(name=f"{y}年32个城市核心板块建设重点任务清单", kind=Plan.Kind.ANNUAL,
                     description=f"{data.NOTE}。坚持“以块为主、块抓条保”，各板块年度目标任务形成清单、"
                                 "明确时限和责任，每月25日前报送形象进度和实物成效。",
                     start_date=datetime.date(y, 1, 1)),
                self.issue_day(3, 10), data.SECTOR_TASKS, None,
            ),
            (
                dict(name=f"{y}年中国（郑州）黄河文化月暨拜祖大典筹备工作任务清单", kind=Plan.Kind.EVENT,
                     description=f"{data.NOTE}。活动日期为演示设定：{event_day.isoformat()}。"
                                 "各责任单位每周一报送筹备进展。",
                     start_date=event_start, cadence="weekly"),
                event_start, data.EVENT_TASKS, event_day,
            ),
        ]  # fmt: skip
        made = []
        for fields, issued, rows, event_day_ in plans:
            fields.setdefault("cadence", "monthly")
            plan = services.create_plan(actor=self.sup, year=y, report_day=25, owner_unit=office,
                                        is_illustrative=True, **fields)  # fmt: skip
            Plan.objects.filter(pk=plan.pk).update(created_at=self.at(issued, 9))
            parents: dict[str, Task] = {}
            for row in rows:
                parent = parents.get(row.number.rsplit(".", 1)[0]) if "." in row.number else None
                task = self.build_task(plan, row, issued, parent, event_day_)
                parents[row.number] = task
            made.append(plan)
        return made

    def resolve_limit(self, row: T, event_day: datetime.date | None) -> tuple[str, datetime.date | None]:
        """The time limit as written, and the deadline it must give, so the task's fate is true today."""
        text = row.limit
        parsed = parse_limit(text, self.year)
        deadline = parsed.deadline
        if row.due is not None and event_day is not None:
            deadline = event_day + datetime.timedelta(days=row.due)
            text = self.phrase(deadline)
        elif parsed.kind == LimitKind.RELATIVE and parsed.relative_workdays:
            deadline = self.add_workdays(self.today, parsed.relative_workdays)
        fate = row.fate
        if fate == "soon":
            deadline = self.add_workdays(self.today, 2)
            return self.phrase(deadline), deadline
        if fate == "overdue":
            if deadline is not None and deadline < self.today:
                return text, deadline
            deadline = self.today - datetime.timedelta(days=self.rng.randint(8, 40))
            if deadline.year < self.year:  # early January: nothing of this year can be late yet
                deadline = max(deadline, datetime.date(self.year, 1, 1))
                if deadline >= self.today:
                    deadline = self.today - DAY
            return self.phrase(deadline), deadline
        if fate == "closed":
            return text, deadline
        # Everything else is open and must not be late or due within the yellow window.
        needs_date = fate in ("lag", "ext_pending", "ext_approved")
        good = deadline > self.soon if deadline else not needs_date
        if fate == "lag" and deadline:
            good = good and elapsed_percent(datetime.date(self.year, 1, 1), deadline, self.today) >= 30
        if good:
            return text, deadline
        year_end = datetime.date(self.year, 12, 31)
        if year_end > self.soon + datetime.timedelta(days=10) and fate != "lag":
            deadline = year_end
        else:
            deadline = self.today + datetime.timedelta(days=self.rng.randint(20, 45))
        return self.phrase(deadline), deadline

    # — tasks —

    def lead_user(self, task: Task) -> User:
        return self.unit_users[task.task_units.filter(role="lead").order_by("position")[0].unit_id]

    def build_task(self, plan: Plan, row: T, issued: datetime.date, parent: Task | None,
                   event_day: datetime.date | None) -> Task:  # fmt: skip
        rng = self.rng
        limit_text, deadline = self.resolve_limit(row, event_day)
        measure = row.measure
        kind, ref = row.source
        self.clock.start()
        task = services.create_task(
            actor=self.sup, plan=plan, title=row.title, number=row.number, category=row.category,
            lead_units=[self.units[u] for u in row.lead], supporting_units=[self.units[u] for u in row.support],
            limit_text=limit_text, parent=parent, target=row.target, leader=row.leader, owner=row.owner,
            source_kind=kind, source_ref=ref.format(y=self.year), tags=row.tags,
            measure_quantity=Decimal(str(measure[0])) if measure else None, measure_unit=measure[1] if measure else "",
        )  # fmt: skip
        if deadline is not None and task.deadline != deadline:
            # A date the phrase cannot give (before the plan year): set it as a person would.
            Task.objects.filter(pk=task.pk).update(
                deadline=deadline, limit_kind=LimitKind.DATE, limit_note=""
            )
            task.deadline = deadline
        created = issued
        if row.fate == "assigned":
            created = max(issued, self.today - datetime.timedelta(days=rng.randint(1, 3)))
        created_at = self.at(created, 10)
        self.clock.stamp(created_at)
        last = created_at
        lead = self.lead_user(task)
        if row.fate != "assigned":
            ack_day = min(created + datetime.timedelta(days=rng.randint(1, 3)), self.today)
            services.acknowledge(actor=lead, task=task)
            last = self.at(ack_day)
            self.clock.stamp(last)
            if row.fate != "parent":
                last = self.lifecycle(plan, task, row, lead, ack_day)
        self.finish(task, row, created_at, last)
        return task

    def progress_target(self, task: Task, fate: str) -> int:
        rng = self.rng
        start = task.plan.start_date or datetime.date(self.year, 1, 1)
        expected = elapsed_percent(start, task.deadline, self.today) if task.deadline else rng.randint(40, 75)
        if fate in ("closed", "closing", "returned"):
            return rng.choice((90, 95, 100))
        if fate == "lag":
            return max(0, expected - 10 - rng.randint(12, 22))
        if fate == "overdue":
            return rng.randint(55, 85)
        if fate == "soon":
            return rng.randint(75, 92)
        if fate in ("ext_pending", "ext_approved"):  # behind, hence the request
            return max(5, expected - rng.randint(15, 25))
        return max(5, min(95, expected + rng.randint(-2, 12)))

    def lifecycle(
        self, plan: Plan, task: Task, row: T, lead: User, ack_day: datetime.date
    ) -> datetime.datetime:
        rng, today, fate = self.rng, self.today, row.fate
        texts = list(row.reports) or ["已按要求推进，本期无新增困难问题。"]
        # When the last report must be filed before something else happens (closure, extension…)
        end = today
        if fate == "closed":
            latest = min(task.deadline or today, today - 3 * DAY)
            end = latest - datetime.timedelta(days=rng.randint(0, 12))
            end = min(max(end, ack_day + 5 * DAY), today - DAY)
            end = max(end, ack_day)
        elif fate in ("closing", "ext_pending"):
            end = max(today - datetime.timedelta(days=rng.randint(1, 4)), ack_day)
        elif fate == "ext_approved":
            end = max(today - datetime.timedelta(days=rng.randint(8, 15)), ack_day)
        elif fate == "returned":
            end = max(today - datetime.timedelta(days=rng.randint(20, 30)), ack_day)
            texts, after_return = texts[:-1], texts[-1]
        slots = self.report_slots(plan, ack_day, end)
        texts = texts[: len(slots)]
        slots = slots[-len(texts) :] if texts else []
        final = self.progress_target(task, fate)
        last = self.at(ack_day)
        for i, (day, text) in enumerate(zip(slots, texts, strict=True)):
            share = (i + 1) / len(texts)
            progress = round(final * share) if i < len(texts) - 1 else final
            progress = max(0, min(100, progress - (rng.randint(0, 3) if i < len(texts) - 1 else 0)))
            photo = row.scene and i == len(texts) - 1 and fate not in ("closed", "closing")
            last = self.report(task, lead, day, text, progress, row, photo=bool(photo))
        if row.support_report and row.support and slots:
            helper = self.unit_users[self.units[row.support[0]].pk]
            day = min(slots[-1] + DAY, end)
            services.submit_report(actor=helper, task=self.fresh(task), text=row.support_report)
            last = self.at(day)
            self.stamp_report(plan, last)
        if fate in ("closed", "closing", "returned"):
            files = self.evidence_files(task, row, end)
            services.request_closure(actor=lead, task=self.fresh(task), note=row.closing or "已完成，申请销号。",
                                     files=files)  # fmt: skip
            last = self.at(end, 16)
            self.clock.stamp(last)
            if fate == "closed":
                close_day = min(end + datetime.timedelta(days=rng.randint(1, 4)), today)
                services.close_task(
                    actor=self.sup, task=self.fresh(task), note="经核查，佐证材料齐全，同意销号。"
                )
                last = self.at(close_day, 11)
                self.clock.stamp(last)
                Task.objects.filter(pk=task.pk).update(closed_at=last)
            elif fate == "returned":
                back_day = min(end + 2 * DAY, today)
                services.return_task(actor=self.sup, task=self.fresh(task), reason=row.returned)
                last = self.at(back_day, 15)
                self.clock.stamp(last)
                day = min(max(today - datetime.timedelta(days=rng.randint(1, 5)), back_day), today)
                last = self.report(task, lead, day, after_return, final, row)
        elif fate in ("ext_pending", "ext_approved"):
            new = task.deadline + datetime.timedelta(days=rng.randint(60, 100))
            new = new.replace(day=pycalendar.monthrange(new.year, new.month)[1])
            ext = services.request_extension(
                actor=lead, task=self.fresh(task), new_deadline=new, reason=row.ext_reason
            )
            last = self.at(end, 16)
            self.clock.stamp(last)
            if fate == "ext_approved":
                decided = self.at(min(end + 2 * DAY, today), 10)
                ext = ExtensionRequest.objects.get(pk=ext.pk)
                services.decide_extension(actor=self.sup, extension=ext, approve=True,
                                          note="情况属实，同意延期，请按新时限完成。")  # fmt: skip
                self.clock.stamp(decided)
                ExtensionRequest.objects.filter(pk=ext.pk).update(decided_at=decided)
                last = decided
        return last

    def fresh(self, task: Task) -> Task:
        return Task.objects.select_related("plan").get(pk=task.pk)

    def report(self, task: Task, lead: User, day: datetime.date, text: str, progress: int, row: T,
               photo: bool = False) -> datetime.datetime:  # fmt: skip
        value = None
        if row.measure:
            quantity, unit = row.measure
            raw = quantity * progress / 100
            value = Decimal(str(round(raw, 1) if unit in ("km", "万平方米") else round(raw)))
        shown = value.normalize() if value is not None else ""
        text = text.format(v=f"{shown:f}" if value is not None else "")
        moment = self.at(day)
        files = []
        if photo:
            files.append(self.photo(task, row, moment, reuse=row.reuse))
        services.submit_report(actor=lead, task=self.fresh(task), text=text, progress=progress, value=value,
                               files=files)  # fmt: skip
        self.stamp_report(task.plan, moment)
        return moment

    def stamp_report(self, plan: Plan, moment: datetime.datetime) -> None:
        new = list(Report.objects.filter(pk__gt=self.clock.marks[Report]).values_list("pk", flat=True))
        self.clock.stamp(moment)
        day = timezone.localtime(moment).date()
        period = services.current_period(plan.cadence, day)
        Report.objects.filter(pk__in=new).update(
            period=period, is_late=day > services.period_due(plan, period)
        )

    # — evidence —

    def photo(self, task: Task, row: T, moment: datetime.datetime, reuse: str = "", index: int = 0):
        key = f"{task.plan_id}:{row.reuse}" if reuse else ""
        if key and key in self.photos:
            content = self.photos[key]
        else:
            shot = timezone.localtime(moment).date() - datetime.timedelta(days=self.rng.randint(0, 2))
            taken = min(self.at(shot), moment)
            where = data.SITES.get(row.lead[0], data.CENTRE)
            content = photo_bytes(self.rng, row.scene, taken, where)
        self.photos.setdefault(f"{task.plan_id}:{row.number}", content)
        name = f"IMG_{timezone.localtime(moment):%Y%m%d_%H%M%S}{index or ''}.jpg"
        return check_upload(SimpleUploadedFile(name, content, content_type="image/jpeg"))

    def evidence_files(self, task: Task, row: T, day: datetime.date) -> list:
        moment = self.at(day, 15)
        if row.scene:
            return [self.photo(task, row, moment, index=k) for k in range(self.rng.randint(1, 2))]
        name = f"{row.doc or row.title[:20]}.pdf"
        return [
            check_upload(SimpleUploadedFile(name, document_bytes(self.rng), content_type="application/pdf"))
        ]

    # — finishing —

    def finish(self, task: Task, row: T, created_at: datetime.datetime, last: datetime.datetime) -> None:
        Task.objects.filter(pk=task.pk).update(created_at=created_at, updated_at=max(last, created_at))
        task = self.fresh(task)
        for milestone in task.milestones.all():
            if task.state == TaskState.CLOSED or (milestone.date < self.today and row.fate != "overdue"):
                done = min(milestone.date - datetime.timedelta(days=self.rng.randint(0, 6)), self.today)
                Milestone.objects.filter(pk=milestone.pk).update(done_at=done)

    def run(self) -> list[Plan]:
        self.build_units()
        self.build_people()
        plans = self.build_plans()
        services.refresh_all_statuses()
        # Reports were backdated after they were saved: run the evidence checks again on their real periods.
        from tuijin.supervision.evidence_checks import check_report
        from tuijin.tasks.models import Report

        for report in (
            Report.objects.select_related("task__plan")
            .prefetch_related("evidence")
            .order_by("created_at", "id")
        ):
            check_report(report)
        record(actor=None, action="demo.load", object_type="demo", object_id=str(self.year),
               object_repr=data.NOTE, after=summary())  # fmt: skip
        return plans


def conflicts() -> list[str]:
    """Why loading the demo here could mix it with real data: real plans, or demo logins already taken."""
    found = []
    if Plan.objects.filter(is_illustrative=False).exists():
        found.append("the database holds plans that are not illustrative")
    taken = sorted(User.objects.filter(username__in=_all_logins()).values_list("username", flat=True))
    if taken:
        found.append("these demo logins exist already: " + ", ".join(taken))
    return found


def demo_orders() -> None:
    """Supervision orders on the red tasks: a blue order answered and accepted, an orange one awaiting its
    response after a blue one was escalated, and a reminder — so the ladder has something to show."""
    from tuijin.supervision import orders
    from tuijin.supervision.models import Order
    from tuijin.tasks.models import TaskStatus

    try:
        _issue_demo_orders(orders, Order, TaskStatus)
    except orders.OrderError:
        pass  # e.g. the working-day calendar for this year is not entered yet: the demo goes without orders


def _issue_demo_orders(orders, Order, TaskStatus) -> None:
    sup = User.objects.get(username="supervisor")
    red = list(
        Task.objects.filter(status=TaskStatus.OVERDUE, plan__is_illustrative=True).order_by("deadline", "id")
    )
    warn = list(
        Task.objects.filter(status=TaskStatus.WARNING, plan__is_illustrative=True).order_by("deadline", "id")
    )
    if len(red) >= 2:
        blue = orders.issue_order(actor=sup, task=red[0], level=Order.Level.BLUE,
                                  requirement="请于规定时限内说明逾期原因，明确完成时间和保障措施。")  # fmt: skip
        orders.escalate_order(
            actor=sup, order=blue, requirement="蓝色督办逾期未见成效，请主要负责同志牵头推进，限期办结。"
        )
        second = orders.issue_order(actor=sup, task=red[1], level=Order.Level.BLUE,
                                    requirement="请报送整改计划和节点安排。")  # fmt: skip
        unit_user = User.objects.filter(memberships__unit=second.unit, memberships__role="unit").first()
        if unit_user is not None:
            orders.respond_order(
                actor=unit_user, order=second, response="已制定整改计划，倒排工期，12月中旬前完成。"
            )
            orders.accept_order(actor=sup, order=Order.objects.get(pk=second.pk), note="同意，持续跟踪。")
    if warn:
        orders.issue_order(actor=sup, task=warn[0], level=Order.Level.REMINDER,
                           requirement="临近完成时限，请加快推进并按时报送进展。")  # fmt: skip


def load_demo() -> bool:
    """Load the demo scenario unless it is there already; True when it was loaded now."""
    if is_loaded():
        return False
    from tuijin.assessment.demo import load_demo_assessment
    from tuijin.coordination.demo import load_demo_coordination
    from tuijin.events.demo import load_demo_events
    from tuijin.investment.demo import load_demo_investment
    from tuijin.partybuilding.demo import load_demo_partybuilding
    from tuijin.reviews.demo import load_demo_reviews
    from tuijin.servicedesk.demo import load_demo_servicedesk
    from tuijin.spaces.demo import load_demo_spaces

    with transaction.atomic():
        _Builder().run()
        demo_orders()
        load_demo_assessment()
        load_demo_events()
        load_demo_partybuilding()
        load_demo_reviews()
        load_demo_investment()
        load_demo_spaces()
        load_demo_coordination()
        load_demo_servicedesk()
    return True
