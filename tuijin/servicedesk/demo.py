"""Demo data for the service desk (企业诉求), called by tuijin.core.demo.load_demo inside its transaction after the
main scenario and the investment pipeline: six categories with their clocks, an enterprise portal login
(`qiye`, password as every demo login) speaking for 华瀚云计算科技有限公司, and sixteen requests in every state —
fresh, acknowledgement overdue, in progress on time and overdue, an extension waiting and one approved, a
transfer, replies awaiting a rating, closed with and without call-backs, reopened after an unsatisfied rating.
Everything is dated relative to today and built through the services (history, audit, notices). Calling it
again changes nothing. All requests are invented."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tuijin.core.demo_data import PASSWORD
from tuijin.investment.models import Enterprise, Project
from tuijin.lib.workdays import CalendarMissing
from tuijin.org.models import Membership, Role, Unit, User

from . import services
from .models import Category, ClockUnit, EnterpriseAccount, Policy, ServiceRequest

PORTAL_LOGIN = "qiye"
PORTAL_ENTERPRISE = "华瀚云计算科技有限公司"

# (name, ack limit, ack unit, close days, default unit)
CATEGORIES = [
    ("政策咨询", 4, ClockUnit.HOURS, 1, "市营商办"),
    ("审批服务", 8, ClockUnit.HOURS, 5, "市发展改革委"),
    ("要素保障", 1, ClockUnit.DAYS, 10, "市自然资源和规划局"),
    ("人才服务", 1, ClockUnit.DAYS, 5, "市人社局"),
    ("融资服务", 4, ClockUnit.HOURS, 5, "市地方金融监管局"),
    ("园区配套", 1, ClockUnit.DAYS, 10, "中原科技城管委会"),
]

# (key, category, enterprise or None for the portal's, unit or None for the default, title, description,
#  working days ago raised, steps). Steps: ack / ack_late / reply / rate:<value> / ext / ext_ok / transfer:<unit>
#  / callback:<value>; each step happens a little later than the one before.
REQUESTS = [
    (
        "fresh",
        "政策咨询",
        None,
        None,
        "高新技术企业认定奖补政策咨询",
        "我公司2021年首次通过高新技术企业认定，想了解市、区两级奖补资金的申报条件、时间和所需材料。",
        0,
        [],
    ),
    (
        "ack_overdue",
        "要素保障",
        "中原芯视智能科技有限公司",
        None,
        "研发中心二期项目用地指标落实",
        "研发中心二期项目已完成备案，急需落实约30亩建设用地指标，请协调土地报批进度。",
        3,
        [],
    ),
    (
        "progress",
        "审批服务",
        "郑州嵩岳光电科技有限公司",
        "中原科技城管委会",
        "光电模组产线环评审批加快办理",
        "新建光电模组产线环评报告已提交，希望压缩审批时限，争取年底前试生产。",
        2,
        ["ack"],
    ),
    (
        "progress_overdue",
        "园区配套",
        "河南豫见量子信息技术有限公司",
        None,
        "园区双回路供电接入",
        "量子实验室对供电可靠性要求高，请协调园区变电站双回路供电接入。",
        14,
        ["ack_late"],
    ),
    (
        "ext_pending",
        "要素保障",
        "天衡智能装备集团股份有限公司",
        None,
        "厂区周边道路及雨污管网配套",
        "新厂区东侧规划道路尚未建设，雨污管网无法接入，影响竣工验收。",
        7,
        ["ack", "ext"],
    ),
    (
        "ext_ok",
        "园区配套",
        "郑州智能制造产业技术研究院有限公司",
        "市城建局",
        "研究院门前道路断头路打通",
        "研究院门前道路为断头路，车辆通行不便，请纳入年度市政道路建设计划。",
        9,
        ["ack", "ext", "ext_ok"],
    ),
    (
        "transferred",
        "审批服务",
        "中原先进计算研究院有限公司",
        None,
        "先进计算中心机房能评手续",
        "先进计算中心机房项目需办理节能审查，请明确办理部门和流程。",
        2,
        ["transfer:市工信局"],
    ),
    (
        "replied",
        "政策咨询",
        None,
        None,
        "云计算企业上云补贴申报",
        "请告知企业上云、用云补贴政策的申报渠道和截止时间。",
        4,
        ["ack", "reply"],
    ),
    (
        "closed_callback",
        "园区配套",
        "郑州云麓数据服务有限公司",
        None,
        "员工通勤公交线路优化",
        "园区员工通勤不便，建议增设早晚高峰公交班次并优化站点。",
        20,
        ["ack", "reply", "rate:satisfied", "callback:satisfied"],
    ),
    (
        "closed",
        "人才服务",
        "中原先进计算研究院有限公司",
        None,
        "引进博士人才公寓申请咨询",
        "新引进3名博士，咨询人才公寓申请条件和入住流程。",
        16,
        ["ack", "reply", "rate:satisfied"],
    ),
    (
        "closed_late",
        "融资服务",
        "郑州黄河氢能科技有限公司",
        None,
        "科技贷款贴息政策落实",
        "公司获得科技贷款2000万元，申请落实贷款贴息政策。",
        22,
        ["ack", "reply_late", "rate:basic"],
    ),
    (
        "reopened",
        "园区配套",
        None,
        "中原科技城管委会",
        "数据中心园区专线网络接入",
        "数据中心需接入两条运营商专线，管道资源不足，请协调。",
        12,
        ["ack", "reply", "rate:unsatisfied"],
    ),
    (
        "reopened_closed",
        "政策咨询",
        "中科曙元信息技术股份有限公司",
        None,
        "首台（套）装备奖励申报",
        "我公司研制的装备被认定为首台（套），咨询奖励申报流程。",
        18,
        ["ack", "reply", "rate:unsatisfied", "ack", "reply", "rate:satisfied", "callback:basic"],
    ),
    (
        "callback_unsatisfied",
        "审批服务",
        "洛阳天中新材料科技有限公司",
        "白沙科学谷管委会",
        "新材料中试基地规划许可",
        "中试基地建设工程规划许可证办理进度缓慢，请协调。",
        19,
        ["ack", "reply", "rate:basic", "callback:unsatisfied"],
    ),
    (
        "overdue_jrd",
        "融资服务",
        "云帆数字科技集团有限公司",
        "北龙湖金融岛管委会",
        "区域总部落户金融岛奖励兑现",
        "区域总部已落户金融岛满一年，申请兑现落户奖励。",
        11,
        ["ack"],
    ),
    (
        "due_soon",
        "人才服务",
        "杭州智语人工智能科技有限公司",
        "中原科技城管委会",
        "研发团队子女入学协调",
        "研发团队核心成员子女需在郑东新区就近入学，请协调。",
        4,
        ["ack"],
    ),
]

REPLIES = {
    "政策咨询": "经核实，相关政策申报通知已在市政府门户网站发布，申报材料清单已通过短信发送给企业联系人，"
    "我单位已安排专人一对一指导申报。",
    "审批服务": "已启动并联审批，相关手续已于本周办结，批复文件请到政务服务大厅领取或在网上下载。",
    "要素保障": "已会同相关部门现场踏勘，制定了推进方案，相关指标和配套已列入年度计划。",
    "人才服务": "已与相关部门对接，符合条件的人员可直接在线申请，我单位安排专员全程代办。",
    "融资服务": "已完成材料审核，资金将于本月拨付到企业账户。",
    "园区配套": "已组织相关单位现场办公，明确了实施计划和完成时间，将按期推进。",
}

UNSATISFIED = {
    "园区配套": "回复未解决实际问题，专线管道仍未落实，请继续协调。",
    "": "答复只给了政策链接，申报中遇到的具体问题仍未解答，希望安排专人对接。",
}


class _Demo:
    def __init__(self):
        self.rng = random.Random(2021)
        self.now = timezone.now()
        self.sup = User.objects.filter(username="supervisor").first()
        self.units = {u.name: u for u in Unit.objects.all()}

    def unit_user(self, unit: Unit) -> User:
        user = (User.objects.filter(memberships__unit=unit, memberships__role=Role.UNIT, is_active=True)
                .order_by("pk").first())  # fmt: skip
        if user is None:
            user = User.objects.create(username=f"sd{unit.pk}", display_name=f"{unit.short_name or unit.name}联系人",
                                       password=make_password(PASSWORD))  # fmt: skip
            Membership.objects.create(user=user, unit=unit, role=Role.UNIT)
        return user

    def categories(self) -> dict[str, Category]:
        made = {}
        for index, (name, ack, ack_unit, close, unit) in enumerate(CATEGORIES):
            made[name] = Category.objects.create(name=name, ack_limit=ack, ack_unit=ack_unit, close_days=close,
                                                 default_unit=self.units.get(unit), sort_order=index)  # fmt: skip
        return made

    def portal_account(self) -> EnterpriseAccount | None:
        enterprise = Enterprise.objects.filter(name=PORTAL_ENTERPRISE).first() or Enterprise.objects.first()
        if enterprise is None:
            return None
        user = User.objects.filter(username=PORTAL_LOGIN).first()
        if user is None:
            user = User.objects.create(username=PORTAL_LOGIN, display_name="王海燕", title=f"{enterprise.name}行政总监",
                                       password=make_password(PASSWORD))  # fmt: skip
        Membership.objects.get_or_create(user=user, unit=None, role=Role.APPLICANT)
        return services.link_account(actor=self.sup, user=user, enterprise=enterprise)

    def moment(self, workdays_ago: int, hour: int) -> datetime.datetime:
        from tuijin.core.calendar import get_calendar

        today = timezone.localdate(self.now)
        try:
            day = get_calendar().add_workdays(today, -workdays_ago) if workdays_ago else today
        except CalendarMissing:
            day = today - datetime.timedelta(days=workdays_ago * 7 // 5)
        at = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(hour, self.rng.choice((5, 20, 35))))
        )
        return min(at, self.now - datetime.timedelta(hours=2))

    def run(self) -> None:
        if self.sup is None or Category.objects.exists():
            return
        Policy.current()
        categories = self.categories()
        account = self.portal_account()
        if account is None:
            return
        for key, cat_name, ent_name, unit_name, title, text, ago, steps in REQUESTS:
            self.build(key, categories[cat_name], account, ent_name, unit_name, title, text, ago, steps)

    def build(self, key, category, account, ent_name, unit_name, title, text, ago, steps) -> ServiceRequest:
        enterprise = Enterprise.objects.filter(name=ent_name).first() if ent_name else None
        portal = enterprise is None
        enterprise = enterprise or account.enterprise
        unit = self.units.get(unit_name) if unit_name else None
        raised = self.moment(ago, 10)
        actor = account.user if portal else self.sup
        project = Project.objects.filter(enterprise=enterprise).order_by("pk").first()
        files = []
        if key == "progress_overdue":
            from tuijin.core.demo import photo_bytes
            from tuijin.tasks.evidence import check_upload

            photo = photo_bytes(self.rng, "build", raised, (34.80, 113.70))
            files = [check_upload(SimpleUploadedFile("现场照片.jpg", photo, content_type="image/jpeg"))]
        req = services.raise_request(actor=actor, category=category, enterprise=enterprise, unit=None if portal else unit,
                                     project=project, title=title, description=text, contact_name="王海燕" if portal else "",
                                     files=files, now=raised)  # fmt: skip
        req.is_illustrative = True
        req.save(update_fields=["is_illustrative"])
        t = raised
        for step in steps:
            t = self.next_time(req, step, t)
            if t is None:
                break
            req = self.do(req, step, t, account)
        return req

    def next_time(self, req, step, t):
        req.refresh_from_db()
        return self.office_hours(
            self.raw_time(req, step, t), after=t, before=req.due if step == "reply" else None
        )

    def raw_time(self, req, step, t):
        if step == "ack_late":
            return max(t, req.ack_due) + datetime.timedelta(hours=3)
        if step == "reply_late":
            return req.due + datetime.timedelta(hours=20)
        if step == "ack":
            candidate = min(
                t + datetime.timedelta(hours=1, minutes=10), req.ack_due - datetime.timedelta(minutes=5)
            )
            return max(candidate, t + datetime.timedelta(minutes=5))
        if step.startswith("callback"):
            return t + datetime.timedelta(days=2)
        span = (req.due - t) / 3 if req.due > t else datetime.timedelta(hours=4)
        return t + max(min(span, datetime.timedelta(days=2)), datetime.timedelta(hours=1))

    def office_hours(self, when, *, after, before=None):
        """People work by day: a step that would fall at night happens in the late afternoon or next morning."""
        local = timezone.localtime(when)
        if local.hour >= 18:
            local = local.replace(hour=17, minute=self.rng.choice((10, 25, 40)))
        elif local.hour < 9:
            local = local.replace(hour=9, minute=self.rng.choice((5, 20, 35)))
        if local <= after:
            local = after + datetime.timedelta(minutes=15)
        if before is not None and local > before:
            local = max(after + datetime.timedelta(minutes=5), before - datetime.timedelta(hours=1))
        return min(local, self.now - datetime.timedelta(minutes=30))

    def do(self, req, step, t, account):
        handler = self.unit_user(req.unit)
        if step in ("ack", "ack_late"):
            return services.acknowledge(actor=handler, request=req, now=t)
        if step in ("reply", "reply_late"):
            return services.reply(actor=handler, request=req, text=REPLIES[req.category.name], now=t)
        if step == "ext":
            services.request_extension(actor=handler, request=req, days=5, now=t,
                                       reason="涉及多个部门联合审查，需补充现场踏勘和专家论证。")  # fmt: skip
            return req
        if step == "ext_ok":
            services.decide_extension(actor=self.sup, extension=req.extensions.get(approved__isnull=True),
                                      approve=True, now=t)  # fmt: skip
            return req
        if step.startswith("transfer:"):
            return services.transfer(actor=handler, request=req, unit=self.units[step.split(":", 1)[1]], now=t,
                                     reason="节能审查属工信部门职责，转请市工信局办理。")  # fmt: skip
        if step.startswith("rate:"):
            rater = account.user
            if req.enterprise_id != account.enterprise_id:  # the enterprise's own login, made for the demo
                rater = self.enterprise_login(req.enterprise)
            value = step.split(":", 1)[1]
            comment = UNSATISFIED.get(req.category.name, UNSATISFIED[""]) if value == "unsatisfied" else ""
            return services.rate(actor=rater, request=req, satisfaction=value, comment=comment, now=t)
        if step.startswith("callback:"):
            value = step.split(":", 1)[1]
            notes = {"satisfied": "企业表示问题已解决，对办理效率满意。", "basic": "企业认可办理结果，希望进一步缩短时限。",
                     "unsatisfied": "企业反映许可证虽已办结，但前期多次往返，体验较差。"}[value]  # fmt: skip
            services.record_callback(actor=self.sup, request=req, called_on=min(timezone.localdate(t), timezone.localdate(self.now)),
                                     satisfaction=value, notes=notes, now=min(t, self.now))  # fmt: skip
            return req
        raise ValueError(step)

    def enterprise_login(self, enterprise) -> User:
        """Ratings come from the enterprise itself: other enterprises rate through a login of their own."""
        account = EnterpriseAccount.objects.filter(enterprise=enterprise).select_related("user").first()
        if account is not None:
            return account.user
        login = f"qiye{enterprise.pk}"
        user = User.objects.filter(username=login).first() or User.objects.create(
            username=login, display_name=f"{enterprise.name[:20]}联系人", password=make_password(PASSWORD),
            is_active=True)  # fmt: skip
        Membership.objects.get_or_create(user=user, unit=None, role=Role.APPLICANT)
        return services.link_account(actor=self.sup, user=user, enterprise=enterprise).user


def load_demo_servicedesk() -> None:
    _Demo().run()
