"""The demo's talent apartments and furnished offices (PRODUCT.md §5), built through the services: two buildings of
the Zhongyuan Science and Technology City (an apartment block on 智慧岛 and an incubation base with furnished
offices), 20 spaces with photos, the default policies, and applications in every state — tenants checked in
months ago (one gave notice, one moved out, one in arrears, one renewed), a queue where C/D talents stand before
scored young talents, applications in publicity, in review (one overdue) and one not approved.

The demo applicant (login `applicant`, 李博文) is a young talent waiting in the apartment queue; the space manager
(login `spaces`, 钱晓雯) manages both buildings. Every person, ID number and phone number is invented.
`load_demo_spaces()` is called by the demo loader inside its transaction; calling it again changes nothing."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tuijin.core.demo_data import PASSWORD
from tuijin.org.models import Membership, Role, Unit, User
from tuijin.tasks.evidence import check_upload

from . import services
from .defaults import seed_policies
from .models import Application, Building, Lease, Policy, Space, SpaceKind

DAY = datetime.timedelta(days=1)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id_number(first17: str) -> str:
    """An ID number with a valid GB 11643 check character (for invented people)."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


APARTMENT_FURNISHING = [
    "双人床",
    "床垫",
    "衣柜",
    "书桌椅",
    "沙发",
    "空调",
    "冰箱",
    "洗衣机",
    "热水器",
    "燃气灶",
]
OFFICE_FURNISHING = ["办公桌椅", "文件柜", "会议桌", "空调", "网络接入", "门禁卡"]

# (name, category, employer, score items, fate, days ago submitted, login or "")
# fate: checked_in:<days ago> / signed / notice / ended / queued / publicity / first_passed / submitted / rejected
APARTMENT_APPLICANTS = [
    ("王浩然", "C", "国家超算郑州中心", [], "checked_in:310", 330, ""),
    ("陈雪", "D", "郑州中科新兴产业技术研究院", [], "arrears:200", 220, ""),
    ("刘一鸣", "young", "河南省科学院", ["doctorate", "no_home", "key_industry"], "checked_in:150", 175, ""),
    ("孙佳怡", "young", "郑州大学", ["master", "no_home"], "notice:95", 120, ""),
    ("周子轩", "B", "中原科技城创新研究院", [], "ended:260", 280, ""),
    ("赵敏", "C", "超聚变数字技术有限公司", [], "signed", 30, ""),
    ("李博文", "young", "超聚变数字技术有限公司", ["master", "key_industry"], "queued", 26, "applicant"),
    ("吴磊", "C", "河南中原科技城发展集团", [], "queued", 22, ""),
    ("郑琳", "young", "华为技术有限公司郑州研究所", ["doctorate", "no_home"], "queued", 24, ""),
    ("黄凯", "young", "郑州信大捷安信息技术股份有限公司", ["master", "key_industry"], "queued", 20, ""),
    ("冯雨桐", "D", "郑州市第一人民医院", [], "publicity", 12, ""),
    ("何俊", "young", "河南大学", ["master", "no_home"], "first_passed", 9, ""),
    ("马晓", "young", "中原动力智能机器人有限公司", ["bachelor", "no_home"], "submitted", 10, ""),
    ("林峰", "young", "郑州商品交易所技术公司", ["master"], "submitted", 1, ""),
    ("高洁", "young", "郑州某科技有限公司", ["bachelor"], "rejected", 15, ""),
]

# (enterprise, kind, contact, credit code (valid), fate, days ago submitted)
OFFICE_APPLICANTS = [
    ("郑州智算科技有限公司", "tech_sme", "杜明", "91410100MA9FXXK10U", "checked_in:280", 300),
    ("河南星图数据技术有限公司", "high_tech", "许静", "91410100MA46XL2N5J", "renewed:420", 440),
    ("中原量子计算初创团队", "startup", "葛宇", "91410100MA9G7Q3C1B", "queued", 18),
    ("郑州云启智能科技有限公司", "tech_sme", "彭涛", "91410100MA9K2E8R4W", "queued", 16),
    ("河南数智医疗科技有限公司", "tech_sme", "邹敏", "91410100MA9JL6TD8X", "submitted", 3),
]


def _credit_code(seed: str) -> str:
    """A valid unified social credit code on the pattern of `seed` (its check character recomputed)."""
    from tuijin.lib.credit_code import check_character

    return seed[:17] + check_character(seed[:17])


def demo_logins() -> list[tuple[str, str, str]]:
    """(login, name, where): the applicant and the space manager come from the main cast (core/demo_data.py)."""
    return []


