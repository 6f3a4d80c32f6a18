"""Demo data for the coordination app; called by tuijin.core.demo.load_demo inside its transaction.

The liaison roster (every unit's officer from the unit records, a predecessor and some deputies), the Zhongyuan
Science & Technology City joint meeting with two sittings — the first held five weeks ago, its minutes issued and
its decisions turned into tasks now in several states (one closed, one awaiting closure, one overdue…); the
second in ten days, with agenda items proposed — and two leader instructions with their tasks. Everything goes
through the services, so the audit log and the tasks' timelines are real. Illustrative: people and phones invented.
"""

from __future__ import annotations

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tuijin.org.models import Liaison, Role, Unit, User
from tuijin.tasks import services as task_services
from tuijin.tasks.evidence import check_upload
from tuijin.tasks.models import Plan, Task

from . import services
from .models import JointMeeting, LiaisonTerm, Meeting

DAY = datetime.timedelta(days=1)
KJC = "中原科技城管委会"
MEMBERS = ["市自然资源和规划局", "市科技局", "市商务局", "市工信局", "市发展改革委", "市财政局", "市城建局",
           "市人社局", "市住房保障局", "市投资促进中心", "郑东新区管委会", "金水区政府"]  # fmt: skip
DEPUTIES = [("中原科技城管委会", "孙浩", "综合办公室副主任"), ("市科技局", "陈晓", "办公室主任科员"),
            ("市商务局", "王楠", "办公室主任科员"), ("市自然资源和规划局", "周立", "办公室主任科员"),
            ("市投资促进中心", "许诺", "综合科科长"), ("金水区政府", "黄蕾", "政府办公室科长")]  # fmt: skip
# (proposing unit, matter, details)
AGENDA_FIRST = [
    (
        KJC,
        "中原科技城年度重点项目建设推进情况",
        "通报创新孵化基地、人才公寓等重点项目进度，提出需协调解决的问题。",
    ),
    ("市自然资源和规划局", "“三区”整体规划编制工作安排", "规划编制时间表及各单位配合事项。"),
    ("市投资促进中心", "头部企业定向招商工作方案", "建立头部企业目标库，明确对接责任单位。"),
    ("市城建局", "科技城片区道路建设征迁协调", "龙湖北路、博学路等道路征迁中需协调的问题。"),
]
# (text, lead, supporting, time limit, fate)
DECISIONS = [
    (
        "加快创新孵化基地一期建设，确保主体结构按期封顶。",
        KJC,
        ["市城建局", "市自然资源和规划局"],
        "6月底前",
        "overdue",
    ),
    (
        "编制完成“三区”整体规划，报市政府审定。",
        "市自然资源和规划局",
        [KJC, "市发展改革委"],
        "9月底前",
        "closed",
    ),
    (
        "建立头部企业目标库，实行“一企一专班”定向招商。",
        "市投资促进中心",
        ["市商务局", KJC],
        "年底前",
        "reported",
    ),
    ("落实人才公寓首批房源，完善“拎包入住”配套。", "市住房保障局", [KJC, "市人社局"], "年底前", "closing"),
    ("协调解决科技城片区道路征迁问题，保障施工进场。", "金水区政府", ["市城建局", KJC], "年底前", "assigned"),
]
AGENDA_NEXT = [
    (KJC, "第一次全体会议议定事项落实情况通报", "逐项通报议定事项办理进度，对滞后事项提出督办建议。"),
    ("市科技局", "科技企业孵化器认定和奖补政策", "拟出台的孵化器奖补办法征求意见。"),
    ("市人社局", "人才创新团队引进评审安排", ""),
]
INSTRUCTIONS = [
    ("关于加快中原科技城人才公寓建设的批示", "人才公寓是“拎包入住”的关键，请市住房保障局牵头，中原科技城管委会配合，"
     "倒排工期，年底前首批房源交付使用。", "市住房保障局", [KJC], "年底前", "reported", 20),
    ("关于做好头部企业招商工作的批示", "请市投资促进中心会同市商务局，盯牢头部企业和省内外高科技企业，"
     "每月报送对接进展。", "市投资促进中心", ["市商务局"], "12月31日前", "acknowledged", 8),
]  # fmt: skip


