"""The culture-month programme of the demo scenario, built on the event plan the main demo loads.

`load_demo_events()` runs after `tuijin.core.demo.load_demo()`: it turns that plan's list into a programme of six
activities around the demo's event day (the main demo sets it three weeks ahead and writes it into the plan's
description), files the plan's tasks under the activities, generates the standard preparation tasks of three
activities from a template, moves some of them on (acknowledged, reported, closure requested, closed; one
overdue) and signs part of the readiness checklists — so the programme page, the countdown and the cockpit panel
have something true-looking to show on whatever day the demo is loaded. Everything goes through the services,
so the audit log and the tasks' timelines are real. Illustrative data: persons and phone numbers are invented.
"""

from __future__ import annotations

import datetime
import random
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tuijin.org.models import Role, Unit, User
from tuijin.tasks import services as task_services
from tuijin.tasks.evidence import check_upload
from tuijin.tasks.models import Plan, Task
from tuijin.tasks.status import elapsed_percent

from . import checklist, preparation, services
from .models import Activity, ChecklistEvent, ChecklistItem, Programme

DAY = datetime.timedelta(days=1)
STEMS = "甲乙丙丁戊己庚辛壬癸"
BRANCHES = "子丑寅卯辰巳午未申酉戌亥"

XCB, WGL, GAJ, WJW = "市委宣传部", "市文化广电和旅游局", "市公安局", "市卫生健康委"
HJQ, XZS, ZDXQ, JSQ, CJJ = "惠济区政府", "新郑市政府", "郑东新区管委会", "金水区政府", "市城建局"

# (key, title, days from the event day, start, end, venue, lead, supporting, people, contact, notes, main)
ACTIVITIES = [
    ("opening", "黄河文化月开幕式", -3, "19:30", "21:00", "郑州黄河文化公园（惠济区）", WGL, (HJQ, XCB, GAJ), 3000,
     "唐志刚", "文艺演出约70分钟，19:00前观众入场完毕。", False),
    ("ceremony", "丙午年黄帝故里拜祖大典", 0, "09:30", "11:00", "新郑黄帝故里景区", XZS, (GAJ, WGL, XCB, WJW), 10000,
     "朱文静", "农历三月初三（演示日期）。嘉宾8:30前凭证入场，9:50大典开始。", True),
    ("forum", "黄河文化论坛", 1, "09:00", "12:00", "郑州国际会展中心", XCB, (WGL, ZDXQ), 600,
     "郭佳琪", "主旨演讲和圆桌对话，设同声传译。", False),
    ("heritage", "非物质文化遗产展演", 2, "14:30", "17:00", "郑州黄河文化公园（惠济区）", WGL, (HJQ,), 2000,
     "唐志刚", "", False),
    ("lights", "黄河主题灯光秀", 2, "19:30", "21:30", "如意湖畔（郑东新区）", ZDXQ, (GAJ, CJJ), 20000,
     "周晓燕", "人流密集，实行分区限流。", False),
    ("closing", "黄河文化月闭幕式", 26, "19:30", "21:00", "郑州大剧院", WGL, (XCB, JSQ), 1500,
     "唐志刚", "", False),
]  # fmt: skip

# Tasks of the mobilisation meeting's list (by number) filed under an activity, with their category.
LINKS = [("3", "opening", "其他"), ("4", "opening", "宣传"), ("6", "opening", "保障"), ("5", "ceremony", "接待"),
         ("9", "ceremony", "保障"), ("10", "ceremony", "安全"), ("11", "forum", "宣传"), ("7", "heritage", "宣传"),
         ("8", "heritage", "保障")]  # fmt: skip

# What becomes of the generated tasks, by activity and template category (else: reporting on schedule).
FATES = {
    "lights": {"安全": "closing", "保障": "closed", "接待": "acknowledged", "医疗": "assigned"},
    "forum": {"安全": "closed", "宣传": "assigned"},
    "closing": {"接待": "acknowledged", "医疗": "assigned", "宣传": "assigned"},
}
REPORTS = {
    "安全": "安保方案已完成初稿，组织公安、消防、属地开展联合踏勘。",
    "交通": "交通组织方案已征求交警、公交意见，明确临时管制路段和停车区域。",
    "保障": "场地搭建完成，物资清单逐项核对，临时用电通过检测。",
    "医疗": "医疗救护点位和救护车停靠点已确定，正在协调定点医院。",
    "接待": "嘉宾邀请函已发出，接待酒店已落实。",
    "宣传": "新闻通稿和媒体采访安排已拟定，正在对接媒体记者证办理。",
}


