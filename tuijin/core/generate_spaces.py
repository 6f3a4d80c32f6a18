"""Talent apartments and furnished offices for `tuijin generate` (tuijin/core/generate.py), city by city.

A city has 60 buildings over its sectors (two thirds apartment blocks, a third incubation bases with furnished
offices) holding 3,000 spaces, most let: an occupied space has its current lease (checked in, some under notice),
a reserved one a lease awaiting check-in, and some spaces of each status an ended lease behind them (a space in
maintenance came back with something missing). Every lease has its allocated application; besides them there are
applications in review (some past their review time limit), in publicity, waiting in the queue, not approved and
withdrawn, each from its own applicant login. Rent payments run month by month, a few leases in arrears.

The rows are those the services would have written (tuijin/spaces/services*.py): review due dates in working days
of the calendar in force, publicity ending after the policy's days, the queue joined at the first tick after it,
rents and rent rules from the policy, terms renewed yearly, renewal reminders marked where the tick sent them.
ID numbers and phones are sealed as `EncryptedCharField` seals them (SM4-GCM under the current field key, the same
text format), with the nonce drawn from the generator's random generator so that the same seed gives the same
stored text; the ID number's blind index is the one `spaces.services.id_index` computes. The default policies
come from the data migration and are reused.
"""

from __future__ import annotations

import base64
import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.utils import translation

from tuijin.investment.models import Enterprise
from tuijin.lib import crypto
from tuijin.lib.workdays import CalendarMissing
from tuijin.org.models import Membership, Role, Unit, UnitKind, User
from tuijin.spaces.demo import APARTMENT_FURNISHING, OFFICE_FURNISHING, make_id_number
from tuijin.spaces.models import (
    ENTERPRISE_KINDS,
    TALENT_CATEGORIES,
    Application,
    Building,
    Lease,
    Payment,
    Policy,
    Space,
)
from tuijin.spaces.models import SpaceKind as Kind
from tuijin.spaces.services import add_years, check_eligibility, id_index

BUILDINGS_PER_CITY = 60
APARTMENT_BUILDINGS = 40  # of the 60; the others are incubation bases with furnished offices
SPACES_PER_CITY = 3_000
STATUS_WEIGHTS = {Space.Status.OCCUPIED: 80, Space.Status.RESERVED: 4, Space.Status.AVAILABLE: 10,
                  Space.Status.MAINTENANCE: 6}  # fmt: skip
NOTICE_SHARE = 0.08  # of the occupied spaces: the tenant gave notice
HISTORY_SHARE = {Space.Status.OCCUPIED: 0.10, Space.Status.RESERVED: 0.3, Space.Status.AVAILABLE: 0.5,
                 Space.Status.MAINTENANCE: 1.0}  # spaces with an ended lease behind them  # fmt: skip
# applications that hold no lease, as shares of the spaces of their kind
OPEN_SHARES = {Application.State.SUBMITTED: 0.03, Application.State.FIRST_PASSED: 0.015,
               Application.State.PUBLICITY: 0.012, Application.State.QUEUED: 0.08,
               Application.State.REJECTED: 0.05, Application.State.WITHDRAWN: 0.02}  # fmt: skip
ARREARS_SHARE = 0.06  # leases whose last months are unpaid

CATEGORY_WEIGHTS = {"A": 2, "B": 5, "C": 20, "D": 23, "young": 50, "tech_sme": 50, "high_tech": 30, "startup": 20}
REGIONS = ["410102", "410103", "410104", "410105", "410108", "410122", "410181", "410182", "410183", "410184",
           "410185", "110105", "320106", "420111", "370102", "610113", "430104", "510107"]  # fmt: skip
INSTITUTIONS = ["国家超算郑州中心", "郑州大学", "河南大学", "河南省科学院", "中原科技城创新研究院", "郑州市第一人民医院",
                "华为技术有限公司郑州研究所", "超聚变数字技术有限公司", "郑州商品交易所技术公司", "河南中原科技城发展集团"]  # fmt: skip
