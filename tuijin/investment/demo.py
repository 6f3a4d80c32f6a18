"""The demo's investment pipeline (PRODUCT.md §5): invented enterprises and projects across the sectors, categories,
channels and venture-capital partners, at every stage with dates through the past year and a half, re-signings,
capital increases and upgrades, second-round projects brought by landed firms, follow-ups (some with overdue next
steps), and tasks of the demo's annual plan bound to the pipeline so that their progress is 自动统计.

`load_demo_investment()` is called by the demo loader after the main scenario; calling it again changes nothing.
Everything goes through the pipeline's services (audit rows, stage history, counting rules as in real use), dated
relative to the day it runs; random choices come from `random.Random(2021)`. All enterprises and projects are
marked illustrative; the names are invented, the credit codes made up with a correct check character.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tuijin.core.demo_data import L_BUILD, L_MAYOR, L_TECH, NOTE
from tuijin.lib.credit_code import CHARSET, check_character
from tuijin.org.models import Membership, Role, Unit, UnitKind, User

from . import access, services
from .models import (
    Channel,
    Enterprise,
    FollowUp,
    Fund,
    MeasureBinding,
    Project,
    ProjectCategory,
    ProjectKind,
    Stage,
    VentureFirm,
)

DAY = datetime.timedelta(days=1)
HEAD, TECH, INSTITUTE, TEAM = "头部企业", "高科技企业", "大院名所研究机构", "人才创新团队"
REGIONS = {"other_province": ("110108", "440305", "310115", "320505", "330106", "420111", "510107"),
           "province": ("410300", "410700", "410800", "411000"), "city": ("410105", "410122", "410181", "410102"),
           "abroad": ("410100",)}  # fmt: skip

# (name, origin, industry, has a credit code)
ENTERPRISES = [
    ("华瀚云计算科技有限公司", "other_province", "云计算", True),
    ("星链智造集团有限公司", "other_province", "智能制造", True),
    ("中科曙元信息技术股份有限公司", "other_province", "信息技术", True),
    ("北辰新能源汽车科技有限公司", "other_province", "新能源汽车", True),
    ("汉芯半导体（集团）有限公司", "other_province", "集成电路", True),
    ("云帆数字科技集团有限公司", "other_province", "数字经济", True),
    ("博睿医疗器械集团有限公司", "other_province", "生物医药", True),
    ("鼎盛智慧物流科技有限公司", "other_province", "现代物流", True),
    ("海纳网络安全技术股份有限公司", "other_province", "网络安全", True),
    ("瀚海生物医药集团有限公司", "other_province", "生物医药", True),
    ("启明星空航天科技有限公司", "other_province", "商业航天", True),
    ("天衡智能装备集团股份有限公司", "province", "智能装备", True),
    ("郑州嵩岳光电科技有限公司", "city", "光电信息", True),
    ("中原芯视智能科技有限公司", "city", "人工智能", True),
    ("河南豫见量子信息技术有限公司", "province", "量子信息", True),
    ("洛阳天中新材料科技有限公司", "province", "新材料", True),
    ("郑州云麓数据服务有限公司", "city", "大数据", True),
    ("深圳前沿视觉算法有限公司", "other_province", "人工智能", True),
    ("苏州微纳传感技术有限公司", "other_province", "传感器", True),
    ("杭州智语人工智能科技有限公司", "other_province", "人工智能", True),
    ("郑州黄河氢能科技有限公司", "city", "氢能", True),
    ("新乡锐达激光技术有限公司", "province", "激光装备", True),
    ("上海铂瑞生物科技有限公司", "other_province", "生物医药", True),
    ("南京擎天工业软件有限公司", "other_province", "工业软件", True),
    ("凯越科技（郑州）有限公司", "abroad", "智能终端", True),
    ("中原先进计算研究院有限公司", "city", "先进计算", True),
    ("郑州智能制造产业技术研究院有限公司", "city", "智能制造", True),
    ("东岳理工大学中原研究院", "other_province", "科研机构", True),
    ("中原新型显示技术研究所有限公司", "province", "新型显示", True),
    ("国光精密仪器（郑州）研究院有限公司", "other_province", "精密仪器", True),
    ("黄河生态环境技术研究院有限公司", "province", "生态环保", True),
    ("先进电池材料创新团队", "other_province", "新能源", False),
    ("类脑芯片领军人才团队", "other_province", "集成电路", False),
    ("智能网联汽车创新团队", "abroad", "智能网联", False),
    ("郑州启元生物技术有限公司", "city", "生物医药", True),
    ("郑州数智孪生科技有限公司", "city", "数字孪生", True),
    ("郑州光子计算科技有限公司", "city", "光子计算", True),
    ("郑州未来交通科技有限公司", "city", "智慧交通", True),
    ("郑州碳索环境科技有限公司", "city", "节能环保", True),
    ("郑州极光机器人科技有限公司", "city", "机器人", True),
]

# (project, enterprise index, sector short name, category, channel, stage reached, amount in 万元, leader)
# stage reached: lead, negotiating, signed, registered, landed, started, operating, dropped (after signing),
# dropped_talks (dropped while negotiating).
PROJECTS = [
    ("华瀚云中原区域总部", 0, "中原科技城", HEAD, Channel.DIRECTED, "operating", 300000, L_TECH),
    ("星链智造华中研发中心", 1, "中原科技城", HEAD, Channel.DOOR_TO_DOOR, "started", 200000, L_TECH),
    ("曙元信创适配中心", 2, "中原科技城", HEAD, Channel.DIRECTED, "landed", 120000, L_TECH),
    ("北辰新能源汽车研究院", 3, "金岱科创", HEAD, Channel.DIRECTED, "started", 450000, L_BUILD),
    ("汉芯功率半导体封测基地", 4, "白沙科学谷", HEAD, Channel.VENTURE, "registered", 380000, L_TECH),
    ("云帆数字经济总部", 5, "北龙湖金融岛", HEAD, Channel.EXPO, "signed", 150000, L_MAYOR),
    ("博睿高端医疗器械产业园", 6, "白沙科学谷", HEAD, Channel.DIRECTED, "signed", 260000, L_TECH),
    ("鼎盛智慧物流枢纽", 7, "郑州东站片区", HEAD, Channel.DOOR_TO_DOOR, "negotiating", 180000, L_BUILD),
    ("海纳网络安全华中总部", 8, "中原科技城", HEAD, Channel.DIRECTED, "operating", 90000, L_TECH),
    ("瀚海创新药研发中心", 9, "金水科教园", HEAD, Channel.VENTURE, "dropped", 160000, L_TECH),
    ("启明卫星数据应用中心", 10, "中原科技城", HEAD, Channel.EXPO, "negotiating", 100000, L_TECH),
    ("天衡智能装备华中基地", 11, "金岱科创", HEAD, Channel.DIRECTED, "landed", 220000, L_BUILD),
    ("嵩岳光电显示模组项目", 12, "中原科技城", TECH, Channel.SECOND_ROUND, "started", 45000, L_TECH),
    ("芯视机器视觉研发中心", 13, "中原科技城", TECH, Channel.VENTURE, "landed", 30000, L_TECH),
    ("豫见量子通信试验网", 14, "金水科教园", TECH, Channel.DIRECTED, "signed", 25000, L_TECH),
    ("天中新材料中试基地", 15, "白沙科学谷", TECH, Channel.DOOR_TO_DOOR, "registered", 38000, L_TECH),
    ("云麓城市大数据中心", 16, "北龙湖金融岛", TECH, Channel.SECOND_ROUND, "operating", 60000, L_MAYOR),
    ("前沿视觉算法研发中心", 17, "中原科技城", TECH, Channel.EXPO, "signed", 18000, L_TECH),
    ("微纳传感器产线", 18, "白沙科学谷", TECH, Channel.VENTURE, "started", 52000, L_TECH),
    ("智语大模型应用中心", 19, "中原科技城", TECH, Channel.DIRECTED, "negotiating", 20000, L_TECH),
    ("黄河氢能装备产业化项目", 20, "金岱科创", TECH, Channel.DOOR_TO_DOOR, "dropped_talks", 70000, L_BUILD),
    ("锐达激光精密加工中心", 21, "商代王城遗址", TECH, Channel.SECOND_ROUND, "landed", 15000, L_BUILD),
    ("铂瑞细胞治疗研发平台", 22, "金水科教园", TECH, Channel.VENTURE, "signed", 28000, L_TECH),
    ("擎天工业互联网平台", 23, "中原科技城", TECH, Channel.DIRECTED, "lead", 16000, L_TECH),
    ("凯越智能终端研发中心", 24, "郑州东站片区", TECH, Channel.EXPO, "signed", 36000, L_BUILD),
    ("中原先进计算研究院", 25, "中原科技城", INSTITUTE, Channel.DIRECTED, "operating", 50000, L_TECH),
    ("智能制造产业技术研究院", 26, "金岱科创", INSTITUTE, Channel.DIRECTED, "landed", 20000, L_BUILD),
    ("东岳理工中原研究院", 27, "中原科技城", INSTITUTE, Channel.DOOR_TO_DOOR, "registered", 30000, L_TECH),
    ("新型显示技术研究所", 28, "白沙科学谷", INSTITUTE, Channel.DIRECTED, "signed", 12000, L_TECH),
    ("精密仪器研究院", 29, "中原科技城", INSTITUTE, Channel.DOOR_TO_DOOR, "negotiating", 15000, L_TECH),
    ("黄河生态环境技术研究院", 30, "金水科教园", INSTITUTE, Channel.OTHER, "lead", 8000, L_TECH),
    ("先进电池材料团队项目", 31, "中原科技城", TEAM, Channel.VENTURE, "signed", 3000, L_TECH),
    ("类脑芯片团队项目", 32, "中原科技城", TEAM, Channel.DIRECTED, "negotiating", 5000, L_TECH),
    ("智能网联汽车团队项目", 33, "金岱科创", TEAM, Channel.EXPO, "lead", 2000, L_BUILD),
    ("启元mRNA疫苗研发项目", 34, "中原科技城", TEAM, Channel.VENTURE, "landed", 4500, L_TECH),
    ("数智孪生城市平台", 35, "中原科技城", TEAM, Channel.SECOND_ROUND, "started", 2600, L_TECH),
    ("光子计算芯片项目", 36, "中原科技城", TEAM, Channel.DIRECTED, "signed", 6000, L_TECH),
    ("未来交通仿真实验室", 37, "郑州东站片区", TEAM, Channel.DOOR_TO_DOOR, "negotiating", 1800, L_BUILD),
    ("碳索环境监测项目", 38, "二七商圈", TEAM, Channel.OTHER, "dropped", 1200, L_BUILD),
    ("极光服务机器人项目", 39, "中原科技城", TEAM, Channel.SECOND_ROUND, "registered", 3500, L_TECH),
    ("曙元信创产业园二期", 2, "中原科技城", HEAD, Channel.DIRECTED, "lead", 200000, L_TECH),
    ("云帆金融科技实验室", 5, "北龙湖金融岛", TECH, Channel.DIRECTED, "negotiating", 20000, L_MAYOR),
    ("博睿康复器械项目", 6, "二七商圈", TECH, Channel.OTHER, "lead", 12000, L_BUILD),
    ("海纳数据安全靶场", 8, "北龙湖金融岛", TECH, Channel.DOOR_TO_DOOR, "signed", 26000, L_MAYOR),
    ("天衡工业机器人应用中心", 11, "中原科技城", TECH, Channel.DIRECTED, "negotiating", 24000, L_TECH),
    ("中原算力调度平台", 25, "北龙湖金融岛", INSTITUTE, Channel.VENTURE, "signed", 18000, L_MAYOR),
    ("嵩岳激光雷达项目", 12, "白沙科学谷", TECH, Channel.DIRECTED, "dropped_talks", 22000, L_TECH),
    ("前沿视觉智慧文旅项目", 17, "商代王城遗址", TECH, Channel.EXPO, "lead", 9000, L_BUILD),
    ("微纳传感创新中心", 18, "中原科技城", TECH, Channel.DOOR_TO_DOOR, "lead", 14000, L_TECH),
    ("凯越跨境电商结算中心", 24, "郑州东站片区", TECH, Channel.DOOR_TO_DOOR, "lead", 8000, L_BUILD),
    ("智能制造中试验证平台", 26, "中原科技城", INSTITUTE, Channel.DIRECTED, "signed", 9000, L_TECH),
    ("东岳理工联合实验室", 27, "金水科教园", INSTITUTE, Channel.DIRECTED, "negotiating", 6000, L_TECH),
    ("天中新材料总部", 15, "金岱科创", HEAD, Channel.DIRECTED, "negotiating", 80000, L_BUILD),
    ("极光机器人二期", 39, "二七商圈", TEAM, Channel.DIRECTED, "lead", 2500, L_BUILD),
    ("豫见量子安全政务网", 14, "北龙湖金融岛", TECH, Channel.DIRECTED, "started", 16000, L_MAYOR),
    ("铂瑞生物中试车间", 22, "白沙科学谷", TECH, Channel.DOOR_TO_DOOR, "negotiating", 11000, L_TECH),
]
# Capital increases and upgrades: (project, base project, kind, contract 万元, increment 万元)
FOLLOW_ONS = [
    ("华瀚云中原区域总部二期增资", "华瀚云中原区域总部", ProjectKind.INCREASE, 250000, 100000),
    ("海纳网络安全华中总部增资扩产", "海纳网络安全华中总部", ProjectKind.INCREASE, 60000, 25000),
    ("云麓大数据中心算力升级", "云麓城市大数据中心", ProjectKind.UPGRADE, 40000, 18000),
    ("先进计算研究院智算平台升级", "中原先进计算研究院", ProjectKind.UPGRADE, 30000, 12000),
]
FIRMS = [("中原星火创业投资管理有限公司", "中原科技城科创产业基金", 500000),
         ("嵩山资本管理有限公司", "嵩山天使投资基金", 50000),
         ("黄河产业投资基金管理有限公司", "黄河先进制造产业基金", 300000),
         ("郑州科创天使投资有限公司", "郑州科创天使一期基金", 20000)]  # fmt: skip
# Gaps in days before entering each stage: (shortest, longest).
GAPS = {Stage.NEGOTIATING: (7, 35), Stage.SIGNED: (25, 90), Stage.REGISTERED: (15, 50), Stage.LANDED: (20, 60),
        Stage.STARTED: (20, 90), Stage.OPERATING: (60, 150), Stage.DROPPED: (30, 120)}  # fmt: skip
# How long ago the last move of a project at each stage was: (fewest days, most days).
LAST_MOVE = {"lead": (3, 100), "negotiating": (5, 150), "signed": (10, 300), "registered": (10, 220),
             "landed": (10, 200), "started": (10, 150), "operating": (10, 120), "dropped": (5, 200),
             "dropped_talks": (5, 200)}  # fmt: skip
NEXT_STEPS = ["报送投资协议修改意见", "组织现场踏勘选址", "召开项目推进专题会", "协调办理工商注册登记", "对接人才公寓和办公用房需求",
              "落实首期资金到位计划", "提交入驻装修方案", "组织专家开展项目评审", "安排企业高层来郑考察", "协调解决用地指标"]  # fmt: skip
CONTENTS = ["赴企业总部拜访，介绍中原科技城产业政策和空间载体", "企业来郑考察，实地察看拟选址地块和楼宇",
            "召开视频会议，商谈投资规模和建设节奏", "与企业法务沟通协议条款", "会同市直部门现场办公，协调企业诉求"]  # fmt: skip
SIGNED_ONWARDS = ["signed", "registered", "landed", "started", "operating"]


def is_loaded() -> bool:
    return Project.objects.filter(is_illustrative=True).exists()


def _credit_code(rng: random.Random, origin: str) -> str:
    body = (
        "91" + rng.choice(REGIONS[origin]) + "".join(rng.choice(CHARSET[:10] * 3 + CHARSET) for _ in range(9))
    )
    return body + check_character(body)


def _officer() -> User | None:
    """The demo's investment officer, working city-wide (市投资促进中心)."""
    user = User.objects.filter(username="investment").first()
    if user is not None and not access.is_city_wide_officer(user):
        Membership.objects.get_or_create(user=user, unit=None, role=Role.INVESTMENT)
        user = User.objects.get(pk=user.pk)
    return user


