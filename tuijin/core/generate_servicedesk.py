"""Enterprise service requests (企业诉求) for `tuijin generate` (tuijin/core/generate.py), city by city.

A city has 20,000 requests raised over the past year by its generated enterprises — most by the third of them that
have a portal login, which also rate the replies — about a project of theirs where they have one, routed to the
department of the category or to the project's sector. Each request is taken through the steps the services
would have taken it through as of today, against its clocks: transferred, acknowledged (some late), an
extension asked and decided, replied (some late), rated by the enterprise — satisfied or basically satisfied
closes it, unsatisfied reopens it with fresh clocks — or closed unrated by the tick after the rating days, and
called back by the supervision office. A share of the recent ones is still unanswered past its time limit.

Clocks are computed as `servicedesk.clocks` computes them (the same functions, on the calendar the generator
fetched once, Monday–Friday and marked provisional where a year is missing); the history has the events the
services and the tick write, reminders included (with the unit's notice behind each, keyed as the tick keys it, so
that a tick run on the day adds none), with their texts in the site's language. The six categories of
the demo (with their clocks) are created when none exist; existing ones are reused. "Now" is 08:00 of the day
of generation, so that the rows do not depend on the time of day the generator runs.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tuijin.investment.models import Enterprise, Project
from tuijin.lib.workdays import CalendarMissing
from tuijin.org.models import Membership, Role, Unit, UnitKind, User
from tuijin.servicedesk import clocks
from tuijin.servicedesk.demo import CATEGORIES, REPLIES, UNSATISFIED
from tuijin.servicedesk.models import (
    OPEN_STATES,
    SATISFIED_VALUES,
    Callback,
    Category,
    Channel,
    ClockUnit,
    EnterpriseAccount,
    Event,
    Extension,
    Policy,
    Satisfaction,
    ServiceRequest,
    State,
)

REQUESTS_PER_CITY = 20_000
DAYS_BACK = 365
ACCOUNT_SHARE = 0.3  # enterprises with a portal login
ACTIVE_SHARE = 0.6  # of the requests: raised by an enterprise with a login
TRANSFER_SHARE = 0.05
EXTENSION_SHARE = 0.05
ACK_LATE_SHARE = 0.10
REPLY_LATE_SHARE = 0.10
STUCK_DAYS, STUCK_SHARE = 60, 0.08  # of the requests of the last 60 days: still unanswered, past the limit
RATED_SHARE = 0.85  # of the replies to an enterprise with a login: rated in time (else closed unrated)
CALLBACK_SHARE = 0.25  # of the closed requests
# the department of each category (its short name), in every city; 园区配套 goes to the project's sector
DEFAULT_UNITS = {"政策咨询": "发展改革委", "审批服务": "行政审批和政务信息管理局", "要素保障": "自然资源和规划局",
                 "人才服务": "人社局", "融资服务": "金融工作局", "园区配套": "中原科技城"}  # fmt: skip
TOPICS = {
    "政策咨询": ["高新技术企业认定奖补", "研发费用加计扣除", "首台（套）装备奖励", "企业上云补贴", "专精特新企业培育",
                 "人才引进补贴"],
    "审批服务": ["项目环评审批", "施工许可办理", "节能审查", "消防验收", "规划许可变更", "不动产登记"],
    "要素保障": ["用地指标落实", "用电增容", "天然气接入", "用水报装", "排污总量指标", "标准厂房租赁"],
    "人才服务": ["人才公寓申请", "子女入学协调", "高层次人才认定", "人才落户办理", "职称评审", "人才补贴兑现"],
    "融资服务": ["科技贷款贴息", "应急转贷资金", "知识产权质押融资", "上市辅导", "政府引导基金对接", "融资担保"],
    "园区配套": ["通勤公交线路优化", "断头路打通", "双回路供电接入", "专线网络接入", "员工食堂配套", "停车位紧张"],
}  # fmt: skip
DESCRIPTION = "{e}反映：{t}事项办理中遇到困难，希望相关部门协调解决，明确办理时限和责任人。"
TRANSFER_REASON = "不属于本单位职责，转请{u}办理。"
EXTENSION_REASONS = ["涉及多个部门联合审查，需补充现场踏勘和专家论证。", "需上报上级主管部门审批，申请延长办理时限。",
                     "企业补充材料尚未提交齐全。"]  # fmt: skip
CALLBACK_NOTES = {Satisfaction.SATISFIED: "企业表示问题已解决，对办理效率满意。",
                  Satisfaction.BASIC: "企业认可办理结果，希望进一步缩短时限。",
                  Satisfaction.UNSATISFIED: "企业反映前期多次往返，体验较差。"}  # fmt: skip
GENERIC_REPLY = "已按程序办理，办理结果已电话告知企业联系人。"
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)

REQUEST_FIELDS = [
    "code", "number", "title", "description", "category", "enterprise", "project", "unit", "contact_name", "channel",
    "raised_by", "raised_at", "state", "clock_started_at", "ack_from", "ack_due", "due", "clock_provisional",
    "acknowledged_at", "replied_at", "closed_at", "ack_late", "reply_late", "reply", "satisfaction",
    "rating_comment", "rated_at", "reopen_count", "is_illustrative",
]  # fmt: skip


class Clocks:
    """`servicedesk.clocks.clock_for`, `ack_clock` and `extend` on a calendar fetched once (the app fetches it per
    call): the same functions, the same Monday–Friday fallback where a year is missing."""

    def __init__(self, calendar, policy: Policy):
        self.calendar, self.policy, self.weekdays = calendar, policy, None

    def _run(self, compute):
        try:
            return compute(self.calendar), False
        except CalendarMissing:
            if self.weekdays is None:
                self.weekdays = clocks._weekday_calendar()
            return compute(self.weekdays), True

    def _after(self, calendar, start, limit: int, unit: str) -> datetime.datetime:
        if unit == ClockUnit.HOURS:
            return clocks.add_work_hours(calendar, start, limit, self.policy.day_start, self.policy.day_end)
        return clocks.end_of_workdays(calendar, start, limit)

    def clock(self, category, started):
        (ack, due), provisional = self._run(lambda cal: (
            self._after(cal, started, category.ack_limit, category.ack_unit),
            clocks.end_of_workdays(cal, started, category.close_days)))  # fmt: skip
        return ack, due, provisional

    def ack(self, category, ack_from):
        return self._run(lambda cal: self._after(cal, ack_from, category.ack_limit, category.ack_unit))

    def extend(self, due, days: int):
        return self._run(lambda cal: clocks.end_of_workdays(cal, due, days))


@dataclass(slots=True)
class _Request:
    raised: datetime.datetime
    enterprise: int
    enterprise_name: str
    project: tuple | None  # (pk, name, sector)
    category: Category
    channel: str
    account: tuple | None  # (user, name) of the enterprise's login
    values: dict = field(default_factory=dict)
    events: list = field(default_factory=list)  # (at, kind, actor, unit, text)


class ServicedeskPart:
    """Called by the Generator for each city, inside the city's transaction; its tables join the Generator's."""

    def __init__(self, gen):
        from tuijin.core.generate import Table

        self.gen = gen
        gen.tables.update({
            "service_categories": Table(Category, ["code", "name", "ack_limit", "ack_unit", "close_days",
                                                   "default_unit", "sort_order", "is_active"]),
            "enterprise_accounts": Table(EnterpriseAccount, ["user", "enterprise", "created_at"]),
            "service_requests": Table(ServiceRequest, REQUEST_FIELDS),
            "request_events": Table(Event, ["request", "at", "kind", "actor", "unit", "text"]),
            "request_extensions": Table(Extension, ["request", "days", "reason", "requested_by", "requested_at",
                                                    "approved", "decided_by", "decided_at", "new_due"]),
            "request_callbacks": Table(Callback, ["request", "called_on", "method", "satisfaction", "notes",
                                                  "recorded_by", "recorded_at"]),
        })  # fmt: skip
        self.now = datetime.datetime.combine(gen.today, datetime.time(8), tzinfo=gen.tz)
        self.width = max(4, len(str(REQUESTS_PER_CITY * gen.factor)))  # as `next_number` continues them
        self.numbers: Counter = Counter()
        self.next_enterprise = self.next_project = 1
        self.categories: list[Category] = []
        self.stats: Counter = Counter()
        marker = "00000000-0000-0000-0000-000000000000"
        self.url = reverse("servicedesk_detail", args=[marker]).replace(marker, "{}")  # a request's page

    # — once, then each city —

    def setup(self, units: list[Unit]) -> None:
        gen = self.gen
        self.policy = Policy.current()
        self.clocks = Clocks(gen.calendar, self.policy)
        self.categories = list(Category.objects.filter(is_active=True).order_by("sort_order", "pk"))
        if self.categories:
            return
        by_stem = {u.short_name: u.pk for u in units}
        table = gen.tables["service_categories"]
        for order, (name, ack, ack_unit, close, _unit) in enumerate(CATEGORIES):
            default = by_stem.get(DEFAULT_UNITS.get(name))
            pk = table.add(gen.code(), name, ack, ack_unit, close, default, order, True)
            self.categories.append(Category(pk=pk, name=name, ack_limit=ack, ack_unit=ack_unit, close_days=close,
                                            default_unit_id=default, sort_order=order))  # fmt: skip

    def city(self, city: int, units: list[Unit], users: dict[int, int], supervisor: int) -> None:
        gen, rng = self.gen, self.gen.rng
        if not self.categories:
            self.setup(units)
        for name in ("enterprises", "projects"):
            gen.tables[name].flush()
        enterprises = list(Enterprise.objects.filter(pk__gte=self.next_enterprise).order_by("pk")
                           .values_list("pk", "name", "created_at"))  # fmt: skip
        projects: dict[int, list[tuple]] = {}
        for pk, enterprise, name, sector in (Project.objects.filter(pk__gte=self.next_project).order_by("pk")
                                             .values_list("pk", "enterprise_id", "name", "sector_id")):  # fmt: skip
            projects.setdefault(enterprise, []).append((pk, name, sector))
        self.next_enterprise = gen.tables["enterprises"].next_id
        self.next_project = gen.tables["projects"].next_id
        if not enterprises:
            return
        self.units, self.users, self.supervisor = {u.pk: u for u in units}, users, supervisor
        self.by_stem = {u.short_name: u for u in units}
        self.sectors = [u for u in units if u.kind == UnitKind.SECTOR]
        self.departments = [u for u in units if u.kind == UnitKind.DEPARTMENT]
        suffix = f"{city + 1:02d}" if gen.factor > 1 else ""
        accounts = self.make_accounts(enterprises, suffix)
        first = gen.today - DAYS_BACK * DAY
        planned = []
        active = [e for e in enterprises if e[0] in accounts]  # those with a login raise more requests
        for _i in range(REQUESTS_PER_CITY):
            enterprise, name, created = rng.choice(active if active and rng.random() < ACTIVE_SHARE else enterprises)
            account = accounts.get(enterprise)
            start = max(first, created.astimezone(gen.tz).date() + DAY)
            day = start + rng.randrange(max(1, (gen.today - start).days)) * DAY
            portal = account is not None and rng.random() < 0.75
            raised = gen.at(min(day, gen.today - DAY), rng.randint(7, 22) if portal else rng.randint(9, 17))
            if portal and raised <= account[2]:
                portal = False
            channel = Channel.PORTAL if portal else (Channel.IMPORT if rng.random() < 0.1 else Channel.STAFF)
            owned = projects.get(enterprise)
            project = rng.choice(owned) if owned and rng.random() < 0.4 else None
            planned.append(_Request(raised, enterprise, name, project, rng.choice(self.categories), channel,
                                    account[:2] if account else None))  # fmt: skip
        planned.sort(key=lambda r: r.raised)
        with translation.override(settings.LANGUAGE_CODE):  # event texts as the services and the tick write them
            self.texts = {"not acknowledged": _("not acknowledged in time"), "past limit": _("past its time limit"),
                          "acknowledged late": _("acknowledged late"), "not rated": _("not rated in time"),
                          "extension": _("%(d)d working days: %(r)s"),
                          "ack title": _("Reminder: acknowledge service request %(n)s (%(t)s)"),
                          "overdue title": _("Overdue service request %(n)s at %(u)s: %(t)s")}  # fmt: skip
            for req in planned:
                self.simulate(req)
                self.write(req)

    def make_accounts(self, enterprises: list[tuple], suffix: str) -> dict[int, tuple]:
        """Portal logins for a share of the city's enterprises: enterprise → (user, name, joined)."""
        gen, rng = self.gen, self.gen.rng
        chosen = rng.sample(enterprises, round(len(enterprises) * ACCOUNT_SHARE))
        base = User.objects.count()
        users, made = [], {}
        for i, (enterprise, _name, created) in enumerate(chosen, start=1):
            joined = min(created + rng.randint(1, 30) * DAY, self.now - DAY)
            user = User(pk=base + i, code=gen.code(), username=f"qiye{suffix}-{i:04d}", display_name=gen.name(),
                        title="企业联络人", password=gen.password_hash(), date_joined=joined)  # fmt: skip
            users.append(user)
            made[enterprise] = (user.pk, user.display_name, joined)
            gen.tables["enterprise_accounts"].add(user.pk, enterprise, joined)
        User.objects.bulk_create(users, batch_size=2_000)
        Membership.objects.bulk_create([Membership(user=u, unit=None, role=Role.APPLICANT) for u in users],
                                       batch_size=2_000)  # fmt: skip
        return made

    # — one request —

    def route(self, req: _Request) -> Unit:
        rng = self.gen.rng
        default = self.by_stem.get(DEFAULT_UNITS.get(req.category.name))
        if req.project and (req.category.name == "园区配套" or rng.random() < 0.25):
            return self.units[req.project[2]]
        if req.category.name == "园区配套" or rng.random() < 0.1:
            return rng.choice(self.sectors)
        return default or rng.choice(self.departments)

    def office(self, t: datetime.datetime, after: datetime.datetime) -> datetime.datetime:
        """People work by day: a step that would fall at night happens in the late afternoon or next morning."""
        rng = self.gen.rng
        local = t.astimezone(self.gen.tz)
        if local.hour >= 18:
            local = local.replace(hour=17, minute=rng.randrange(60))
        elif local.hour < 9:
            local = local.replace(hour=9, minute=rng.randrange(60))
        if local <= after:
            local = after + datetime.timedelta(minutes=rng.randint(5, 30))
        return local

    def tick(self, day: datetime.date) -> datetime.datetime:
        """The first pass of the tick (every five minutes) on `day`."""
        return datetime.datetime.combine(day, datetime.time(0, 0, self.gen.rng.randrange(60)), tzinfo=self.gen.tz)

    def remind_ack(self, req, unit, ack_due, until) -> None:
        """The tick's daily reminder to acknowledge, from the first pass after the limit while not acknowledged."""
        first = ack_due.astimezone(self.gen.tz)
        first = first.replace(second=0, microsecond=0) + datetime.timedelta(minutes=5 - first.minute % 5)
        moment, day = first, first.date()
        while moment < until:
            req.events.append((moment, Event.Kind.REMINDED, None, unit.pk, self.texts["not acknowledged"]))
            day += DAY
            moment = self.tick(day)

    def remind_overdue(self, req, unit, due, until) -> None:
        """The tick's daily notice from the day after the deadline while the request is open."""
        day = due.astimezone(self.gen.tz).date() + DAY
        while (moment := self.tick(day)) < until:
            req.events.append((moment, Event.Kind.REMINDED, None, unit.pk, self.texts["past limit"]))
            day += DAY

    def simulate(self, req: _Request) -> None:
        """The steps the request went through until now, as the services and the tick record them."""
        gen, rng, now, clock = self.gen, self.gen.rng, self.now, self.clocks
        category, t0 = req.category, req.raised
        unit = self.route(req)
        ack_due, due, provisional = clock.clock(category, t0)
        v = req.values
        v.update(state=State.SUBMITTED, clock_started_at=t0, ack_from=t0, acknowledged_at=None, replied_at=None,
                 closed_at=None, ack_late=False, reply_late=False, reply="", satisfaction="", rating_comment="",
                 rated_at=None, reopen_count=0, extension=None, callback=None)  # fmt: skip
        if req.channel == Channel.PORTAL:
            raised_by, contact = req.account[0], req.account[1]
        else:
            raised_by = self.supervisor if req.channel == Channel.IMPORT or rng.random() < 0.4 else self.users[unit.pk]
            contact = gen.name()
        v.update(raised_by=raised_by, contact_name=contact)
        req.events.append((t0, Event.Kind.RAISED, raised_by, unit.pk, category.name))
        stuck = t0 > now - STUCK_DAYS * DAY and rng.random() < STUCK_SHARE
        ack_from = t0
        for round_ in (0, 1):
            if round_ == 0 and rng.random() < TRANSFER_SHARE:
                moment = self.office(t0 + rng.uniform(0.5, 6) * HOUR, after=t0)
                if moment < now:
                    self.remind_ack(req, unit, ack_due, moment)
                    new = rng.choice([u for u in self.departments if u.pk != unit.pk])
                    req.events.append((moment, Event.Kind.TRANSFERRED, self.users[unit.pk], new.pk,
                                       f"{unit} → {new}：{TRANSFER_REASON.format(u=new)}"))  # fmt: skip
                    unit, ack_from = new, moment
                    ack_due, late_clock = clock.ack(category, moment)
                    provisional |= late_clock
                    v["ack_from"] = moment
            handler = self.users[unit.pk]
            if stuck and rng.random() < 0.15:
                acknowledged = None
            elif rng.random() < ACK_LATE_SHARE:
                acknowledged = self.office(ack_due + rng.uniform(1, 30) * HOUR, after=ack_from)
            else:
                acknowledged = self.office(ack_from + (ack_due - ack_from) * rng.uniform(0.1, 0.9), after=ack_from)
            waited = min(acknowledged or now, now)
            if ack_due < waited:
                self.remind_ack(req, unit, ack_due, waited)
            if acknowledged is None or acknowledged > now:
                self.remind_overdue(req, unit, due, now)
                break
            late = acknowledged > ack_due
            v["ack_late"] |= late
            v.update(state=State.IN_PROGRESS, acknowledged_at=acknowledged)
            req.events.append((acknowledged, Event.Kind.ACKNOWLEDGED, handler, unit.pk,
                               self.texts["acknowledged late"] if late else ""))  # fmt: skip
            last = acknowledged
            if round_ == 0 and not stuck and due > last and rng.random() < EXTENSION_SHARE:
                last, due, extended = self.extension(req, unit, handler, last, due)
                provisional |= extended
            if stuck:
                replied = None
            elif rng.random() < REPLY_LATE_SHARE:
                replied = self.office(due + rng.uniform(12, 240) * HOUR, after=last)
            else:
                replied = self.office(last + max(due - last, 2 * HOUR) * rng.uniform(0.15, 0.95), after=last)
            self.remind_overdue(req, unit, due, min(replied or now, now))
            if replied is None or replied > now:
                break
            text = REPLIES.get(category.name, GENERIC_REPLY)
            v["reply_late"] |= replied > due
            v.update(state=State.REPLIED, replied_at=replied, reply=text)
            req.events.append((replied, Event.Kind.REPLIED, handler, unit.pk, text))
            limit, _p = clock.extend(replied, self.policy.rating_days)
            if req.account and rng.random() < RATED_SHARE:
                rated = replied + (limit - replied) * rng.uniform(0.02, 0.8)
                if rated > now:
                    break
                weights = [72, 21, 7] if round_ == 0 else [80, 20, 0]
                verdict = rng.choices(list(Satisfaction), weights=weights)[0]
                comment = UNSATISFIED.get(category.name, UNSATISFIED[""]) if verdict == Satisfaction.UNSATISFIED else ""
                v.update(satisfaction=verdict, rating_comment=comment, rated_at=rated)
                label = str(Satisfaction(verdict).label)
                req.events.append((rated, Event.Kind.RATED, req.account[0], None,
                                   f"{label}{'：' + comment if comment else ''}"))  # fmt: skip
                if verdict in SATISFIED_VALUES:
                    v.update(state=State.CLOSED, closed_at=rated)
                    req.events.append((rated, Event.Kind.CLOSED, req.account[0], None, ""))
                    break
                # unsatisfied: reopened with its unit, both clocks from now
                ack_due, due, again = clock.clock(category, rated)
                provisional |= again
                ack_from = rated
                v.update(state=State.REOPENED, reopen_count=v["reopen_count"] + 1, clock_started_at=rated,
                         ack_from=rated, acknowledged_at=None, replied_at=None, closed_at=None)  # fmt: skip
                req.events.append((rated, Event.Kind.REOPENED, req.account[0], unit.pk, ""))
                continue
            closing = self.tick(limit.astimezone(gen.tz).date() + DAY)  # the tick closes unrated replies
            if closing <= now:
                v.update(state=State.CLOSED, closed_at=closing)
                req.events.append((closing, Event.Kind.CLOSED, None, None, self.texts["not rated"]))
            break
        if v["state"] == State.CLOSED and rng.random() < CALLBACK_SHARE:
            self.callback(req)
        v.update(unit=unit, ack_due=ack_due, due=due, clock_provisional=provisional)
        overdue = v["state"] in OPEN_STATES and (due < now or (v["state"] != State.IN_PROGRESS and ack_due < now))
        self.stats["overdue"] += overdue
        self.stats[f"request:{v['state']}"] += 1

    def extension(self, req, unit, handler, last, due):
        """A request for more working days before the limit, decided by the office before it too."""
        rng, now = self.gen.rng, self.now
        asked = self.office(last + (due - last) * rng.uniform(0.1, 0.5), after=last)
        if asked >= due or asked > now:
            return last, due, False
        days, reason = rng.choice([3, 5, 5, 10]), rng.choice(EXTENSION_REASONS)
        req.events.append((asked, Event.Kind.EXTENSION_REQUESTED, handler, unit.pk,
                           self.texts["extension"] % {"d": days, "r": reason}))  # fmt: skip
        decided = self.office(asked + (due - asked) * rng.uniform(0.2, 0.8), after=asked)
        ext = {"days": days, "reason": reason, "requested_by": handler, "requested_at": asked, "approved": None,
               "decided_by": None, "decided_at": None, "new_due": None}  # fmt: skip
        req.values["extension"] = ext
        provisional = False
        if decided <= now and decided < due:
            approved = rng.random() < 0.8
            ext.update(approved=approved, decided_by=self.supervisor, decided_at=decided)
            if approved:
                due, provisional = self.clocks.extend(due, days)
                ext["new_due"] = due
            text = due.astimezone(self.gen.tz).strftime("%Y-%m-%d") if approved else ""
            kind = Event.Kind.EXTENSION_APPROVED if approved else Event.Kind.EXTENSION_REFUSED
            req.events.append((decided, kind, self.supervisor, None, text))
            return decided, due, provisional
        return asked, due, False

    def callback(self, req) -> None:
        gen, rng = self.gen, self.gen.rng
        closed = req.values["closed_at"].astimezone(gen.tz).date()
        called_on = closed + rng.randint(1, 10) * DAY
        if called_on >= gen.today:
            return
        verdict = rng.choices(list(Satisfaction), weights=[75, 20, 5])[0]
        method = rng.choices(list(Callback.Method), weights=[80, 10, 10])[0]
        notes = CALLBACK_NOTES[verdict]
        recorded = gen.at(called_on, rng.randint(9, 17))
        req.values["callback"] = (called_on, method, verdict, notes, recorded)
        req.events.append((recorded, Event.Kind.CALLBACK, self.supervisor, None,
                           f"{Satisfaction(verdict).label}：{notes}"))  # fmt: skip

    def reminder(self, v: dict, at: datetime.datetime, unit: int, *, ack: bool) -> None:
        """The notice to the unit's user behind a reminder event, keyed as the tick keys it: the tick finds it
        and adds no second reminder that day."""
        gen, rng = self.gen, self.gen.rng
        day = at.astimezone(gen.tz).date()
        key = f"servicedesk:{'ack-late' if ack else 'overdue'}:{v['code']}:{day}"
        if ack:
            title = self.texts["ack title"] % {"n": v["number"], "t": v["title"]}
        else:
            title = self.texts["overdue title"] % {"n": v["number"], "u": self.units[unit], "t": v["title"]}
        read = at + rng.randint(1, 20) * HOUR if rng.random() < 0.8 else None
        gen.tables["notifications"].add(self.users[unit], key, "servicedesk", "yellow" if ack else "red", title[:200],
                                        "", self.url.format(v["code"]), at,
                                        read if read and read < self.now else None)  # fmt: skip

    def write(self, req: _Request) -> None:
        gen, v = self.gen, req.values
        year = req.raised.astimezone(gen.tz).year
        self.numbers[year] += 1
        topic = self.gen.rng.choice(TOPICS.get(req.category.name) or [f"{req.category.name}相关事项"])
        title = f"{req.project[1]}{topic}" if req.project else topic
        v.update(code=gen.code(), number=f"QS{year}-{self.numbers[year]:0{self.width}d}", title=title[:200],
                 description=DESCRIPTION.format(e=req.enterprise_name, t=topic), category=req.category.pk,
                 enterprise=req.enterprise, project=req.project[0] if req.project else None, unit=v["unit"].pk,
                 channel=req.channel, raised_at=req.raised, is_illustrative=True)  # fmt: skip
        pk = gen.tables["service_requests"].add(*[v[name] for name in REQUEST_FIELDS])
        events = gen.tables["request_events"]
        for at, kind, actor, unit, text in sorted(req.events, key=lambda e: e[0]):
            events.add(pk, at, kind, actor, unit, text)
            if kind == Event.Kind.REMINDED:
                self.reminder(v, at, unit, ack=text == self.texts["not acknowledged"])
        if v["extension"]:
            e = v["extension"]
            gen.tables["request_extensions"].add(pk, e["days"], e["reason"], e["requested_by"], e["requested_at"],
                                                 e["approved"], e["decided_by"], e["decided_at"], e["new_due"])  # fmt: skip
        if v["callback"]:
            called_on, method, verdict, notes, recorded = v["callback"]
            gen.tables["request_callbacks"].add(pk, called_on, method, verdict, notes, self.supervisor, recorded)