def _unit_user(unit: Unit) -> User | None:
    return (
        User.objects.filter(memberships__unit=unit, memberships__role=Role.UNIT, is_active=True)
        .order_by("pk")
        .first()
    )


def _roster(sup, today: datetime.date) -> None:
    year_start = datetime.date(today.year, 1, 1)
    for liaison in Liaison.objects.select_related("unit", "user").order_by("unit__sort_order", "pk"):
        if LiaisonTerm.objects.filter(unit=liaison.unit).exists():
            continue
        start = year_start
        if liaison.unit.name == KJC:  # a predecessor, so the history has something to show
            services.appoint_liaison(actor=sup, unit=liaison.unit, role=LiaisonTerm.Role.OFFICER, name="李明",
                                     position="综合办公室主任", phone="13700001234",
                                     start_date=datetime.date(today.year - 1, 3, 1), note="已调任")  # fmt: skip
            start = today - 60 * DAY
        services.appoint_liaison(actor=sup, unit=liaison.unit, role=LiaisonTerm.Role.OFFICER, name=liaison.name,
                                 position=liaison.position, phone=liaison.phone, office_phone=liaison.office_phone,
                                 user=liaison.user, start_date=start)  # fmt: skip
    for index, (unit_name, name, position) in enumerate(DEPUTIES):
        unit = Unit.objects.filter(name=unit_name).first()
        if unit:
            services.appoint_liaison(actor=sup, unit=unit, role=LiaisonTerm.Role.DEPUTY, name=name, position=position,
                                     phone=f"1390371{index:04d}", start_date=year_start)  # fmt: skip


def _move(task: Task, fate: str, sup) -> None:
    lead = _unit_user(task.lead_units[0])
    if fate == "assigned" or lead is None:
        return
    task = task_services.acknowledge(actor=lead, task=Task.objects.for_list().get(pk=task.pk))
    if fate == "acknowledged":
        return
    task = Task.objects.for_list().get(pk=task.pk)
    progress = {"reported": 45, "overdue": 60, "closing": 100, "closed": 100}[fate]
    task_services.submit_report(actor=lead, task=task, progress=progress,
                                text="已召开专题推进会，明确责任分工和时间节点，正在按计划推进。")  # fmt: skip
    if fate in ("closing", "closed"):
        from tuijin.core.demo import document_bytes

        pdf = SimpleUploadedFile("落实情况报告.pdf", document_bytes(random.Random(task.pk)),
                                 content_type="application/pdf")  # fmt: skip
        task = task_services.request_closure(actor=lead, task=Task.objects.for_list().get(pk=task.pk),
                                             note="各项工作已按议定要求完成，附落实情况报告，申请办结。",
                                             files=[check_upload(pdf)])  # fmt: skip
    if fate == "closed":
        task_services.close_task(
            actor=sup, task=Task.objects.for_list().get(pk=task.pk), note="经核查，同意销号。"
        )


def load_demo_coordination() -> None:
    sup = User.objects.filter(memberships__role=Role.SUPERVISOR).order_by("pk").first()
    leader = User.objects.filter(memberships__role=Role.LEADER).order_by("pk").first()
    kjc = Unit.objects.filter(name=KJC).first()
    if sup is None or kjc is None or JointMeeting.objects.exists():
        return
    today = timezone.localdate()
    _roster(sup, today)
    units = {u.name: u for u in Unit.objects.filter(name__in=[KJC, *MEMBERS])}
    jm = services.save_joint_meeting(
        actor=sup, name="中原科技城建设联席会议", convener=kjc, members=[units[n] for n in MEMBERS if n in units],
        minutes_prefix="纪要", issuing_organ="中原科技城建设联席会议办公室", is_illustrative=True,
        description="统筹推进中原科技城规划建设、项目招引和服务保障，协调解决跨部门重大问题。由中原科技城管委会召集，"
                    "成员单位联络员负责议题收集和议定事项跟踪。",
    )  # fmt: skip
    _first_meeting(sup, jm, units, today)
    _next_meeting(sup, jm, units, today)
    if leader is not None:
        _instructions(
            sup, leader, units | {u.name: u for u in Unit.objects.filter(name="市住房保障局")}, today
        )
    from tuijin.core.demo_data import NOTE

    for plan in Plan.objects.filter(kind=Plan.Kind.DECISIONS, is_illustrative=True):
        Plan.objects.filter(pk=plan.pk).update(description=f"{NOTE}。{plan.description}")


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _this_year(day: datetime.date, today: datetime.date) -> datetime.date:
    """Keep the demo's past dates in the current year, so its decision plans are this year's like the others."""
    return min(max(day, datetime.date(today.year, 1, 1)), today)