class _Builder:
    def __init__(self):
        self.rng = random.Random(20260226)
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.manager = User.objects.get(username="spaces")
        self.password = make_password(PASSWORD)
        self.pdf = None
        self.serial = 0

    def at(self, days_ago: int, hour: int = 10) -> datetime.datetime:
        day = self.today - days_ago * DAY
        return timezone.make_aware(
            datetime.datetime(day.year, day.month, day.day, hour, self.rng.randint(0, 59))
        )

    def buildings(self) -> tuple[Building, Building]:
        sector = Unit.objects.get(name="中原科技城管委会")
        flats = Building.objects.create(
            name="中原科技城人才公寓（智慧岛一期）", address="郑州市郑东新区龙子湖智慧岛中道东路88号", sector=sector,
            operator="郑州中原科技城人才服务有限公司",
        )  # fmt: skip
        offices = Building.objects.create(
            name="中原科技城创新孵化基地", address="郑州市郑东新区龙湖北部如意东路66号", sector=sector,
            operator="河南中原科技城孵化器管理有限公司",
        )  # fmt: skip
        flats.managers.add(self.manager)
        offices.managers.add(self.manager)
        return flats, offices

    def spaces(self, flats: Building, offices: Building) -> None:
        for floor in range(2, 6):
            for number, (rooms, area, rent) in enumerate(
                [(1, 48, 1600), (2, 75, 2400), (3, 105, 3400)], start=1
            ):
                Space.objects.create(
                    building=flats, kind=SpaceKind.APARTMENT, label=f"1-{floor}0{number}", rooms=rooms,
                    area=Decimal(area + floor), market_rent=Decimal(rent + 50 * floor),
                    furnishing=APARTMENT_FURNISHING[: 7 + rooms],
                )  # fmt: skip
        for index, (desks, area, rent) in enumerate(
            [(6, 60, 3000), (8, 80, 4000), (12, 120, 6000), (0, 200, 9500), (4, 40, 2000), (10, 100, 5000),
             (0, 300, 14000), (16, 160, 7800)], start=1):  # fmt: skip
            Space.objects.create(
                building=offices, kind=SpaceKind.OFFICE, label=f"A{300 + index}", desks=desks, area=Decimal(area),
                market_rent=Decimal(rent), furnishing=OFFICE_FURNISHING,
            )  # fmt: skip
        maintenance = Space.objects.get(building=flats, label="1-503")
        maintenance.status, maintenance.note = Space.Status.MAINTENANCE, "热水器更换中"
        maintenance.save()

    def photos(self) -> None:
        from tuijin.core.demo import photo_bytes

        for label, scene in (("1-201", "tower"), ("1-302", "build"), ("A301", "park"), ("A304", "tower")):
            space = Space.objects.get(label=label)
            content = photo_bytes(self.rng, scene, self.now - 40 * DAY, (34.80, 113.73))
            checked = check_upload(SimpleUploadedFile(f"{label}.jpg", content, content_type="image/jpeg"))
            services.add_photo(actor=self.manager, space=space, checked=checked)

    def documents(self, policy: Policy) -> list:
        if self.pdf is None:
            from tuijin.core.demo import document_bytes

            self.pdf = document_bytes(self.rng)
        return [(title, check_upload(SimpleUploadedFile(f"{title[:20]}.pdf", self.pdf))) for title in
                policy.required_documents]  # fmt: skip

    def person(self, login: str, name: str) -> User:
        if login:
            return User.objects.get(username=login)
        self.serial += 1
        user = User.objects.create(username=f"rc{self.serial:02d}", display_name=name, password=self.password,
                                   title="人才公寓申请人")  # fmt: skip
        Membership.objects.create(user=user, role=Role.APPLICANT)
        return user

    def apply(self, policy, user, *, category, name, employer, items=(), credit_code="") -> Application:
        id_number = make_id_number(f"4101{self.rng.randint(10, 99)}19{self.rng.randint(80, 99)}"
                                   f"{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}{self.rng.randint(100, 999)}")  # fmt: skip
        phone = f"13{self.rng.randint(0, 9)}{self.rng.randint(10000000, 99999999)}"
        return services.submit_application(
            actor=user, policy=policy, category=category, name=name, id_number=id_number, phone=phone,
            employer=employer, credit_code=credit_code, score_items=items, documents=self.documents(policy),
        )  # fmt: skip

    def advance(self, application: Application, fate: str, days_ago: int) -> None:
        """Take the application as far as its fate through the services, then date each step back."""
        m = self.manager
        state = fate.split(":")[0]
        submitted = self.at(days_ago, 9)
        stamps = {"submitted_at": submitted, "first_review_due": services.workdays_after(submitted.date(), 5)}
        if state == "rejected":
            services.review(actor=m, application=application, step="first", approve=False,
                            note="劳动合同剩余期限不足一年，不符合申请条件。")  # fmt: skip
            stamps["first_reviewed_at"] = self.at(days_ago - 3, 15)
        if state in ("submitted", "rejected"):
            Application.objects.filter(pk=application.pk).update(**stamps)
            return
        services.review(
            actor=m, application=application, step="first", approve=True, note="材料齐全，符合条件。"
        )
        stamps.update(first_reviewed_at=self.at(days_ago - 2, 15),
                      second_review_due=services.workdays_after((submitted + 2 * DAY).date(), 5))  # fmt: skip
        if state == "first_passed":
            Application.objects.filter(pk=application.pk).update(**stamps)
            return
        services.review(
            actor=m, application=application, step="second", approve=True, note="同意，进入公示。"
        )
        reviewed = self.at(days_ago - 4, 16)
        stamps.update(second_reviewed_at=reviewed, publicity_ends=reviewed.date() + 5 * DAY)
        if state == "publicity":
            stamps["publicity_ends"] = self.today + 2 * DAY
            Application.objects.filter(pk=application.pk).update(**stamps)
            return
        services.finish_publicity(today=self.today + 30 * DAY)
        stamps["queued_at"] = self.at(days_ago - 10, 9)
        if state == "queued":
            Application.objects.filter(pk=application.pk).update(**stamps)
            return
        moved_in = int(fate.split(":")[1]) if ":" in fate else 0
        start = self.today - moved_in * DAY if moved_in else self.today + 3 * DAY
        kind = application.kind
        free = list(Space.objects.filter(kind=kind, status=Space.Status.AVAILABLE).order_by("pk")[:4])
        space = free[self.rng.randint(0, len(free) - 1)]
        lease = services.allocate(actor=m, application=application, space=space, start=start)
        stamps["allocated_at"] = self.at(moved_in + 3 if moved_in else 3, 11)
        Application.objects.filter(pk=application.pk).update(**stamps)
        Lease.objects.filter(pk=lease.pk).update(allocated_at=stamps["allocated_at"])
        if state == "signed":
            return
        services.check_in(actor=m, lease=lease, present={item: True for item in space.furnishing})
        Lease.objects.filter(pk=lease.pk).update(checked_in_at=self.at(moved_in, 10))
        lease.refresh_from_db()
        if state == "renewed":
            services.renew(actor=m, lease=lease, requalified=True)
        self.pay(lease, skip_last=2 if state == "arrears" else 0)
        if state == "notice":
            services.give_notice(actor=application.applicant, lease=lease, move_out_on=self.today + 35 * DAY)
        if state == "ended":
            services.give_notice(actor=application.applicant, lease=lease, move_out_on=self.today + 30 * DAY)
            lease.refresh_from_db()
            items = {item: item != "洗衣机" for item in space.furnishing}
            services.check_out(actor=m, lease=lease, present=items, note="洗衣机排水故障，已报修。")
            Lease.objects.filter(pk=lease.pk).update(checked_out_at=self.at(20, 10), move_out_on=self.today - 20 * DAY,
                                                     notice_given_on=self.today - 50 * DAY)  # fmt: skip

    def pay(self, lease: Lease, skip_last: int = 0) -> None:
        lease.refresh_from_db()
        policy = lease.application.policy
        months = lease.months_due(self.today)
        for month in months[: len(months) - skip_last]:
            amount = lease.rent_for_month(month, policy)
            if amount > 0:
                services.record_payment(
                    actor=self.manager, lease=lease, amount=amount, paid_on=month + 4 * DAY
                )

    def run(self) -> None:
        seed_policies(Policy)
        flats, offices = self.buildings()
        self.spaces(flats, offices)
        self.photos()
        apartments, office_policy = Policy.objects.get(kind="apartment"), Policy.objects.get(kind="office")
        # oldest first, so that the queue and the leases come out in the order they would have
        rows = [("a", row) for row in APARTMENT_APPLICANTS] + [("o", row) for row in OFFICE_APPLICANTS]
        rows.sort(key=lambda r: -r[1][5])
        for kind, row in rows:
            if kind == "a":
                name, category, employer, items, fate, days_ago, login = row
                user = self.person(login, name)
                application = self.apply(apartments, user, category=category, name=name, employer=employer,
                                         items=items)  # fmt: skip
            else:
                enterprise, category, contact, code, fate, days_ago = row
                user = self.person("", contact)
                application = self.apply(office_policy, user, category=category, name=contact, employer=enterprise,
                                         credit_code=_credit_code(code))  # fmt: skip
            self.advance(application, fate, days_ago)


def load_demo_spaces() -> None:
    if Building.objects.exists():
        return
    _Builder().run()
