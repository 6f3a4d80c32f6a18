"""The demo's 双报到 and 办实事 (PRODUCT.md §5), built through the services on top of the main scenario's units
and logins: four communities in 金水区 and 郑东新区 with their staff, units' and members' registrations in every
state, needs open, full, done and cancelled, service over this quarter and the two before it (mostly confirmed,
some waiting, one rejected), last quarter's feedback sent, and a public 办实事 list of eight items.

`load_demo_partybuilding()` is called by the demo loader after the main scenario; calling it again changes
nothing. All persons, addresses and phone numbers are invented."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tuijin.assessment.periods import bounds, period_of
from tuijin.core.demo import photo_bytes
from tuijin.core.demo_data import NOTE, PASSWORD
from tuijin.org.models import Membership, Role, Unit, User
from tuijin.tasks import services as tasks
from tuijin.tasks.evidence import check_upload
from tuijin.tasks.models import Plan, Task

from . import practical, services
from .feedback import send_quarterly_feedback
from .models import Community, Need, Post, PracticalList, PublicUpdate, RegistrationState
from .services_service import (
    cancel_need,
    claim_need,
    complete_need,
    decide_record,
    publish_need,
    submit_record,
)

DAY = datetime.timedelta(days=1)

# (community, street, district, office address, staff login, staff name)
COMMUNITIES = [
    ("文化路社区", "丰产路街道", "金水区", "金水区文化路85号", "sq_whl", "刘红梅"),
    ("经八路社区", "经八路街道", "金水区", "金水区经八路18号", "sq_jbl", "赵敏"),
    ("博学路社区", "龙子湖街道", "郑东新区", "郑东新区博学路66号", "sq_bxl", "孙丽"),
    ("如意湖社区", "如意湖街道", "郑东新区", "郑东新区商务外环路9号", "sq_ryh", "周静"),
]

# (unit, community index, final state, commitments, reason when returned)
UNIT_REGISTRATIONS = [
    (
        "市委组织部",
        0,
        "accepted",
        "结对共建文化路社区党群服务中心；每月第一个周六开展“党员进社区”志愿服务。",
        "",
    ),
    ("市科技局", 0, "accepted", "认领科普宣传、电脑维修志愿岗位；每季度举办一次社区科普讲座。", ""),
    ("市商务局", 1, "accepted", "认领社区便民商业网点摸排、消费帮扶志愿岗位。", ""),
    ("市教育局", 1, "submitted", "认领“四点半课堂”课后托管志愿服务，每周二、周四各安排2名党员。", ""),
    ("中原科技城管委会", 2, "accepted", "与博学路社区共建“15分钟便民生活圈”；认领高校毕业生就业服务岗。", ""),
    ("郑东新区管委会", 2, "accepted", "协助社区开展垃圾分类桶边督导和楼院环境整治。", ""),
    ("市自然资源和规划局", 3, "accepted", "为老旧小区改造提供规划咨询，组织党员参与楼院整治。", ""),
    (
        "市卫生健康委",
        3,
        "returned",
        "开展社区义诊、健康讲座。",
        "报到单未填写共建项目的具体时间安排，请补充后重新提交。",
    ),
]

# (login — a unit's own demo login, or a new one — name if new, unit, community index, skills, posts, availability,
#  final state)
MEMBERS = [
    ("zzb", "", "市委组织部", 0, "党建指导", ["组织建设"], "weekends", "accepted"),
    ("dy01", "李倩", "市委组织部", 0, "党史宣讲", ["组织建设", "文化体育"], "evenings", "accepted"),
    ("kjj", "", "市科技局", 0, "科普讲解", ["文化体育"], "weekends", "accepted"),
    ("dy02", "陈晨", "市科技局", 0, "电脑维修", ["其他"], "flexible", "accepted"),
    ("dy03", "刘洋洋", "市科技局", 1, "摄影", ["文化体育"], "weekends", "returned"),
    ("swj", "", "市商务局", 1, "消费维权", ["法律咨询与援助"], "weekends", "accepted"),
    ("dy04", "张悦", "市商务局", 1, "法律咨询", ["法律咨询与援助"], "evenings", "accepted"),
    ("jyj", "", "市教育局", 1, "小学数学辅导", ["文化体育"], "evenings", "submitted"),
    ("kjc", "", "中原科技城管委会", 2, "就业指导", ["助困扶残与就业援助"], "weekends", "accepted"),
    ("dy05", "王磊", "中原科技城管委会", 2, "心理疏导", ["健康医疗"], "flexible", "accepted"),
    ("dy06", "赵一鸣", "中原科技城管委会", 3, "", ["社区治理"], "holidays", "accepted"),
    ("zdxq", "", "郑东新区管委会", 2, "社区治理", ["社区治理"], "weekends", "accepted"),
    (
        "dy07",
        "黄博",
        "郑东新区管委会",
        2,
        "垃圾分类宣传",
        ["社区治理", "安全宣传与治安巡逻"],
        "weekends",
        "accepted",
    ),
    ("zrzy", "", "市自然资源和规划局", 3, "规划咨询", ["社区治理"], "weekends", "accepted"),
    ("dy08", "孙婷", "市自然资源和规划局", 3, "绘画", ["文化体育"], "evenings", "accepted"),
]

# (community index, kind, title, post, days from today, places, fate, description)
NEEDS = [
    (
        0,
        "service",
        "为独居老人上门打扫卫生",
        "助困扶残与就业援助",
        3,
        3,
        "open",
        "文化路85号院3位独居老人，周六上午",
    ),
    (
        0,
        "service",
        "社区“四点半课堂”辅导小学生作业",
        "文化体育",
        6,
        2,
        "full",
        "辅导三至五年级学生数学、语文作业",
    ),
    (
        0,
        "wish",
        "为困难家庭孩子购买新书包",
        "助困扶残与就业援助",
        -20,
        1,
        "done",
        "低保户孩子王某某（9岁）的微心愿",
    ),
    (
        0,
        "service",
        "社区反诈宣传进楼院",
        "安全宣传与治安巡逻",
        -40,
        4,
        "done",
        "入户发放反诈宣传页，讲解常见骗局",
    ),
    (0, "service", "防汛沙袋搬运", "安全宣传与治安巡逻", -10, 5, "cancelled", "雨季前在低洼楼院备好防汛沙袋"),
    (
        1,
        "service",
        "老年人智能手机使用培训",
        "文化体育",
        5,
        3,
        "open",
        "教老人使用健康码、移动支付、视频通话",
    ),
    (1, "service", "居民法律咨询服务日", "法律咨询与援助", -30, 2, "done", "婚姻家庭、物业纠纷法律咨询"),
    (
        2,
        "service",
        "高校毕业生就业政策宣讲",
        "助困扶残与就业援助",
        8,
        4,
        "open",
        "讲解就业创业补贴和人才公寓申请",
    ),
    (2, "service", "垃圾分类桶边督导", "社区治理", -15, 3, "done", "早晚投放高峰时段桶边督导"),
    (2, "wish", "为行动不便老人代购常用药品", "健康医疗", 2, 1, "open", "博学路社区张大爷的微心愿"),
    (3, "service", "社区义诊和健康咨询", "健康医疗", 10, 3, "open", "测血压血糖，讲解慢病用药"),
    (3, "service", "楼院环境整治", "社区治理", -50, 4, "done", "清理楼道堆放杂物、小广告"),
]

# Registered, but no service at all: the annual ranking shows a share below 100 %, and tick reminds them.
IDLE = {"dy06", "dy08"}

ACTIVITIES = {
    "组织建设": ["协助社区党组织开展主题党日", "整理社区党员档案"],
    "文化体育": ["社区科普讲座", "“四点半课堂”作业辅导", "社区文艺汇演志愿服务"],
    "法律咨询与援助": ["居民法律咨询", "物业纠纷调解"],
    "助困扶残与就业援助": ["走访慰问困难家庭", "就业政策咨询"],
    "健康医疗": ["陪同老人就医", "健康知识宣传"],
    "社区治理": ["垃圾分类桶边督导", "楼院环境整治", "文明交通劝导"],
    "安全宣传与治安巡逻": ["夜间治安巡逻", "反诈宣传进楼院"],
    "其他": ["为老人维修电脑和手机", "社区疫苗接种点秩序维护"],
}

PRACTICAL_NAME = "{y}年“我为群众办实事”重点项目清单"
# (number, title, target, lead unit, fate, progress, published summary, draft summary, days since closing)
PRACTICAL_ITEMS = [
    (
        "1",
        "老旧小区改造提质",
        "完成老旧小区改造120个，惠及居民3.2万户",
        "市住房保障局",
        "closed",
        100,
        "120个老旧小区改造全部完工，3.2万户居民受益。",
        "",
        35,
    ),
    (
        "2",
        "新增公办幼儿园学位",
        "新建、改扩建公办幼儿园20所，新增学位6000个",
        "市教育局",
        "closed",
        100,
        "20所公办幼儿园已全部开园，新增学位6000个。",
        "",
        20,
    ),
    (
        "3",
        "社区卫生服务中心标准化建设",
        "完成社区卫生服务中心标准化建设40个",
        "市卫生健康委",
        "closed",
        100,
        "40个社区卫生服务中心全部通过标准化验收。",
        "",
        8,
    ),
    (
        "4",
        "“15分钟便民生活圈”建设",
        "新建便民生活圈示范社区30个",
        "市商务局",
        "progress",
        60,
        "已建成示范社区18个，其余12个正在加紧建设。",
        "",
        0,
    ),
    (
        "5",
        "背街小巷整治提升",
        "整治提升背街小巷200条",
        "市城建局",
        "progress",
        55,
        "已完成整治112条，路面、照明和绿化同步提升。",
        "",
        0,
    ),
    (
        "6",
        "既有住宅加装电梯",
        "完成既有住宅加装电梯300部",
        "金水区政府",
        "progress",
        35,
        "已开工156部，投入使用48部。",
        "新增投入使用电梯22部（待审核）",
        0,
    ),
    (
        "7",
        "“四点半课堂”课后托管全覆盖",
        "中心城区小学课后托管服务覆盖率达到100%",
        "市教育局",
        "assigned",
        0,
        "",
        "",
        0,
    ),
    ("8", "新建城市书房", "新建城市书房50座", "市文化广电和旅游局", "assigned", 0, "", "", 0),
]
PRACTICAL_INTRO = (
    "为深入开展“我为群众办实事”实践活动，市委、市政府确定了本年度重点办好的民生实事。"
    "本页面向社会公开各项实事的牵头单位和推进情况，接受群众监督。（演示数据）"
)
ZHENGZHOU = (34.7466, 113.6254)


class _Demo:
    def __init__(self):
        self.rng = random.Random(2021)
        self.today = timezone.localdate()
        self.sup = User.objects.filter(username="supervisor").first()
        self.password = make_password(PASSWORD)
        self.communities: list[Community] = []
        self.staff: list[User] = []
        self.posts = {p.name: p for p in Post.objects.all()}

    # — people —

    def unit(self, name: str) -> Unit:
        return Unit.objects.get(name=name)

    def user(self, login: str, name: str, unit: Unit) -> User:
        user = User.objects.filter(username=login).first()
        if user is None:
            user = User.objects.create(username=login, display_name=name, password=self.password,
                                       phone=f"139{self.rng.randint(0, 99999999):08d}")  # fmt: skip
        Membership.objects.get_or_create(user=user, unit=unit, role=Role.UNIT)
        return user

    # — communities and registrations —

    def build_communities(self) -> None:
        for name, street, district, address, login, staff in COMMUNITIES:
            community = services.save_community(
                actor=self.sup, name=name, street=street, district=district, address=address,
                contact_name=staff, contact_phone=f"137{self.rng.randint(0, 99999999):08d}",
            )  # fmt: skip
            self.communities.append(community)
            self.staff.append(self.user(login, staff, community.unit))

    def quarter_start(self, back: int) -> datetime.date:
        start = bounds("quarter", period_of("quarter", self.today))[0]
        for _i in range(back):
            start = bounds("quarter", period_of("quarter", start - DAY))[0]
        return start

    def build_registrations(self) -> None:
        early = self.quarter_start(2) - 10 * DAY
        for name, index, state, commitments, reason in UNIT_REGISTRATIONS:
            unit = self.unit(name)
            member = (
                User.objects.filter(memberships__unit=unit, memberships__role=Role.UNIT)
                .order_by("pk")
                .first()
            )
            community, staff = self.communities[index], self.staff[index]
            registration = services.submit_registration(
                actor=member, unit=unit, community=community,
                registered_on=min(early + self.rng.randint(0, 20) * DAY, self.today),
                contact_name=member.display_name, contact_phone=member.phone or "13800000000", commitments=commitments,
            )  # fmt: skip
            if state != RegistrationState.SUBMITTED:
                services.decide_registration(actor=staff, registration=registration, accept=state == "accepted",
                                             reason=reason)  # fmt: skip
        self.members = []
        for login, name, unit_name, index, skills, posts, availability, state in MEMBERS:
            unit = self.unit(unit_name)
            member = self.user(login, name, unit)
            building, room = self.rng.randint(1, 12), self.rng.randint(1, 6) * 100 + self.rng.randint(1, 4)
            community = self.communities[index]
            registration = services.register_member(
                actor=member, unit=unit, community=community,
                address=f"{community.district}{community.street}{community.name}辖区{building}号楼{room}室",
                phone=member.phone, skills=skills, posts=[self.posts[p] for p in posts if p in self.posts],
                availability=availability, registered_on=min(early + self.rng.randint(5, 30) * DAY, self.today),
            )  # fmt: skip
            if state != RegistrationState.SUBMITTED:
                accept = state == "accepted"
                services.decide_member_registration(
                    actor=self.staff[index], registration=registration, accept=accept,
                    reason="" if accept else "居住地址不详细，请填写到楼号和门牌号。",
                )  # fmt: skip
            if state == "accepted":
                self.members.append((member, community, self.staff[index], posts[0] if posts else "其他"))

    # — needs and service —

    def build_needs(self) -> None:
        for index, kind, title, post, days, places, fate, description in NEEDS:
            community, staff = self.communities[index], self.staff[index]
            day = self.today + days * DAY
            need = publish_need(actor=staff, community=community, kind=kind, title=title, needed_on=day, places=places,
                                description=description, post=self.posts.get(post))  # fmt: skip
            serving = [m for m in self.members if m[1] == community and m[0].username not in IDLE]
            if fate == "cancelled":
                cancel_need(actor=staff, need=need, reason="天气转好，防汛物资已由物业备齐，活动取消。")
                continue
            takers = {
                "open": min(1, len(serving), places - 1),
                "full": places,
                "done": min(places, len(serving)),
            }[fate]
            takers = min(takers, len(serving))
            claim_day = min(day - 3 * DAY, self.today)
            for member, _c, _s, _p in self.rng.sample(serving, takers):
                claim_need(actor=member, need=need, today=claim_day)
                if fate == "done":
                    self.serve(
                        member, community, staff, day, Decimal(self.rng.choice([2, 2.5, 3])), title, need=need
                    )
            if fate == "done":
                complete_need(actor=staff, need=need, note="已完成，居民满意。")
                Need.objects.filter(pk=need.pk).update(
                    done_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(17)))
                )

    def serve(self, member, community, staff, day, hours, activity, need=None, decide="confirm"):
        # Logged on the day itself: earlier quarters are closed to new records today.
        record = submit_record(actor=member, community=community, need=need, served_on=day, hours=hours,
                               activity=activity, today=day)  # fmt: skip
        if decide == "confirm":
            decide_record(actor=staff, service=record, confirm=True)
        elif decide == "reject":
            decide_record(
                actor=staff, service=record, confirm=False, reason="社区无此次活动记录，请核实后重新提交。"
            )
        return record

    def build_records(self) -> None:
        start = self.quarter_start(2)
        span = (self.today - start).days
        idle = IDLE
        for member, community, staff, post in self.members:
            if member.username in idle:
                continue
            for _i in range(self.rng.randint(2, 6)):
                day = start + self.rng.randint(0, max(span - 8, 0)) * DAY
                self.serve(member, community, staff, day, Decimal(self.rng.choice([1, 1.5, 2, 2, 3, 4])),
                           self.rng.choice(ACTIVITIES.get(post, ACTIVITIES["其他"])))  # fmt: skip
        this_quarter = self.quarter_start(0)
        if this_quarter < self.today:  # everyone but the idle member has served this quarter already
            for member, community, staff, post in self.members:
                if member.username not in idle:
                    day = this_quarter + self.rng.randint(0, (self.today - this_quarter).days - 1) * DAY
                    self.serve(member, community, staff, day, Decimal(self.rng.choice([1.5, 2, 3])),
                               self.rng.choice(ACTIVITIES.get(post, ACTIVITIES["其他"])))  # fmt: skip
        recent = [m for m in self.members if m[0].username not in idle][:4]
        for k, (member, community, staff, post) in enumerate(recent):
            day = max(self.today - (k + 1) * DAY, start)
            self.serve(member, community, staff, day, Decimal("2"), self.rng.choice(ACTIVITIES.get(post, ["志愿服务"])),
                       decide="reject" if k == 0 else "wait")  # fmt: skip

    # — 办实事 —

    def build_practical(self) -> Plan:
        office = Unit.objects.filter(name="市委督查室").first()
        plan = tasks.create_plan(
            actor=self.sup, name=PRACTICAL_NAME.format(y=self.today.year), year=self.today.year,
            kind=Plan.Kind.PRACTICAL, owner_unit=office, is_illustrative=True, start_date=datetime.date(self.today.year, 1, 1),
            description=f"{NOTE}。市委、市政府确定的年度民生实事，各牵头单位每月25日前报送进展。",
        )  # fmt: skip
        for number, title, target, lead, fate, progress, summary, draft, closed_days in PRACTICAL_ITEMS:
            unit = self.unit(lead)
            task = tasks.create_task(actor=self.sup, plan=plan, number=number, title=title, target=target,
                                     lead_units=[unit], limit_text="年底前", category="民生实事",
                                     owner="（演示）项目负责人")  # fmt: skip
            lead_user = (
                User.objects.filter(memberships__unit=unit, memberships__role=Role.UNIT)
                .order_by("pk")
                .first()
            )
            if fate != "assigned":
                tasks.acknowledge(actor=lead_user, task=task)
                tasks.submit_report(actor=lead_user, task=task, text=f"{title}：按计划推进（内部进展，演示）。",
                                    progress=progress)  # fmt: skip
            if fate == "closed":
                taken = timezone.now() - closed_days * DAY
                photo = check_upload(SimpleUploadedFile(f"{title}.jpg", photo_bytes(self.rng, "park", taken, ZHENGZHOU),
                                                        content_type="image/jpeg"))  # fmt: skip
                tasks.request_closure(actor=lead_user, task=task, note="已全部完成（演示）", files=[photo])
                tasks.close_task(
                    actor=self.sup, task=Task.objects.for_list().get(pk=task.pk), note="核实无误"
                )
                Task.objects.filter(pk=task.pk).update(closed_at=taken)
            if summary:
                update = practical.write_public_update(actor=self.sup, task=task, text=summary, publish=True)
                PublicUpdate.objects.filter(pk=update.pk).update(
                    published_at=timezone.now() - max(closed_days, self.rng.randint(3, 12)) * DAY
                )
            if draft:
                practical.write_public_update(actor=lead_user, task=task, text=draft)
        practical.save_practical_list(actor=self.sup, plan=plan, is_public=True, title="我为群众办实事",
                                      intro=PRACTICAL_INTRO)  # fmt: skip
        tasks.refresh_status(Task.objects.filter(plan=plan).select_related("plan"))
        return plan

    def run(self) -> Plan:
        self.build_communities()
        self.build_registrations()
        self.build_needs()
        self.build_records()
        plan = self.build_practical()
        send_quarterly_feedback()
        return plan


def is_loaded() -> bool:
    return Community.objects.filter(name=COMMUNITIES[0][0], street=COMMUNITIES[0][1]).exists() or (
        PracticalList.objects.filter(plan__is_illustrative=True).exists()
    )


def load_demo_partybuilding() -> Plan | None:
    """Load the demo's 双报到 and 办实事 once, after the main scenario; None when it is there already or the main
    scenario's units and logins are missing."""
    if is_loaded() or not User.objects.filter(username="supervisor").exists():
        return None
    if not Unit.objects.filter(name="市委组织部").exists():
        return None
    with transaction.atomic():
        return _Demo().run()


def demo_logins() -> list[tuple[str, str, str]]:
    """(login, name, where) of the demo's community staff and extra members, for the login table."""
    rows = [
        (login, staff, f"{district}{street}{name}")
        for name, street, district, _a, login, staff in COMMUNITIES
    ]
    rows += [(login, name, unit) for login, name, unit, *_rest in MEMBERS if login.startswith("dy")]
    return rows