def _first_meeting(sup, jm, units, today) -> None:
    day = _this_year(today - 35 * DAY, today)
    meeting = services.save_meeting(
        actor=sup, joint_meeting=jm, title="第一次全体会议", starts_at=_at(day, 15), place="中原科技城管委会三楼会议室",
        chair="刘振华副市长", agenda_cutoff=day - 7 * DAY, pre_meeting_at=_at(day - 3 * DAY, 9),
        pre_meeting_place="中原科技城管委会二楼小会议室",
    )  # fmt: skip
    items = [services.propose_agenda_item(actor=sup, meeting=meeting, unit=units[u], title=t, details=d,
                                          today=day - 8 * DAY) for u, t, d in AGENDA_FIRST]  # fmt: skip
    services.settle_agenda(actor=sup, meeting=meeting, accepted=items, note="四项议题全部列入会议议程。")
    for name in [
        KJC,
        "市自然资源和规划局",
        "市科技局",
        "市商务局",
        "市投资促进中心",
        "市城建局",
        "金水区政府",
    ]:
        person = _unit_user(units[name])
        if person:
            services.sign_in(actor=person, meeting=meeting)
    for text, lead, supporting, limit, _fate in DECISIONS:
        services.add_decision(actor=sup, meeting=meeting, text=text, lead_unit=units[lead],
                              supporting_units=[units[s] for s in supporting], limit_text=limit)  # fmt: skip
    meeting = services.issue_minutes(
        actor=sup, meeting=meeting,
        summary="会议听取了中原科技城管委会关于本年度重点项目建设推进情况的汇报，研究了“三区”整体规划编制、"
                "头部企业定向招商和片区道路征迁等事项。",
    )  # fmt: skip
    # the minutes went out three days after the meeting (the audit log keeps the real moment of loading)
    Meeting.objects.filter(pk=meeting.pk).update(minutes_issued_at=_at(min(day + 3 * DAY, today), 17))
    for decision, (*_rest, fate) in zip(meeting.decisions.order_by("position"), DECISIONS, strict=True):
        _move(decision.task, fate, sup)


def _next_meeting(sup, jm, units, today) -> None:
    day = today + 10 * DAY
    meeting = services.save_meeting(
        actor=sup, joint_meeting=jm, title="第二次全体会议", starts_at=_at(day, 9), place="中原科技城管委会三楼会议室",
        chair="刘振华副市长", agenda_cutoff=today + 4 * DAY, pre_meeting_at=_at(today + 6 * DAY, 15),
        pre_meeting_place="中原科技城管委会二楼小会议室",
    )  # fmt: skip
    for unit, title, details in AGENDA_NEXT:
        services.propose_agenda_item(actor=sup, meeting=meeting, unit=units[unit], title=title, details=details,
                                     today=today)  # fmt: skip


def _instructions(sup, leader, units, today) -> None:
    for subject, text, lead, supporting, limit, fate, days_ago in INSTRUCTIONS:
        if lead not in units:
            continue
        instruction = services.record_instruction(
            actor=sup, leader=leader, date=_this_year(today - days_ago * DAY, today), subject=subject, text=text, lead_unit=units[lead],
            supporting_units=[units[s] for s in supporting if s in units], limit_text=limit, illustrative=True,
        )  # fmt: skip
        _move(instruction.tasks.get(), fate, sup)