def ganzhi(year: int) -> str:
    """丙午 for 2026: the year's stem and branch in the sexagenary cycle."""
    return STEMS[(year - 4) % 10] + BRANCHES[(year - 4) % 12]


def event_day(plan: Plan, today: datetime.date) -> datetime.date:
    """The day the main demo set for the ceremony (written into the plan's description), else three weeks on."""
    found = re.search(r"(\d{4}-\d{2}-\d{2})", plan.description or "")
    return datetime.date.fromisoformat(found.group(1)) if found else today + 21 * DAY


def load_demo_events(today: datetime.date | None = None) -> Programme | None:
    """Build the demo programme unless it is there already or the main demo is not loaded; returns it when built."""
    if Programme.objects.filter(plan__is_illustrative=True).exists():
        return None
    plan = Plan.objects.filter(kind=Plan.Kind.EVENT, is_illustrative=True).order_by("-year", "pk").first()
    if plan is None:
        return None
    with transaction.atomic():
        return _Builder(plan, today or timezone.localdate()).run()


class _Builder:
    def __init__(self, plan: Plan, today: datetime.date):
        self.plan = plan
        self.today = today
        self.day = event_day(plan, today)
        self.rng = random.Random(2021)
        self.sup = User.objects.filter(memberships__role=Role.SUPERVISOR).order_by("pk").first()
        self.units = {u.name: u for u in Unit.objects.all()}
        self.activities: dict[str, Activity] = {}

    def unit_user(self, unit: Unit) -> User | None:
        return User.objects.filter(memberships__unit=unit, memberships__role=Role.UNIT).order_by("pk").first()

    def run(self) -> Programme:
        y = self.day.year
        programme = services.create_programme(
            actor=self.sup, name=f"{y}年中国（郑州）黄河文化月暨{ganzhi(y)}年黄帝故里拜祖大典", plan=self.plan,
            organiser=self.units[XCB], start_date=self.day - 3 * DAY, end_date=self.day + 26 * DAY,
            description="示例数据。首届黄河文化月以“早期中国”为主线，拜祖大典于农历三月初三在新郑黄帝故里举行"
                        "（演示日期）；活动组委会办公室设在市委宣传部。",
        )  # fmt: skip
        for key, title, offset, start, end, venue, lead, support, people, contact, notes, main in ACTIVITIES:
            self.activities[key] = services.create_activity(
                actor=self.sup, programme=programme, title=title, date=self.day + offset * DAY,
                start_time=datetime.time.fromisoformat(start), end_time=datetime.time.fromisoformat(end),
                venue=venue, lead_unit=self.units[lead], supporting_units=[self.units[u] for u in support],
                capacity=people, contact_name=contact, contact_phone=f"139{self.rng.randint(0, 99999999):08d}",
                notes=notes, is_main=main,
            )  # fmt: skip
        self.link_plan_tasks()
        template = preparation.standard_template(
            actor=self.sup, name=f"{preparation.STANDARD_NAME}（示例）",
            units={"安全": self.units[GAJ], "交通": self.units[GAJ], "医疗": self.units[WJW], "宣传": self.units[XCB]},
        )  # fmt: skip
        for key in ("lights", "forum", "closing"):
            links, _checks = preparation.apply_template(
                actor=self.sup, activity=self.activities[key], template=template, today=self.today
            )
            for link in links:
                self.move_on(link.task, FATES[key].get(link.category, "progress"))
        self.overdue_task()
        self.checklists()
        return programme

    def link_plan_tasks(self) -> None:
        tasks = {t.number: t for t in self.plan.tasks.all()}
        for number, key, category in LINKS:
            if number in tasks:
                preparation.link_task(actor=self.sup, activity=self.activities[key], task=tasks[number],
                                      category=category)  # fmt: skip

    # — tasks —

    def fresh(self, task: Task) -> Task:
        return Task.objects.for_list().select_related("plan").get(pk=task.pk)

    def move_on(self, task: Task, fate: str) -> None:
        if fate == "assigned":
            return
        lead = self.unit_user(task.lead_units[0])
        if lead is None:
            return
        task_services.acknowledge(actor=lead, task=self.fresh(task))
        if fate == "acknowledged":
            return
        done = fate in ("closing", "closed")
        # On schedule: a little ahead of the share of time elapsed since the plan began (序时进度).
        expected = elapsed_percent(self.plan.start_date or self.today, task.deadline, self.today)
        progress = 100 if done else min(95, expected + self.rng.randint(2, 10))
        task_services.submit_report(actor=lead, task=self.fresh(task), text=REPORTS.get(task.category, "已按计划推进。"),
                                    progress=progress)  # fmt: skip
        if not done:
            return
        from tuijin.core.demo import document_bytes

        pdf = SimpleUploadedFile(
            f"{task.title[-12:]}.pdf", document_bytes(self.rng), content_type="application/pdf"
        )
        task_services.request_closure(actor=lead, task=self.fresh(task), note="已完成，附方案及验收材料，申请销号。",
                                      files=[check_upload(pdf)])  # fmt: skip
        if fate == "closed":
            task_services.close_task(
                actor=self.sup, task=self.fresh(task), note="经核查，材料齐全，同意销号。"
            )

    def overdue_task(self) -> None:
        """A task of the opening ceremony whose deadline passed last week: red on every page."""
        opening = self.activities["opening"]
        link = preparation.add_prep_task(
            actor=self.sup, activity=opening, category="交通", title="黄河文化月开幕式：周边道路占道施工清理",
            lead_units=[self.units[HJQ]], supporting_units=[self.units[CJJ]],
            deadline=min(self.today - 4 * DAY, opening.date),
        )  # fmt: skip
        lead = self.unit_user(self.units[HJQ])
        if lead is not None:
            task_services.acknowledge(actor=lead, task=self.fresh(link.task))
            task_services.submit_report(actor=lead, task=self.fresh(link.task), progress=60,
                                        text="已清理占道施工点位5处，剩余2处因管线迁改尚未完成。")  # fmt: skip
        task_services.refresh_status([self.fresh(link.task)], today=self.today)

    # — checklists —

    def item(self, key: str, title: str, unit: str, task_number: str | None = None) -> ChecklistItem:
        task = self.plan.tasks.filter(number=task_number).first() if task_number else None
        return checklist.add_item(actor=self.sup, activity=self.activities[key], title=title, unit=self.units[unit],
                                  task=task)  # fmt: skip

    def sign(self, item: ChecklistItem, days_ago: int, note: str = "") -> None:
        user = self.unit_user(item.unit)
        if user is None:
            return
        checklist.sign_off(actor=user, item=item, note=note)
        when = timezone.now() - datetime.timedelta(days=days_ago, hours=self.rng.randint(1, 6))
        ChecklistItem.objects.filter(pk=item.pk).update(signed_at=when)
        ChecklistEvent.objects.filter(item=item, kind=ChecklistEvent.Kind.SIGNED).update(at=when)

    def checklists(self) -> None:
        self.sign(self.item("opening", "场地验收", WGL), 3, "舞台、看台、通道验收合格。")
        self.sign(self.item("opening", "安保演练", GAJ), 2)
        plan_b = self.item("opening", "应急预案", GAJ)
        self.sign(plan_b, 4)
        checklist.undo_sign_off(
            actor=self.sup, item=plan_b, reason="预案未包含极端天气处置内容，请补充后重新确认。"
        )
        self.sign(self.item("opening", "物资到位", HJQ), 1)
        self.sign(self.item("opening", "志愿者到岗", HJQ, "6"), 1, "620名志愿者完成岗前培训。")
        self.item("ceremony", "场地验收", XZS, "9")
        self.item("ceremony", "安保演练", GAJ, "10")
        self.sign(self.item("ceremony", "应急预案", GAJ), 2)
        self.item("ceremony", "物资到位", XZS)
        self.item("ceremony", "嘉宾接待手册", WGL, "5")
        self.item("heritage", "场地验收", WGL)
        self.sign(self.item("heritage", "物资到位", HJQ), 1)
        for key in ("lights", "forum"):
            for item in self.activities[key].checklist.select_related("unit", "task"):
                ready = checklist.waiting_for(item) is None and (item.task_id or item.title == "应急预案")
                if ready:
                    self.sign(item, 1)