class _Builder:
    def __init__(self, actor: User, today: datetime.date):
        self.actor, self.today, self.rng = actor, today, random.Random(2021)
        self.sectors = {u.short_name or u.name: u for u in Unit.objects.filter(kind=UnitKind.SECTOR)}
        for order, name in enumerate(
            (HEAD, TECH, INSTITUTE, TEAM), start=1
        ):  # the defaults, in case they went
            ProjectCategory.objects.get_or_create(name=name, defaults={"sort_order": order * 10})
        self.categories = {c.name: c for c in ProjectCategory.objects.all()}
        self.projects: dict[str, Project] = {}

    def day(self, back: int) -> datetime.date:
        return self.today - back * DAY

    def gap(self, stage) -> int:
        return self.rng.randint(*GAPS[stage])

    def firms(self) -> list[tuple[VentureFirm, Fund]]:
        found = []
        for name, fund_name, size in FIRMS:
            firm = VentureFirm.objects.filter(name=name).first() or services.save_venture_firm(
                actor=self.actor, name=name, note=f"{NOTE}（虚构机构）")  # fmt: skip
            fund = firm.funds.filter(name=fund_name).first() or services.save_fund(
                actor=self.actor, firm=firm, name=fund_name, size=Decimal(size))  # fmt: skip
            found.append((firm, fund))
        return found

    def enterprises(self) -> list[Enterprise]:
        made = []
        for index, (name, origin, industry, has_code) in enumerate(ENTERPRISES):
            enterprise = services.create_enterprise(
                actor=self.actor, name=name, credit_code=_credit_code(self.rng, origin) if has_code else "",
                industry=industry, origin=origin, note=f"{NOTE}（虚构企业）", confirm_duplicate=True,
                is_illustrative=True,
            )  # fmt: skip
            if index % 2 == 0:
                services.save_contact(actor=self.actor, enterprise=enterprise, name=self.rng.choice(
                    ["张", "王", "李", "刘", "陈", "杨"]) + self.rng.choice(["经理", "总监", "主任"]),
                    position=self.rng.choice(["投资总监", "副总经理", "战略发展部经理"]),
                    phone=f"139{self.rng.randint(0, 99999999):08d}")  # fmt: skip
            made.append(enterprise)
        return made

    def dates(self, reached: str) -> list[tuple[str, datetime.date]]:
        """The stages a project went through with their dates, counted back from a recent last move."""
        if reached == "dropped":
            path = [Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED, Stage.DROPPED]
        elif reached == "dropped_talks":
            path = [Stage.LEAD, Stage.NEGOTIATING, Stage.DROPPED]
        else:
            path = [Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED, Stage.REGISTERED, Stage.LANDED, Stage.STARTED,
                    Stage.OPERATING]  # fmt: skip
            path = path[: path.index(Stage(reached)) + 1]
        day = self.day(self.rng.randint(*LAST_MOVE[reached]))
        dated = [(path[-1], day)]
        for stage, before in zip(reversed(path[1:]), reversed(path[:-1]), strict=True):
            day = day - self.gap(stage) * DAY
            dated.insert(0, (before, day))
        return dated

    def project(self, row, enterprise: Enterprise, firms) -> Project:
        name, _e, sector, category, channel, reached, amount, leader = row
        dated = self.dates(reached)
        extra = {}
        if channel == Channel.VENTURE:
            firm, fund = self.rng.choice(firms)
            extra = {"venture_firm": firm, "fund": fund}
        if channel == Channel.SECOND_ROUND:
            anchors = [p for p in self.projects.values() if p.landed_on and p.landed_on <= dated[0][1]
                       and p.enterprise_id != enterprise.pk]  # fmt: skip
            extra["anchor_project"] = self.rng.choice(anchors) if anchors else None
        project = services.create_project(
            actor=self.actor, name=name, enterprise=enterprise, sector=self.sectors[sector],
            category=self.categories[category], stage=Stage.LEAD, stage_since=dated[0][1], channel=channel,
            industry=enterprise.industry, planned_investment=Decimal(amount), responsible_leader=leader,
            officer=self.actor, is_illustrative=True, description=f"{NOTE}。{enterprise.industry}项目（虚构）。",
            **extra,
        )  # fmt: skip
        self.advance(project, dated[1:], Decimal(amount))
        project.refresh_from_db()
        self.projects[name] = project
        return project

    def advance(self, project: Project, dated, amount: Decimal, increment: Decimal | None = None) -> None:
        rng = self.rng
        for stage, day in dated:
            extra = {}
            if stage == Stage.SIGNED:
                resign = rng.random() < 0.3 and increment is None
                first = (amount * Decimal(rng.choice([0.8, 0.9]))).quantize(Decimal(1)) if resign else amount
                extra = {"agreement_type": "framework" if resign or rng.random() < 0.4 else "formal",
                         "contract_amount": first, "increment_amount": increment}  # fmt: skip
            elif stage == Stage.REGISTERED:
                extra = {"registered_capital": Decimal(rng.choice([1000, 2000, 5000, 10000, 20000]))}
            elif stage == Stage.DROPPED:
                extra = {
                    "reason": rng.choice(
                        ["企业调整投资战略，暂缓布局", "选址条件未达成一致", "企业资金链紧张，项目搁置"]
                    )
                }
            services.move_stage(actor=self.actor, project=project, to_stage=stage, date=day, **extra)
            if (
                stage == Stage.SIGNED
                and extra["agreement_type"] == "framework"
                and extra["contract_amount"] != amount
            ):
                again = min(day + rng.randint(15, 40) * DAY, self.today)
                services.sign_again(actor=self.actor, project=project, agreement_type="formal", date=again,
                                    amount=amount, note="正式投资协议")  # fmt: skip
        project.refresh_from_db()
        if project.first_signed_on and project.stage != Stage.DROPPED:
            counted = project.counted_amount or Decimal(0)
            share = rng.uniform(0.35, 0.95) if project.landed_on else rng.uniform(0.0, 0.3)
            services.update_project(actor=self.actor, project=project,
                                    funds_arrived=(counted * Decimal(share)).quantize(Decimal(1)))  # fmt: skip

    def follow_on(self, name, base_name, kind, contract, increment) -> None:
        base = self.projects[base_name]
        start = max(base.landed_on or base.first_signed_on, self.day(200))
        project = services.create_project(
            actor=self.actor, name=name, enterprise=base.enterprise, sector=base.sector, category=base.category,
            stage=Stage.NEGOTIATING, stage_since=start, channel=base.channel, kind=kind, base_project=base,
            industry=base.industry, planned_investment=Decimal(contract), responsible_leader=base.responsible_leader,
            officer=self.actor, is_illustrative=True, description=f"{NOTE}。在原项目基础上{'增资' if kind == ProjectKind.INCREASE else '升级'}（虚构）。",
        )  # fmt: skip
        signed = max(start, min(start + self.rng.randint(30, 90) * DAY, self.day(5)))
        self.advance(project, [(Stage.SIGNED, signed)], Decimal(contract), Decimal(increment))
        self.projects[name] = project

    def follow_ups(self) -> None:
        rng = self.rng
        open_projects = [p for p in self.projects.values() if p.stage not in (Stage.DROPPED, Stage.OPERATING)]
        overdue = set(rng.sample(range(len(open_projects)), k=min(8, len(open_projects))))
        for index, project in enumerate(open_projects):
            project.refresh_from_db()
            first = max(project.stage_since, self.day(60))
            for k in range(rng.randint(1, 2)):
                day = min(first + (k * 20 + rng.randint(0, 15)) * DAY, self.day(1))
                due = (
                    self.day(rng.randint(2, 15))
                    if index in overdue
                    else self.today + rng.randint(5, 30) * DAY
                )
                due = max(due, day)
                services.add_follow_up(actor=self.actor, project=project, date=day,
                                       method=rng.choice(FollowUp.Method.values), content=rng.choice(CONTENTS),
                                       next_step=rng.choice(NEXT_STEPS), next_step_due=due)  # fmt: skip

    def bind_tasks(self) -> None:
        """The annual plan's head-enterprise task, and a city-wide one for every kind of entity, measured from
        the pipeline (自动统计)."""
        from tuijin.tasks import services as task_services
        from tuijin.tasks.models import Plan, Task

        supervisor = User.objects.filter(username="supervisor").first()
        plan = Plan.objects.filter(
            is_illustrative=True, kind=Plan.Kind.ANNUAL, name__contains="中原科技城"
        ).first()
        if supervisor is None or plan is None:
            return
        kjc = self.sectors.get("中原科技城")
        head = Task.objects.filter(plan=plan, number="1").first()
        if head is not None and head.measure_quantity and kjc is not None:
            services.bind_measure(actor=supervisor, task=head, metric=MeasureBinding.Metric.SIGNED_COUNT,
                                  year=self.today.year, sector=kjc, category=self.categories.get(HEAD))  # fmt: skip
        lead_unit = Unit.objects.filter(name="市投资促进中心").first() or kjc
        if lead_unit is None:
            return
        numbers = [
            t for t in Task.objects.filter(plan=plan, parent__isnull=True).values_list("number", flat=True)
        ]
        number = str(max((int(n) for n in numbers if n.isdigit()), default=0) + 1)
        task = task_services.create_task(
            actor=supervisor, plan=plan, number=number, category="一、项目招商",
            title="引进头部企业、高科技企业、大院名所研究机构和人才创新团队等各类主体",
            target="全年签约引进各类主体40家", lead_units=[lead_unit], supporting_units=[kjc] if kjc else [],
            limit_text="年底前", leader=L_TECH, measure_quantity=Decimal(40), measure_unit="家",
        )  # fmt: skip
        services.bind_measure(actor=supervisor, task=task, metric=MeasureBinding.Metric.SIGNED_COUNT,
                              year=self.today.year)  # fmt: skip

    def run(self) -> dict:
        firms = self.firms()
        enterprises = self.enterprises()
        for row in PROJECTS:
            if row[2] in self.sectors:
                self.project(row, enterprises[row[1]], firms)
        for row in FOLLOW_ONS:
            if row[1] in self.projects and self.projects[row[1]].first_signed_on:
                self.follow_on(*row)
        self.follow_ups()
        self.bind_tasks()
        return summary()


def summary() -> dict:
    projects = Project.objects.filter(is_illustrative=True)
    return {"enterprises": Enterprise.objects.filter(is_illustrative=True).count(), "projects": projects.count(),
            "signed_this_year": projects.counted_signings(year=timezone.localdate().year).count(),
            "overdue_next_steps": projects.overdue_next_steps(timezone.localdate()).count()}  # fmt: skip


def load_demo_investment(today: datetime.date | None = None) -> bool:
    """Build the demo pipeline unless it is there; True when it was built now. Needs the main scenario's
    `investment` login (it is given city-wide scope) and sectors."""
    if is_loaded():
        return False
    actor = _officer()
    if actor is None or not Unit.objects.filter(kind=UnitKind.SECTOR).exists():
        return False
    with transaction.atomic():
        _Builder(actor, today or timezone.localdate()).run()
    return True