REJECTIONS = {
    Kind.APARTMENT: ["劳动合同剩余期限不足一年，不符合申请条件。", "本市社会保险缴纳不足六个月。",
                     "申请人及配偶在本市已有自有住房。", "人才认定证书已超过有效期。"],
    Kind.OFFICE: ["企业注册地不在本市，不符合入驻条件。", "企业不属于科技型中小企业或高新技术企业。",
                  "申请面积超出政策上限，且未说明理由。"],
}  # fmt: skip
OBJECTION = "公示期间收到实名反映，经核实申请人在本市已有自有住房。"
MAINTENANCE_NOTES = {Kind.APARTMENT: ["热水器更换中", "洗衣机维修中", "墙面翻新", "空调检修"],
                     Kind.OFFICE: ["空调检修", "网络线路改造", "门禁系统更换"]}  # fmt: skip
MISSING_ITEM = {Kind.APARTMENT: ("洗衣机", "洗衣机排水故障，已报修。"), Kind.OFFICE: ("空调", "空调不制冷，已报修。")}
DAY = datetime.timedelta(days=1)


def seal(plaintext: str, *, nonce: bytes, ring: crypto.Keyring) -> crypto.Sealed:
    """`crypto.seal` with a given nonce: the same cipher, key, associated data and text format, so the field reads
    it back as it reads its own; only the nonce comes from the generator's random generator (unique per value, as
    GCM requires, and the same for the same seed)."""
    kid = ring.current_id
    enc = Cipher(algorithms.SM4(ring.keys[kid]), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(kid.encode())
    body = enc.update(plaintext.encode("utf-8")) + enc.finalize()
    return crypto.Sealed(f"{crypto.PREFIX}{kid}:{base64.b64encode(nonce + body + enc.tag).decode()}")


def workdays_after(calendar, day: datetime.date, n: int) -> datetime.date:
    """`spaces.services.workdays_after` on the calendar the generator fetched once."""
    try:
        return calendar.add_workdays(day, n)
    except CalendarMissing:
        while n:
            day += DAY
            n -= day.weekday() < 5
        return day


@dataclass(slots=True)
class _Space:
    pk: int
    kind: str
    area: Decimal
    market_rent: Decimal
    furnishing: list[str]
    status: str


@dataclass(slots=True)
class _App:
    """An application being planned; its row is written once all of the city's are known (numbered in order)."""

    kind: str
    state: str
    submitted: datetime.datetime
    values: dict = field(default_factory=dict)
    lease: dict | None = None
    pk: int = 0
    user: int = 0


APPLICATION_FIELDS = [
    "code", "number", "applicant", "policy", "kind", "category", "name", "id_number", "id_index", "phone", "employer",
    "credit_code", "score_items", "score", "note", "eligible", "eligibility_reasons", "state", "submitted_at",
    "first_review_due", "first_reviewed_by", "first_reviewed_at", "first_review_note", "second_review_due",
    "second_reviewed_by", "second_reviewed_at", "second_review_note", "publicity_ends", "queued_at", "allocated_at",
    "reject_reason",
]  # fmt: skip
LEASE_FIELDS = [
    "code", "application", "space", "tenant", "state", "start", "end", "term_ends", "market_rent", "monthly_rent",
    "rent_rule", "out_of_turn_reason", "allocated_by", "allocated_at", "checked_in_at", "check_in_checklist",
    "notice_given_on", "move_out_on", "checked_out_at", "check_out_checklist", "reminded_for", "renewals",
]  # fmt: skip


class SpacesPart:
    """Called by the Generator for each city, inside the city's transaction; its tables join the Generator's."""

    def __init__(self, gen):
        from tuijin.core.generate import Table

        self.gen = gen
        self.ring = crypto.keyring()  # no field key: stop before anything is written
        gen.tables.update({
            "buildings": Table(Building, ["code", "name", "address", "sector", "operator"]),
            "building_managers": Table(Building.managers.through, ["building", "user"]),
            "spaces": Table(Space, ["code", "building", "kind", "label", "rooms", "desks", "area", "furnishing",
                                    "market_rent", "status", "note"]),
            "space_applications": Table(Application, APPLICATION_FIELDS),
            "leases": Table(Lease, LEASE_FIELDS),
            "payments": Table(Payment, ["code", "lease", "amount", "paid_on", "recorded_by"]),
        })  # fmt: skip
        self.today = gen.today
        self.numbers: Counter = Counter()  # "GY2026-" → the last number given
        # Numbers as `_next_number` continues them: wide enough that the text order is the number order.
        self.width = max(4, len(str(2 * SPACES_PER_CITY * gen.factor)))
        self.id_numbers: set[str] = set()
        self.next_enterprise = 1  # the first enterprise of the city being generated
        self.policies: dict[str, Policy] = {}
        self.memo: dict = {}
        self.stats: Counter = Counter()  # what was generated, for the tests: statuses, overdue reviews…

    # — the city —

    def city(self, city: int, units: list[Unit]) -> None:
        gen = self.gen
        if not self.policies:
            self.policies = {p.kind: p for p in Policy.objects.all()}
            if set(self.policies) != {Kind.APARTMENT, Kind.OFFICE}:
                raise RuntimeError("the spaces policies are missing: run `tuijin migrate` first")
        gen.tables["enterprises"].flush()
        enterprises = list(Enterprise.objects.filter(pk__gte=self.next_enterprise).order_by("pk")
                           .values_list("name", "credit_code"))  # fmt: skip
        self.next_enterprise = gen.tables["enterprises"].next_id
        self.employers = [name for name, _c in enterprises] or INSTITUTIONS
        self.offices = [(name, code) for name, code in enterprises]
        gen.rng.shuffle(self.offices)
        suffix = f"{city + 1:02d}" if gen.factor > 1 else ""
        self.manager = self.make_manager(suffix)
        spaces = self.make_buildings(city, units)
        apps: list[_App] = []
        for space in spaces:
            apps += self.plan_leases(space)
        for kind in (Kind.APARTMENT, Kind.OFFICE):
            n = sum(1 for s in spaces if s.kind == kind)
            for state, share in OPEN_SHARES.items():
                apps += [self.plan_open(kind, state) for _ in range(round(n * share))]
        apps.sort(key=lambda a: a.submitted)
        self.write(apps, suffix)

    def make_manager(self, suffix: str) -> int:
        gen = self.gen
        pk = User.objects.count() + 1
        User.objects.bulk_create([User(pk=pk, code=gen.code(), username=f"spaces{suffix}", display_name=gen.name(),
                                       title="人才公寓运营专员", password=gen.password_hash(),  # before the first lease
                                       date_joined=gen.at(self.today - 5 * 365 * DAY, 9))])  # fmt: skip
        Membership.objects.bulk_create([Membership(user_id=pk, unit=None, role=Role.SPACE_MANAGER)])
        return pk

    def make_buildings(self, city: int, units: list[Unit]) -> list[_Space]:
        """The city's buildings, round the sectors in a shuffled order, and their spaces, each with its status."""
        gen, rng = self.gen, self.gen.rng
        sectors = [u for u in units if u.kind == UnitKind.SECTOR]
        rng.shuffle(sectors)
        prefix = gen.prefix(city)
        per_building, extra = divmod(SPACES_PER_CITY, BUILDINGS_PER_CITY)
        seen: Counter = Counter()
        made: list[_Space] = []
        statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
        for i in range(BUILDINGS_PER_CITY):
            sector = sectors[i % len(sectors)]
            kind = Kind.APARTMENT if i < APARTMENT_BUILDINGS else Kind.OFFICE
            stem = sector.short_name or sector.name
            seen[(stem, kind)] += 1
            flats = kind == Kind.APARTMENT
            name = f"{prefix}{stem}{'人才公寓' if flats else '创新孵化基地'}{seen[(stem, kind)]}号楼"
            operator = f"{prefix}{stem}{'人才服务' if flats else '孵化器管理'}有限公司"
            building = gen.tables["buildings"].add(gen.code(), name, f"{prefix}{stem}{rng.randint(1, 300)}号",
                                                   sector.pk, operator)  # fmt: skip
            gen.tables["building_managers"].add(building, self.manager)
            rent_per_m2 = rng.randint(28, 45) if flats else rng.randint(45, 75)
            for n in range(per_building + (i < extra)):
                floor, door = divmod(n, 5)
                if flats:
                    rooms, desks = rng.choices([1, 2, 3], weights=[45, 40, 15])[0], 0
                    area = Decimal({1: 45, 2: 72, 3: 100}[rooms] + rng.randint(0, 12))
                    label, furnishing = f"1-{floor + 2}{door + 1:02d}", APARTMENT_FURNISHING[: 7 + rooms]
                else:
                    rooms, desks = 1, rng.choice([4, 6, 8, 10, 12, 16, 0])
                    area = Decimal(desks * 10 + rng.randint(0, 8) if desks else rng.randint(150, 400))
                    label, furnishing = f"A{floor + 2}{door + 1:02d}", OFFICE_FURNISHING
                rent = Decimal(int(round(area * rent_per_m2 / 10)) * 10)
                status = rng.choices(statuses, weights=weights)[0]
                note = rng.choice(MAINTENANCE_NOTES[kind]) if status == Space.Status.MAINTENANCE else ""
                pk = gen.tables["spaces"].add(gen.code(), building, kind, label, rooms, desks, area, furnishing, rent,
                                              status, note)  # fmt: skip
                made.append(_Space(pk, kind, area, rent, furnishing, status))
                self.stats[f"space:{status}"] += 1
        return made

    # — applications —

    def new_app(self, kind: str, state: str, submitted: datetime.date, hour: int | None = None) -> _App:
        """An application submitted on `submitted` by a new person, with what the submit service fills in."""
        gen, rng = self.gen, self.gen.rng
        policy = self.policies[kind]
        allowed = [c for c in (TALENT_CATEGORIES if kind == Kind.APARTMENT else ENTERPRISE_KINDS)
                   if c in policy.eligible_categories] or list(policy.eligible_categories)  # fmt: skip
        category = rng.choices(allowed, weights=[CATEGORY_WEIGHTS.get(c, 10) for c in allowed])[0]
        name = gen.name()
        if kind == Kind.OFFICE and self.offices:
            employer, credit_code = self.offices.pop()
        else:
            employer, credit_code = rng.choice(self.employers if rng.random() < 0.6 else INSTITUTIONS), ""
        items = self.score_items(policy) if policy.is_scored(category) else []
        at = gen.at(submitted, hour if hour is not None else rng.randint(8, 22))
        values = {
            "code": gen.code(), "policy": policy.pk, "kind": kind, "category": category, "name": name,
            "employer": employer, "credit_code": credit_code, "score_items": items, "score": policy.score_of(items),
            "note": "", "eligible": True, "eligibility_reasons": self.checks(policy, category, missing=False),
            "state": state, "submitted_at": at,
            "first_review_due": workdays_after(gen.calendar, submitted, policy.first_review_days),
            "first_reviewed_by": None, "first_reviewed_at": None, "first_review_note": "", "second_review_due": None,
            "second_reviewed_by": None, "second_reviewed_at": None, "second_review_note": "", "publicity_ends": None,
            "queued_at": None, "allocated_at": None, "reject_reason": "",
        }  # fmt: skip
        return _App(kind, state, at, values)

    def score_items(self, policy: Policy) -> list[str]:
        rng = self.gen.rng
        keys = [item["key"] for item in policy.score_items]
        degrees = [k for k in ("doctorate", "master", "bachelor") if k in keys]
        chosen = [rng.choices(degrees, weights=[15, 45, 40][: len(degrees)])[0]] if degrees else []
        chosen += [k for k in keys if k not in degrees and rng.random() < 0.45]
        return sorted(chosen)

    def checks(self, policy: Policy, category: str, *, missing: bool) -> list[dict]:
        """The eligibility check the submit service stores, from the service itself (once per case)."""
        key = (policy.kind, category, missing)
        if key not in self.memo:
            titles = policy.required_documents[1:] if missing else policy.required_documents
            with translation.override(settings.LANGUAGE_CODE):
                self.memo[key] = check_eligibility(policy=policy, category=category, employer="—",
                                                   document_titles=titles, id_number="")  # fmt: skip
        return self.memo[key]

    def review(self, app: _App, *, first: datetime.date, second: datetime.date | None = None,
               queued: bool = False) -> None:  # fmt: skip
        """The first review on `first`, the second on `second` (publicity starts), the queue joined at the first
        tick after the publicity ended."""
        gen, v = self.gen, app.values
        policy = self.policies[app.kind]
        v.update(first_reviewed_by=self.manager, first_reviewed_at=gen.at(first, gen.rng.randint(9, 17)),
                 first_review_note="材料齐全，符合条件。",
                 second_review_due=workdays_after(gen.calendar, first, policy.second_review_days))  # fmt: skip
        if second is not None:
            v.update(second_reviewed_by=self.manager, second_reviewed_at=gen.at(second, gen.rng.randint(9, 17)),
                     second_review_note="同意，进入公示。", publicity_ends=second + policy.publicity_days * DAY)  # fmt: skip
        if queued:
            v["queued_at"] = gen.at(v["publicity_ends"] + DAY, 0)

    def plan_open(self, kind: str, state: str) -> _App:
        """An application without a lease, as it stands today."""
        rng, today = self.gen.rng, self.today
        publicity = self.policies[kind].publicity_days
        S = Application.State
        if state == S.SUBMITTED:
            app = self.new_app(kind, state, today - rng.randint(1, 12) * DAY)
            self.stats["review_overdue"] += app.values["first_review_due"] < today
            return app
        if state == S.FIRST_PASSED:
            first = today - rng.randint(1, 10) * DAY
            app = self.new_app(kind, state, first - rng.randint(1, 6) * DAY)
            self.review(app, first=first)
            self.stats["review_overdue"] += app.values["second_review_due"] < today
            return app
        if state in (S.PUBLICITY, S.QUEUED):
            # in publicity until its last day; the tick queues it the day after
            second = today - rng.randint(1, publicity) * DAY if state == S.PUBLICITY else \
                today - (rng.randint(0, 120) + 1 + publicity) * DAY  # fmt: skip
            first = second - rng.randint(1, 6) * DAY
            app = self.new_app(kind, state, first - rng.randint(1, 6) * DAY)
            self.review(app, first=first, second=second, queued=state == S.QUEUED)
            return app
        submitted = today - rng.randint(8, 700) * DAY
        if state == S.WITHDRAWN:
            app = self.new_app(kind, state, submitted)
            if rng.random() < 0.5:
                self.review(app, first=submitted + rng.randint(1, 6) * DAY)
            return app
        app = self.new_app(kind, state, submitted)  # not approved: at the first review, the second, or an objection
        first = submitted + rng.randint(1, 6) * DAY
        r = rng.random()
        if r < 0.7:
            ineligible = rng.random() < 0.4
            if ineligible:
                policy = self.policies[kind]
                app.values.update(eligible=False, eligibility_reasons=self.checks(policy, app.values["category"],
                                                                                   missing=True))  # fmt: skip
            app.values.update(first_reviewed_by=self.manager, first_reviewed_at=self.gen.at(first, 15),
                              first_review_note=self.rejection(kind, ineligible))  # fmt: skip
            app.values["reject_reason"] = app.values["first_review_note"]
        elif r < 0.9:
            self.review(app, first=first)
            second = first + rng.randint(1, 6) * DAY
            reason = self.rejection(kind, False)
            app.values.update(second_reviewed_by=self.manager, second_reviewed_at=self.gen.at(second, 15),
                              second_review_note=reason, reject_reason=reason)  # fmt: skip
        else:
            self.review(app, first=first, second=first + rng.randint(1, 6) * DAY)
            app.values["reject_reason"] = OBJECTION
        return app

    def rejection(self, kind: str, ineligible: bool) -> str:
        if ineligible:
            return f"材料不全：缺少{self.policies[kind].required_documents[0]}。"
        return self.gen.rng.choice(REJECTIONS[kind])

    # — leases —

    def plan_leases(self, space: _Space) -> list[_App]:
        """The space's ended lease, if it has one, and its current lease (occupied or reserved), each with its
        allocated application."""
        rng, today = self.gen.rng, self.today
        term = self.policies[space.kind].term_years
        current = None
        if space.status == Space.Status.RESERVED:
            allocated = today - rng.randint(1, 10) * DAY
            current = (Lease.State.SIGNED, allocated + rng.randint(3, 20) * DAY, allocated)
        elif space.status == Space.Status.OCCUPIED:
            start = today - rng.randint(7, term * 365 - 40) * DAY
            state = Lease.State.NOTICE if rng.random() < NOTICE_SHARE else Lease.State.ACTIVE
            current = (state, start, start - rng.randint(2, 14) * DAY)
        apps = []
        if rng.random() < HISTORY_SHARE[space.status]:
            left = current[2] - rng.randint(5, 60) * DAY if current else today - rng.randint(3, 300) * DAY
            start = left - rng.randint(90, term * 365 - 10) * DAY
            missing = space.status == Space.Status.MAINTENANCE
            apps.append(self.lease(space, Lease.State.ENDED, start, start - rng.randint(2, 14) * DAY, left, missing))
        if current:
            apps.append(self.lease(space, *current))
        return apps

    def lease(self, space: _Space, state: str, start: datetime.date, allocated: datetime.date,
              left: datetime.date | None = None, missing: bool = False) -> _App:  # fmt: skip
        """A lease as allocate, check_in, renew, give_notice and check_out leave it, and its application."""
        gen, rng, today = self.gen, self.gen.rng, self.today
        policy = self.policies[space.kind]
        # the application, back from the allocation: reviews, publicity, the first tick after it, the wait
        queued = allocated - rng.randint(0, 60) * DAY
        second = queued - (1 + policy.publicity_days) * DAY
        first = second - rng.randint(1, 6) * DAY
        app = self.new_app(space.kind, Application.State.ALLOCATED, first - rng.randint(1, 6) * DAY)
        self.review(app, first=first, second=second, queued=True)
        allocated_at = max(gen.at(allocated, rng.randint(9, 17)), app.values["queued_at"] + datetime.timedelta(hours=9))
        app.values["allocated_at"] = allocated_at
        term_ends = add_years(start, policy.term_years) - DAY
        ends = [min(add_years(start, k + 1) - DAY, term_ends) for k in range(policy.term_years)]
        checked_in = notice = move_out = checked_out = None
        check_in = check_out = {}
        until = left or today  # the lease was renewed each year while it ran
        renewals = next((k for k, end in enumerate(ends) if end >= until), len(ends) - 1)
        if state != Lease.State.SIGNED:
            checked_in = gen.at(min(start + rng.randint(0, 4) * DAY, today - DAY), rng.randint(9, 17))
            check_in = {"items": {item: True for item in space.furnishing}, "note": ""}
        if state == Lease.State.NOTICE:
            notice = max(today - rng.randint(0, 25) * DAY, checked_in.date())
            move_out = notice + (policy.notice_days + rng.randint(0, 30)) * DAY
        if state == Lease.State.ENDED:
            move_out = min(left, ends[renewals])
            notice = max(move_out - (policy.notice_days + rng.randint(0, 15)) * DAY, checked_in.date())
            checked_out = gen.at(move_out, rng.randint(9, 17))
            gone, note = MISSING_ITEM[space.kind] if missing else ("", "")
            check_out = {"items": {item: item != gone for item in space.furnishing}, "note": note}
        # the renewal reminder of the last end it was sent for, while the tenant had not given notice
        sent = [end for end in ends[: renewals + 1] if end - policy.reminder_days * DAY <= (notice or today)]
        reminded = sent[-1] if sent and state != Lease.State.SIGNED else None
        category = app.values["category"]
        app.lease = {
            "code": gen.code(), "space": space.pk, "state": state, "start": start, "end": ends[renewals],
            "term_ends": term_ends, "market_rent": space.market_rent,
            "monthly_rent": policy.monthly_rent(category=category, market_rent=space.market_rent, area=space.area,
                                                lease_year=renewals + 1),
            "rent_rule": self.rent_rule(policy, category), "out_of_turn_reason": "", "allocated_by": self.manager,
            "allocated_at": allocated_at, "checked_in_at": checked_in, "check_in_checklist": check_in,
            "notice_given_on": notice, "move_out_on": move_out, "checked_out_at": checked_out,
            "check_out_checklist": check_out, "reminded_for": reminded, "renewals": renewals,
            "area": space.area,  # not a column: the rent of each month is computed on it
        }  # fmt: skip
        self.stats[f"lease:{state}"] += 1
        return app

    def rent_rule(self, policy: Policy, category: str) -> str:
        key = ("rule", policy.kind, category)
        if key not in self.memo:
            with translation.override(settings.LANGUAGE_CODE):
                self.memo[key] = str(policy.rent_rule_text(category))
        return self.memo[key]

    # — writing —

    def person(self) -> tuple[str, str]:
        """A new person's ID number (valid check character, never seen before in the run) and mobile phone."""
        rng = self.gen.rng
        while True:
            born = datetime.date(1965, 1, 1) + rng.randrange(13_000) * DAY
            number = make_id_number(f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}")
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number, f"1{rng.choice('3578')}{rng.randrange(10)}{rng.randrange(10**8):08d}"

    def sealed(self, plaintext: str) -> crypto.Sealed:
        nonce = self.gen.rng.getrandbits(8 * crypto.NONCE_BYTES).to_bytes(crypto.NONCE_BYTES, "big")
        return seal(plaintext, nonce=nonce, ring=self.ring)

    def write(self, apps: list[_App], suffix: str) -> None:
        """Applicants (a login each), applications numbered in the order they were submitted, then the leases in
        the order they were allocated, with their payments."""
        gen = self.gen
        base = User.objects.count()
        users, memberships = [], []
        for i, app in enumerate(apps, start=1):
            app.user = base + i
            joined = app.submitted - datetime.timedelta(minutes=gen.rng.randint(10, 600))
            users.append(User(pk=app.user, code=gen.code(), username=f"applicant{suffix}-{i:05d}",
                              display_name=app.values["name"], password=gen.password_hash(), date_joined=joined,
                              title="人才公寓申请人" if app.kind == Kind.APARTMENT else "拎包办公申请人"))  # fmt: skip
            memberships.append(Membership(user_id=app.user, unit=None, role=Role.APPLICANT))
        User.objects.bulk_create(users, batch_size=2_000)
        Membership.objects.bulk_create(memberships, batch_size=2_000)
        table = gen.tables["space_applications"]
        for app in apps:
            prefix = f"{'GY' if app.kind == Kind.APARTMENT else 'BG'}{app.submitted.astimezone(gen.tz).year}-"
            self.numbers[prefix] += 1
            id_number, phone = self.person()
            app.values.update(number=f"{prefix}{self.numbers[prefix]:0{self.width}d}", applicant=app.user,
                              id_number=self.sealed(id_number), id_index=id_index(id_number),
                              phone=self.sealed(phone))  # fmt: skip
            app.pk = table.add(*[app.values[name] for name in APPLICATION_FIELDS])
            self.stats[f"application:{app.state}"] += 1
        let = sorted((app for app in apps if app.lease), key=lambda a: a.lease["allocated_at"])
        for app in let:
            lease = app.lease
            lease.update(application=app.pk, tenant=app.user)
            pk = gen.tables["leases"].add(*[lease[name] for name in LEASE_FIELDS])
            self.payments(pk, app)

    def payments(self, pk: int, app: _App) -> None:
        """Rent paid by the 5th of each month due (nothing where the rent is nil), the last months unpaid on a few
        current leases."""
        gen, rng, v = self.gen, self.gen.rng, app.lease
        if v["state"] == Lease.State.SIGNED:
            return
        policy = self.policies[app.kind]
        probe = Lease(start=v["start"], end=v["end"], checked_out_at=v["checked_out_at"])
        months = probe.months_due(self.today)
        if v["state"] != Lease.State.ENDED and rng.random() < ARREARS_SHARE:
            months = months[: -rng.randint(1, 3)]
            self.stats["arrears"] += 1
        for month in months:
            amount = policy.monthly_rent(category=app.values["category"], market_rent=v["market_rent"],
                                         area=v["area"], lease_year=probe.lease_year(month))  # fmt: skip
            paid = max(month + 4 * DAY, v["start"])
            if amount > 0 and paid < self.today:
                gen.tables["payments"].add(gen.code(), pk, amount, paid, self.manager)
