"""Synthetic data at city or province scale for benchmarks (`tuijin generate`), written into an empty database.

A city is 108 units (32 sectors, 60 municipal departments, 16 districts) and a supervision office, a unit user per
unit, a supervisor and a leader; four plans of the year with 20,000 tasks (one lead and up to two supporting units
each, milestones, deadlines spread over the year, states and statuses as they stand on the day of generation),
500,000 progress reports, 200,000 evidence records (metadata only: no file is written), warnings, supervision
orders, timelines, extension requests and notices; and 5,000 investment projects of 3,000 enterprises with their
signings and stage moves; 60 buildings of talent apartments and furnished offices with 3,000 spaces, their
applications, leases and rent payments (generate_spaces.py); and 20,000 enterprise service requests with their
clocks, history, extensions and call-backs (generate_servicedesk.py). A province is ten such cities.

Everything is drawn from one seeded random generator — names, dates, UUID codes, password salt — and primary keys
are numbered from 1, so the same seed on the same day gives the same rows on SQLite and PostgreSQL. Statuses come
from `tasks.status.compute_status`, the function the tick uses, so nothing changes colour on the first tick.

Rows go straight through the cursor (executemany on SQLite, COPY on PostgreSQL) in one transaction per city:
the ORM's per-object work would take most of the time at these volumes. No audit event is written: the data is
synthetic, made by an operator on an empty database, and records nobody's action.
"""

from __future__ import annotations

import datetime
import random
import time
import uuid
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import DateField, DecimalField, JSONField, UUIDField

from tuijin.core.calendar import get_calendar
from tuijin.investment.models import (
    Agreement,
    AgreementType,
    Channel,
    Enterprise,
    Origin,
    Project,
    ProjectCategory,
    ProjectKind,
    Stage,
    StageChange,
)
from tuijin.investment.services import normalise_name
from tuijin.lib.credit_code import CHARSET, check_character
from tuijin.notifications.models import Notification
from tuijin.org.models import Liaison, Membership, Role, Unit, UnitKind, User
from tuijin.supervision.models import Order, Warning
from tuijin.tasks.models import (
    Evidence,
    ExtensionRequest,
    LimitKind,
    Milestone,
    Plan,
    Report,
    SourceKind,
    Task,
    TaskEvent,
    TaskState,
    TaskUnit,
)
from tuijin.tasks.numbering import sort_key
from tuijin.tasks.status import compute_status

SCALES = {"city": 1, "province": 10}
UNITS_PER_CITY = {UnitKind.SECTOR: 32, UnitKind.DEPARTMENT: 60, UnitKind.DISTRICT: 16}
TASKS_PER_CITY = 20_000
REPORTS_PER_CITY = 500_000
EVIDENCE_PER_CITY = 200_000
NOTICES_PER_USER = 10
ENTERPRISES_PER_CITY = 3_000
PROJECTS_PER_CITY = 5_000
CHUNK = 2_000  # tasks written per round trip, with everything that hangs on them
BATCH = 5_000  # rows per INSERT batch / COPY

# (plan kind, name, share of the tasks, cadence, source kind, source reference)
PLANS = [
    (Plan.Kind.ANNUAL, "{y}年{c}重点任务清单", 0.70, "monthly", SourceKind.DEPLOYMENT, "{c}政〔{y}〕3号"),
    (Plan.Kind.DECISIONS, "{y}年{c}联席会议议定事项", 0.15, "monthly", SourceKind.MEETING, "{c}联席会议纪要〔{y}〕{n}号"),
    (Plan.Kind.PRACTICAL, "{y}年{c}为群众办实事清单", 0.10, "monthly", SourceKind.DOCUMENT, "{c}办〔{y}〕12号"),
    (Plan.Kind.EVENT, "{y}年{c}文化月筹备任务", 0.05, "weekly", SourceKind.INSTRUCTION, "领导批示〔{y}〕{n}号"),
]  # fmt: skip

CITIES = ["郑州", "开封", "洛阳", "平顶山", "安阳", "鹤壁", "新乡", "焦作", "濮阳", "许昌"]
SECTOR_STEMS = [
    "中原科技城", "北龙湖金融岛", "白沙科学谷", "金水科教园", "二七商圈", "商代王城遗址", "金岱科创城", "东站片区",
    "航空港区", "临空经济区", "自贸片区", "会展片区", "滨河新区", "老城片区", "文化创意园", "物流港", "大学城",
    "生态城", "智慧岛", "数字港", "医疗健康城", "新材料园", "汽车城", "装备制造园", "食品产业园", "电子信息园",
    "文旅片区", "体育公园片区", "中央商务区", "北部新城", "南部新城", "西部新城",
]  # fmt: skip
DEPARTMENT_STEMS = [
    "发展改革委", "教育局", "科技局", "工信局", "公安局", "民政局", "司法局", "财政局", "人社局", "自然资源和规划局",
    "生态环境局", "住房保障局", "城建局", "城管局", "交通运输局", "水利局", "农业农村局", "商务局", "文广旅局",
    "卫健委", "退役军人事务局", "应急管理局", "审计局", "国资委", "市场监管局", "体育局", "统计局", "医保局",
    "机关事务管理局", "大数据管理局", "信访局", "林业局", "粮食和物资储备局", "人防办", "金融工作局", "投资促进局",
    "行政审批和政务信息管理局", "史志办", "档案局", "外事办", "民族宗教局", "供销社", "住房公积金管理中心",
    "公共资源交易中心", "城市管理执法局", "园林局", "消防救援支队", "气象局", "税务局", "邮政管理局",
    "烟草专卖局", "供电公司", "通信管理办", "轨道交通集团", "建投集团", "城发集团", "文旅集团", "港区集团",
    "委组织部", "委宣传部",
]  # fmt: skip
DISTRICT_STEMS = [
    "中原区", "二七区", "管城区", "金水区", "上街区", "惠济区", "巩义市", "荥阳市", "新密市", "新郑市", "登封市",
    "中牟县", "东新区", "经开区", "高新区", "港区",
]  # fmt: skip
CATEGORIES = ["重大项目建设", "招商引资", "城市更新", "生态环保", "民生实事", "科技创新", "营商环境", "征地拆迁",
              "基础设施", "产业发展", "文化旅游", "社会治理"]  # fmt: skip
VERBS = ["推进", "完成", "加快", "启动", "建成", "实施", "开展", "落实", "打造", "引进"]
OBJECTS = ["智慧岛二期", "人才公寓", "科创街区", "次支路网", "综合管廊", "污水处理厂", "口袋公园", "孵化基地",
           "产业园标准厂房", "老旧小区改造", "背街小巷整治", "学校新建工程", "社区医院", "地铁站点接驳",
           "征地拆迁", "头部企业招引", "数字化平台", "河道治理", "停车场建设", "农贸市场改造"]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰志宏建国文博晓峰婷浩然俊雪梅"
REPORT_TEXTS = [
    "本期完成投资{a}亿元，累计完成年度目标的{p}%。",
    "已完成主体结构{p}%，正在推进配套工程。",
    "本期召开推进会{a}次，协调解决问题{b}个，整体进度{p}%。",
    "完成征收{a}亩，剩余部分正在评估。",
    "项目已进场施工，完成形象进度{p}%。",
    "已签约企业{a}家，{b}家正在洽谈落地。",
    "方案已报审，预计下月开工；当前进度{p}%。",
    "按计划推进，本期无新增问题，进度{p}%。",
]  # fmt: skip
ENTERPRISE_STEMS = ["华瀚", "星链", "曙元", "北辰", "汉芯", "云帆", "博睿", "鼎盛", "海纳", "瀚海", "启明", "天衡", "嵩岳",
                    "芯视", "豫见", "天中", "云麓", "前沿", "微纳", "智语", "锐达", "铂瑞", "擎天", "凯越", "极光"]  # fmt: skip
INDUSTRIES = ["云计算", "智能制造", "信息技术", "新能源汽车", "集成电路", "数字经济", "生物医药", "现代物流", "网络安全",
              "商业航天", "智能装备", "光电信息", "人工智能", "新材料", "大数据", "氢能", "工业软件", "机器人"]  # fmt: skip
LEGAL_FORMS = ["科技有限公司", "集团有限公司", "股份有限公司", "研究院有限公司"]
PROJECT_KINDS = ["区域总部", "研发中心", "产业园", "生产基地", "创新中心", "中试基地", "数据中心", "应用中心"]
CHANNELS = [Channel.DIRECTED, Channel.DIRECTED, Channel.DOOR_TO_DOOR, Channel.VENTURE, Channel.SECOND_ROUND,
            Channel.EXPO, Channel.OTHER]  # fmt: skip
NEXT_STEPS = ["报送投资协议修改意见", "组织现场踏勘选址", "召开项目推进专题会", "协调办理工商注册登记", "落实首期资金到位计划",
              "提交入驻装修方案", "组织专家开展项目评审", "协调解决用地指标"]  # fmt: skip
STAGE_PATH = [Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED, Stage.REGISTERED, Stage.LANDED, Stage.STARTED,
              Stage.OPERATING]  # fmt: skip
PIPELINE = [*STAGE_PATH, Stage.DROPPED]
PIPELINE_WEIGHTS = [20, 25, 15, 8, 10, 8, 6, 8]
NOTICE_KINDS = [("task.assigned", "info", "新任务：{t}"), ("warning.yellow", "yellow", "黄色预警：{t}"),
                ("warning.red", "red", "红色预警：{t}"), ("report.remind", "info", "请按时报送进展：{t}")]  # fmt: skip


class NotEmpty(Exception):
    """The database already holds data: generating into it would mix synthetic rows with real ones."""


@dataclass
class Result:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


# ——— writing rows ———


class Table:
    """Rows of one model straight through the cursor, primary key included. Values are plain Python; dates,
    datetimes, UUIDs, JSON and decimals are adapted by the field itself, so what is stored is what the ORM
    would store."""

    def __init__(self, model, names: list[str]):
        meta = model._meta
        quote = connection.ops.quote_name
        self.model = model
        given = [meta.get_field(name) for name in names]
        # Every other column gets its field's default, once; a clock column left out would make rows differ.
        rest = [f for f in meta.concrete_fields if not f.primary_key and f not in given]
        clocks = [f.name for f in rest if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        assert not clocks, f"{meta.label}: give {clocks} explicitly"
        self.defaults = [f.get_default() for f in rest]
        self.fields = [meta.pk, *given, *rest]
        self.sql_table = quote(meta.db_table)
        self.sql_columns = ", ".join(quote(f.column) for f in self.fields)
        self.adapted = [
            (i, f) for i, f in enumerate(self.fields) if isinstance(f, DateField | UUIDField | JSONField | DecimalField)
        ]
        self.rows: list[list] = []
        self.next_id = 1
        self.written = 0

    def add(self, *values) -> int:
        """Queue a row (without its id); returns the id it will have."""
        pk = self.next_id
        self.next_id += 1
        self.rows.append([pk, *values, *self.defaults])
        if len(self.rows) >= BATCH:
            self.flush()
        return pk

    def _adapt(self, rows: list[list]) -> None:
        """Values as the ORM would send them. Datetimes and UUIDs (most of the values) take a short path with the
        same result as the field's `get_db_prep_save`; repeated dates, texts and JSON are adapted once."""
        conn = connections[DEFAULT_DB_ALIAS]  # the connection itself: the proxy costs a lookup per value
        sqlite = conn.vendor == "sqlite"
        db_tz = conn.timezone
        memo: dict = {}
        for row in rows:
            for i, f in self.adapted:
                value = row[i]
                kind = type(value)
                if value is None:
                    continue
                if kind is datetime.datetime:
                    if sqlite:  # sqlite3 ops.adapt_datetimefield_value: naive in the connection's zone, as text
                        row[i] = str(value.astimezone(db_tz).replace(tzinfo=None))
                elif kind is uuid.UUID:
                    if sqlite:  # no native uuid type: 32 hex digits
                        row[i] = value.hex
                elif kind is datetime.date or kind is str or kind is list or kind is dict:
                    key = (i, repr(value)) if kind is list or kind is dict else (i, value)
                    if key not in memo:
                        memo[key] = f.get_db_prep_save(value, conn)
                    row[i] = memo[key]
                else:
                    row[i] = f.get_db_prep_save(value, conn)

    def flush(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        self._adapt(rows)
        with connection.cursor() as cursor:
            copy = getattr(cursor.cursor, "copy", None) if connection.vendor == "postgresql" else None
            if copy is not None:  # psycopg 3: COPY streams the rows instead of a statement per row
                with copy(f"COPY {self.sql_table} ({self.sql_columns}) FROM STDIN") as stream:
                    for row in rows:
                        stream.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(f"INSERT INTO {self.sql_table} ({self.sql_columns}) VALUES ({marks})", rows)
        self.written += len(rows)


# ——— the generator ———


def ensure_empty() -> None:
    found = {
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "plans": Plan.objects.count(),
        "tasks": Task.objects.count(),
    }
    if any(found.values()):
        held = ", ".join(f"{n:,} {what}" for what, n in found.items() if n)
        raise NotEmpty(
            f"The database is not empty ({held}). `generate` writes synthetic data into an empty database only, "
            "so that it never mixes with real records: point DATABASE_URL at a new database (for SQLite, a new "
            "file), run `tuijin migrate`, then `tuijin generate` again."
        )


@dataclass(slots=True)
class _Probe:
    """What `compute_status` reads of a task."""

    plan: Plan
    state: str
    progress: int
    deadline: datetime.date | None


@dataclass(slots=True)
class _Task:
    pk: int
    plan: Plan
    created: datetime.date
    deadline: datetime.date | None
    state: str
    closed: datetime.date | None
    progress: int
    status: str
    reason: str
    lead: int
    units: list[int]  # lead first
    row: list = field(default_factory=list)  # queued once its latest report is known
    latest: int | None = None  # the lead unit's latest report
    n_periods: int = 0


class Generator:
    def __init__(self, *, scale: str, seed: int, today: datetime.date | None = None,
                 password: str | None = None, out: Callable[[str], None] = print):  # fmt: skip
        self.factor = SCALES[scale]
        self.rng = random.Random(seed)
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.today = today or datetime.datetime.now(self.tz).date()
        self.year = self.today.year
        self.password = password
        self.out = out
        self.calendar = get_calendar()
        self._status_memo: dict[tuple, tuple[str, str]] = {}
        self.order_number = 0
        self.tables = {
            "tasks": Table(Task, [
                "code", "plan", "number", "sort_key", "category", "title", "target", "leader", "owner",
                "source_kind", "source_ref", "limit_text", "limit_kind", "limit_note", "deadline", "tags", "state",
                "status", "status_reason", "progress", "latest_report", "created_at", "updated_at", "closed_at",
            ]),
            "task_units": Table(TaskUnit, ["task", "unit", "role", "position"]),
            "milestones": Table(Milestone, ["task", "date", "text", "done_at"]),
            "reports": Table(Report, ["code", "task", "unit", "author", "period", "text", "progress", "is_late",
                                      "is_consolidated", "flags", "created_at"]),
            "evidence": Table(Evidence, ["code", "task", "report", "uploaded_by", "kind", "file", "thumbnail",
                                         "original_name", "size", "sha256", "taken_at", "latitude", "longitude",
                                         "phash", "flags", "created_at"]),
            "events": Table(TaskEvent, ["task", "kind", "actor", "unit", "at", "note", "data"]),
            "warnings": Table(Warning, ["task", "kind", "level", "reason", "first_seen", "last_seen",
                                        "resolved_at"]),
            "orders": Table(Order, ["code", "task", "unit", "level", "year", "number", "requirement",
                                    "response_workdays", "due_date", "urgent", "state", "issued_by", "issued_at",
                                    "response", "responded_by", "responded_at", "decided_by", "decided_at"]),
            "extensions": Table(ExtensionRequest, ["task", "requested_by", "old_deadline", "new_deadline", "reason",
                                                   "state", "created_at"]),
            "notifications": Table(Notification, ["user", "key", "kind", "level", "title", "body", "url",
                                                  "created_at", "read_at"]),
            "enterprises": Table(Enterprise, ["code", "name", "name_key", "credit_code", "industry", "origin",
                                              "address", "is_illustrative", "created_at", "updated_at"]),
            "projects": Table(Project, [
                "code", "name", "enterprise", "sector", "category", "channel", "kind", "base_project", "industry",
                "planned_investment", "contract_amount", "increment_amount", "counted_amount", "responsible_leader",
                "officer", "stage", "stage_since", "agreement_type", "agreement_date", "first_signed_on",
                "registered_on", "landed_on", "started_on", "operating_on", "dropped_on", "dropped_reason",
                "next_step", "next_step_due", "is_illustrative", "created_by", "created_at", "updated_at",
            ]),
            "agreements": Table(Agreement, ["project", "agreement_type", "signed_on", "amount", "is_first",
                                            "created_by", "created_at"]),
            "stage_changes": Table(StageChange, ["project", "from_stage", "to_stage", "date", "is_backward",
                                                 "reason", "data", "actor", "created_at"]),
        }  # fmt: skip
        # spaces and service requests live in their own modules; their tables join these
        from tuijin.core.generate_servicedesk import ServicedeskPart
        from tuijin.core.generate_spaces import SpacesPart

        self.spaces, self.servicedesk = SpacesPart(self), ServicedeskPart(self)

    # helpers drawn from the one generator

    def code(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=self.rng.randint(1, 2)))

    def at(self, day: datetime.date, hour: int | None = None) -> datetime.datetime:
        hour = self.rng.randint(8, 18) if hour is None else hour
        moment = datetime.datetime.combine(day, datetime.time(hour, self.rng.randrange(60)), tzinfo=self.tz)
        return moment.astimezone(datetime.UTC)

    def hex(self, digits: int) -> str:
        return f"{self.rng.getrandbits(digits * 4):0{digits}x}"

    # the whole run

    def run(self) -> Result:
        ensure_empty()
        started = time.perf_counter()
        for city in range(self.factor):
            t0 = time.perf_counter()
            with transaction.atomic():
                self.city(city)
            self.out(f"  city {city + 1}/{self.factor} ({self.prefix(city) or 'city'}): "
                     f"{time.perf_counter() - t0:.1f} s")  # fmt: skip
        self.reset_sequences()
        if connection.vendor == "postgresql":  # planner statistics now, not whenever autovacuum comes round
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        counts = {
            "units": Unit.objects.count(),
            "users": User.objects.count(),
            "plans": Plan.objects.count(),
            **{name: table.written for name, table in self.tables.items()},
        }
        return Result(counts=counts, seconds=time.perf_counter() - started)

    def prefix(self, city: int) -> str:
        return CITIES[city] if self.factor > 1 else ""

    def reset_sequences(self) -> None:
        models = [Unit, User, Membership, Liaison, Plan, *(t.model for t in self.tables.values())]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    # one city: units, people, plans, then the tasks in chunks

    def city(self, city: int) -> None:
        prefix = self.prefix(city)
        units = self.make_units(city, prefix)
        users, supervisor = self.make_users(city, units)
        plans = self.make_plans(city, prefix, units[0])
        kinds = [UnitKind.SECTOR] * 4 + [UnitKind.DEPARTMENT] * 4 + [UnitKind.DISTRICT] * 2
        by_kind = {k: [u.pk for u in units if u.kind == k] for k in UNITS_PER_CITY}
        all_ids = [u.pk for u in units[1:]]
        planned = [(plan, round(TASKS_PER_CITY * share)) for plan, share in plans]
        planned[0] = (planned[0][0], TASKS_PER_CITY - sum(n for _p, n in planned[1:]))
        done = 0
        for plan, n in planned:
            for start in range(0, n, CHUNK):
                size = min(CHUNK, n - start)
                tasks = [self.make_task(plan, start + i + 1, by_kind, kinds, all_ids, supervisor)
                         for i in range(size)]  # fmt: skip
                reports = self.make_reports(plan, tasks, users, _share(REPORTS_PER_CITY, done, size))
                self.make_evidence(tasks, reports, users, _share(EVIDENCE_PER_CITY, done, size))
                self.make_supervision(plan, tasks, users, supervisor)
                done += size
                for table in self.tables.values():
                    table.flush()
        self.make_notices(users)
        self.make_investment(city, units, supervisor)
        self.spaces.city(city, units)
        self.servicedesk.city(city, units, users, supervisor)
        for table in self.tables.values():
            table.flush()

    def make_units(self, city: int, prefix: str) -> list[Unit]:
        office = Unit(code=self.code(), name=f"{prefix}市政府督查室", short_name="督查室", kind=UnitKind.CITY_OFFICE)
        units = [office]
        stems = {UnitKind.SECTOR: (SECTOR_STEMS, "{p}{s}管委会"), UnitKind.DEPARTMENT: (DEPARTMENT_STEMS, "{p}市{s}"),
                 UnitKind.DISTRICT: (DISTRICT_STEMS, "{p}{s}政府")}  # fmt: skip
        for kind, n in UNITS_PER_CITY.items():
            names, pattern = stems[kind]
            for i in range(n):
                stem = names[i]
                units.append(Unit(code=self.code(), name=pattern.format(p=prefix, s=stem), short_name=stem,
                                  kind=kind, sort_order=i + 1))  # fmt: skip
        base = Unit.objects.count()
        for i, unit in enumerate(units, start=base + 1):
            unit.pk = i
        Unit.objects.bulk_create(units)
        return units

    def password_hash(self) -> str:
        if not hasattr(self, "_hash"):
            salt = "".join(self.rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=22))
            unusable = "!" + "".join(self.rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=40))
            self._hash = make_password(self.password, salt=salt) if self.password else unusable
        return self._hash

    def make_users(self, city: int, units: list[Unit]) -> tuple[dict[int, int], int]:
        """A unit user per unit (unit id → user id), and the supervisor and the leader; returns the supervisor."""
        suffix = f"{city + 1:02d}" if self.factor > 1 else ""
        joined = self.at(datetime.date(self.year, 1, 2), 9)
        base = User.objects.count()
        people = [
            User(username=f"supervisor{suffix}", display_name=self.name(), title="督查室主任"),
            User(username=f"leader{suffix}", display_name=self.name(), title="副市长"),
        ]
        people += [User(username=f"unit{suffix}-{i:03d}", display_name=self.name(), title="联络员")
                   for i in range(1, len(units))]  # fmt: skip
        for pk, person in enumerate(people, start=base + 1):
            person.pk, person.code, person.password, person.date_joined = pk, self.code(), self.password_hash(), joined
        User.objects.bulk_create(people)
        supervisor, leader, *unit_users = people
        memberships = [Membership(user=supervisor, unit=units[0], role=Role.SUPERVISOR),
                       Membership(user=leader, unit=None, role=Role.LEADER)]  # fmt: skip
        memberships += [Membership(user=u, unit=unit, role=Role.UNIT) for u, unit in zip(unit_users, units[1:], strict=True)]
        Membership.objects.bulk_create(memberships)
        Liaison.objects.bulk_create(
            [Liaison(unit=unit, user=u, name=u.display_name, position="联络员") for u, unit in zip(unit_users, units[1:], strict=True)]
        )
        Liaison.objects.filter(unit_id__in=[u.pk for u in units]).update(updated_at=joined)  # not "now": same rows
        users = {unit.pk: u.pk for u, unit in zip(unit_users, units[1:], strict=True)}
        users[units[0].pk] = supervisor.pk
        return users, supervisor.pk

    def make_plans(self, city: int, prefix: str, office: Unit) -> list[tuple[Plan, float]]:
        plans = []
        for kind, name, share, cadence, source, ref in PLANS:
            plan = Plan(code=self.code(), name=name.format(y=self.year, c=prefix), year=self.year, kind=kind,
                        cadence=cadence, start_date=datetime.date(self.year, 1, 1), owner_unit=office)  # fmt: skip
            plan.source_kind, plan.source_ref = source, ref.format(y=self.year, c=prefix, n="{n}")
            plans.append((plan, share))
        Plan.objects.bulk_create([p for p, _share in plans])
        created = self.at(datetime.date(self.year, 1, 4), 9)
        Plan.objects.filter(pk__in=[p.pk for p, _s in plans]).update(created_at=created)  # not "now": same rows
        return plans

    # tasks

    def deadline(self) -> tuple[str, str, datetime.date | None, list[datetime.date]]:
        """(limit text, limit kind, deadline, milestone dates) — the phrases lists use, in plausible shares."""
        rng, y = self.rng, self.year
        r = rng.random()
        if r < 0.05:
            return rng.choice(["持续推进", "长期坚持"]), LimitKind.CONTINUING, None, []
        if r < 0.25:
            deadline, text = datetime.date(y, 12, 31), "年底前"
        elif r < 0.40:
            deadline, text = datetime.date(y, 6, 30), "6月底前"
        elif r < 0.50:
            q = rng.randint(1, 4)
            deadline, text = _month_end(y, q * 3), "一二三四"[q - 1] + "季度"
        elif r < 0.85:
            m = rng.randint(2, 12)
            deadline, text = _month_end(y, m), f"{m}月底前"
        else:
            deadline = datetime.date(y, 1, 1) + datetime.timedelta(days=rng.randrange(45, 365))
            text = f"{deadline.month}月{deadline.day}日前"
        nodes = []
        for _ in range(rng.choice([0, 1, 1, 2])):
            node = deadline - datetime.timedelta(days=rng.randint(20, 150))
            if node.year == y:
                nodes.append(node)
        nodes.sort()
        if len(nodes) == 2 and rng.random() < 0.5:
            text = f"{nodes[0].month}月底前完成前期工作，{text}全面完成"
            return text, LimitKind.MILESTONES, deadline, nodes
        return text, LimitKind.DATE, deadline, nodes

    def status(self, plan: Plan, state: str, progress: int, deadline) -> tuple[str, str]:
        key = (plan.pk, state, progress, deadline)
        if key not in self._status_memo:
            found = compute_status(_Probe(plan, state, progress, deadline), today=self.today, calendar=self.calendar)
            self._status_memo[key] = (found.status, found.reason[:200])
        return self._status_memo[key]

    def make_task(self, plan: Plan, number: int, by_kind, kinds, all_ids, supervisor: int) -> _Task:
        rng, today = self.rng, self.today
        text, limit_kind, deadline, nodes = self.deadline()
        start = datetime.date(self.year, 1, 5)
        if plan.kind in (Plan.Kind.DECISIONS, Plan.Kind.EVENT) and deadline:
            latest = min(deadline, today) - datetime.timedelta(days=15)
            start = start + datetime.timedelta(days=rng.randrange(max(1, (latest - start).days)))
        created = min(start + datetime.timedelta(days=rng.randrange(10)), today)
        closed = None
        r = rng.random()
        if deadline is not None and deadline < today:
            if r < 0.86:
                state = TaskState.CLOSED
                late = rng.random() < 0.14
                closed = deadline + datetime.timedelta(days=rng.randint(1, 25) if late else -rng.randint(0, 45))
                closed = max(created + datetime.timedelta(days=3), min(closed, today - datetime.timedelta(days=1)))
            else:
                state = TaskState.CLOSURE_REQUESTED if r < 0.91 else TaskState.IN_PROGRESS
        elif r < 0.03 and plan.kind in (Plan.Kind.DECISIONS, Plan.Kind.EVENT):
            state, created = TaskState.ASSIGNED, today - datetime.timedelta(days=rng.randint(0, 6))
        elif r < 0.07:
            state = TaskState.CLOSURE_REQUESTED
        elif r < 0.11 and deadline is not None:
            state = TaskState.CLOSED
            closed = min(max(today - datetime.timedelta(days=rng.randint(1, 20)), created), today)
        else:
            state = TaskState.IN_PROGRESS
        if state in (TaskState.CLOSED, TaskState.CLOSURE_REQUESTED):
            progress = 100
        elif state == TaskState.ASSIGNED:
            progress = 0
        elif deadline is None or deadline < today:
            progress = rng.randint(40, 95)
        else:
            span = max(1, (deadline - datetime.date(self.year, 1, 1)).days)
            expected = (today - datetime.date(self.year, 1, 1)).days * 100 / span
            progress = max(0, min(99, round(expected + rng.gauss(0, 12))))
        status, reason = self.status(plan, state, progress, deadline)
        lead = rng.choice(by_kind[rng.choice(kinds)])
        support = [u for u in rng.sample(all_ids, rng.choice([0, 1, 1, 2])) if u != lead]
        category = rng.choice(CATEGORIES)
        title = f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}{rng.choice(['', '项目', '工作', '工程'])}"
        tasks = self.tables["tasks"]
        pk, tasks.next_id = tasks.next_id, tasks.next_id + 1  # the row is queued with its latest report
        task = _Task(pk, plan, created, deadline, state, closed, progress, status, reason, lead, [lead, *support])
        source = plan.source_ref.format(n=rng.randint(1, 60))
        created_at = self.at(created, 10)
        closed_at = self.at(closed, 16) if closed else None
        task.row = [
            pk, self.code(), plan.pk, str(number), sort_key(str(number)), category, title,
            f"{text}完成{rng.choice(OBJECTS)}建设，完成投资{rng.randint(1, 80)}亿元", self.name() + "副市长",
            self.name(), plan.source_kind, source, text, limit_kind, "", deadline, "", state, status, reason,
            progress, None, created_at, closed_at or created_at, closed_at,
        ]  # fmt: skip
        units = self.tables["task_units"]
        units.add(pk, lead, TaskUnit.LEAD, 0)
        for position, unit in enumerate(support):
            units.add(pk, unit, TaskUnit.SUPPORT, position)
        for i, node in enumerate(nodes):
            done = node + datetime.timedelta(days=rng.randint(-10, 12)) if node < today and rng.random() < 0.85 else None
            self.tables["milestones"].add(pk, node, f"节点{i + 1}：完成阶段目标", min(done, today) if done else None)
        events = self.tables["events"]
        events.add(pk, TaskEvent.Kind.CREATED, supervisor, None, created_at, "", {})
        if state != TaskState.ASSIGNED:
            events.add(pk, TaskEvent.Kind.ACKNOWLEDGED, None, lead,
                       self.at(min(created + datetime.timedelta(days=rng.randint(1, 4)), today)), "", {})  # fmt: skip
        if closed:
            events.add(pk, TaskEvent.Kind.CLOSURE_REQUESTED, None, lead, self.at(closed, 9), "已完成，申请办结", {})
            events.add(pk, TaskEvent.Kind.CLOSED, supervisor, None, closed_at, "", {})
        elif state == TaskState.CLOSURE_REQUESTED:
            events.add(pk, TaskEvent.Kind.CLOSURE_REQUESTED, None, lead,
                       self.at(today - datetime.timedelta(days=rng.randint(0, 10))), "已完成，申请办结", {})  # fmt: skip
        return task

    def periods(self, plan: Plan, task: _Task) -> list[tuple[str, datetime.date]]:
        """(period, due date) of the reports the task owes from its creation until it closed or today."""
        end = task.closed or self.today
        out = []
        if plan.cadence == "weekly":
            day = task.created + datetime.timedelta(days=(1 - task.created.weekday()) % 7 + 7)
            while day <= end:
                iso = day.isocalendar()
                out.append((f"{iso.year}-W{iso.week:02d}", day))
                day += datetime.timedelta(weeks=1)
        else:
            month = task.created.month
            while month <= 12 and datetime.date(self.year, month, 25) <= end:
                out.append((f"{self.year}-{month:02d}", datetime.date(self.year, month, plan.report_day)))
                month += 1
        return out

    def make_reports(self, plan: Plan, tasks: list[_Task], users: dict[int, int], quota: int) -> list[tuple]:
        """Exactly `quota` reports over the chunk's (task, unit, period) slots; returns (report id, task, user,
        moment) for the evidence. Writes each task's row once its latest report is known."""
        rng = self.rng
        slots = []
        for t_index, task in enumerate(tasks):
            periods = self.periods(plan, task)
            task.n_periods = len(periods)
            for p_index, (period, due) in enumerate(periods):
                for unit in task.units:
                    slots.append((t_index, p_index, period, due, unit))
        if not slots:
            chosen = []
        elif quota <= len(slots):
            chosen = sorted(rng.sample(range(len(slots)), quota))
        else:  # more reports than periods (early in the year): some units file twice in a period
            chosen = sorted([*range(len(slots)), *rng.choices(range(len(slots)), k=quota - len(slots))])
        made, reports = [], self.tables["reports"]
        for index in chosen:
            t_index, p_index, period, due, unit = slots[index]
            task = tasks[t_index]
            late = rng.random() < 0.08
            day = due + datetime.timedelta(days=rng.randint(1, 6) if late else -rng.randint(0, 6))
            moment = self.at(min(max(day, task.created), self.today))
            is_lead = unit == task.lead
            progress = round(task.progress * (p_index + 1) / task.n_periods) if is_lead else None
            text = rng.choice(REPORT_TEXTS).format(a=rng.randint(1, 30), b=rng.randint(1, 9), p=progress or 50)
            author = users[unit]
            pk = reports.add(self.code(), task.pk, unit, author, period, text, progress, late, False, [], moment)
            if is_lead:
                task.latest = pk
            made.append((pk, task, author, moment))
        # Foreign keys are checked at commit (Django makes them DEFERRABLE INITIALLY DEFERRED), so the order in
        # which the tables are flushed within the city's transaction does not matter.
        for task in tasks:
            task.row[21] = task.latest
            self.tables["tasks"].rows.append(task.row + self.tables["tasks"].defaults)
        return made

    def make_evidence(self, tasks: list[_Task], reports: list[tuple], users: dict[int, int], quota: int) -> None:
        rng, table = self.rng, self.tables["evidence"]
        kinds = [(Evidence.Kind.PHOTO, "jpg", "现场照片"), (Evidence.Kind.PDF, "pdf", "进展材料"),
                 (Evidence.Kind.WORD, "docx", "工作总结"), (Evidence.Kind.EXCEL, "xlsx", "台账")]  # fmt: skip
        for i in range(quota):
            if reports and rng.random() < 0.9:
                report_id, task, author, moment = rng.choice(reports)
            else:
                task = rng.choice(tasks)
                report_id, author, moment = None, users[task.lead], self.at(task.created + datetime.timedelta(days=5))
            kind, suffix, label = kinds[0] if rng.random() < 0.7 else rng.choice(kinds[1:])
            code = self.code()
            photo = kind == Evidence.Kind.PHOTO
            table.add(
                code, task.pk, report_id, author, kind, f"evidence/{self.year}/{code}.{suffix}", "",
                f"{label}{i + 1}.{suffix}", rng.randint(40_000, 4_000_000), self.hex(64),
                moment - datetime.timedelta(hours=rng.randint(1, 72)) if photo else None,
                Decimal(f"34.{rng.randint(600000, 899999)}") if photo else None,
                Decimal(f"113.{rng.randint(500000, 799999)}") if photo else None,
                self.hex(16) if photo else "", [], moment,
            )  # fmt: skip

    def make_supervision(self, plan: Plan, tasks: list[_Task], users: dict[int, int], supervisor: int) -> None:
        """Warnings as the tick would have them today (plus resolved ones on tasks closed late), orders on about a
        third of the red tasks and on some closed late, and pending extension requests."""
        rng, today = self.rng, self.today
        warnings, orders = self.tables["warnings"], self.tables["orders"]
        tick = self.at(today, 2)
        for task in tasks:
            kind = {"overdue": Warning.Kind.OVERDUE, "due": Warning.Kind.DEADLINE,
                    "lag": Warning.Kind.PROGRESS}.get(task.reason.partition(":")[0])  # fmt: skip
            if kind is not None:
                level = Warning.Level.RED if kind == Warning.Kind.OVERDUE else Warning.Level.YELLOW
                first = task.deadline + datetime.timedelta(days=1) if kind == Warning.Kind.OVERDUE else \
                    today - datetime.timedelta(days=rng.randint(0, 20))  # fmt: skip
                warnings.add(task.pk, kind, level, task.reason, self.at(max(first, task.created), 2), tick, None)
            late = task.closed and task.deadline and task.closed > task.deadline
            if late:
                warnings.add(task.pk, Warning.Kind.OVERDUE, Warning.Level.RED, f"overdue:{task.deadline}",
                             self.at(task.deadline + datetime.timedelta(days=1), 2), self.at(task.closed, 2),
                             self.at(task.closed, 17))  # fmt: skip
            if (kind == Warning.Kind.OVERDUE and rng.random() < 0.35) or (late and rng.random() < 0.3):
                start = task.deadline + datetime.timedelta(days=rng.randint(2, 10))
                issued_day = min(start, (task.closed or today) - datetime.timedelta(days=1), today)
                if issued_day < task.created:
                    continue
                level = rng.choice([Order.Level.REMINDER, Order.Level.BLUE, Order.Level.BLUE, Order.Level.ORANGE,
                                    Order.Level.RED])  # fmt: skip
                numbered = level != Order.Level.REMINDER
                if numbered:
                    self.order_number += 1
                workdays = {Order.Level.BLUE: 5, Order.Level.ORANGE: 3, Order.Level.RED: 2}.get(level)
                due = issued_day + datetime.timedelta(days=(workdays or 3) + 2)
                unit_user = users[task.lead]
                if task.closed:
                    state, answered = Order.State.ACCEPTED, True
                else:
                    state = rng.choice([Order.State.ISSUED, Order.State.RESPONDED])
                    answered = state == Order.State.RESPONDED
                responded = self.at(min(issued_day + datetime.timedelta(days=2), today)) if answered else None
                orders.add(
                    self.code(), task.pk, task.lead, level, self.year, self.order_number if numbered else None,
                    "请加快推进，按期完成。", workdays, due, False, state, supervisor, self.at(issued_day),
                    "已制定整改措施，正在加快推进。" if answered else "", unit_user if answered else None, responded,
                    supervisor if state == Order.State.ACCEPTED else None,
                    self.at(task.closed) if state == Order.State.ACCEPTED else None,
                )  # fmt: skip
            if task.state == TaskState.IN_PROGRESS and task.deadline and task.deadline > today and rng.random() < 0.01:
                self.tables["extensions"].add(
                    task.pk, users[task.lead], task.deadline, task.deadline + datetime.timedelta(days=60),
                    "受征地手续影响，申请延期。", ExtensionRequest.State.PENDING, self.at(today - datetime.timedelta(days=2)),
                )  # fmt: skip

    def make_notices(self, users: dict[int, int]) -> None:
        rng, table = self.rng, self.tables["notifications"]
        for user in sorted(set(users.values())):
            for i in range(NOTICES_PER_USER):
                kind, level, title = rng.choice(NOTICE_KINDS)
                day = self.today - datetime.timedelta(days=rng.randint(0, 90))
                moment = self.at(day)
                read = moment + datetime.timedelta(hours=rng.randint(1, 48)) if rng.random() < 0.7 else None
                table.add(user, f"generated:{i}", kind, level, title.format(t=rng.choice(OBJECTS)), "", "", moment,
                          read if read and read.date() <= self.today else None)  # fmt: skip


    # investment projects

    def make_investment(self, city: int, units: list[Unit], supervisor: int) -> None:
        """A city-wide investment officer, enterprises and projects across the sectors at every stage of the
        pipeline, with their signings (the first one counts, 统计口径) and their dated stage moves. Capital
        increases are their own projects on an earlier landed one, counting only the increase."""
        rng, today = self.rng, self.today
        suffix = f"{city + 1:02d}" if self.factor > 1 else ""
        officer = User(pk=User.objects.count() + 1, code=self.code(), username=f"investment{suffix}",
                       display_name=self.name(), title="招商专员", password=self.password_hash(),
                       date_joined=self.at(datetime.date(self.year, 1, 2), 9))  # fmt: skip
        User.objects.bulk_create([officer])
        Membership.objects.bulk_create([Membership(user=officer, unit=None, role=Role.INVESTMENT)])
        categories = list(ProjectCategory.objects.order_by("sort_order", "pk").values_list("pk", flat=True))
        if not categories:
            raise RuntimeError("no project category: run `tuijin migrate` first")
        sectors = [u.pk for u in units if u.kind == UnitKind.SECTOR]
        prefix = self.prefix(city)
        enterprises, projects = self.tables["enterprises"], self.tables["projects"]
        origins = [Origin.OTHER_PROVINCE] * 5 + [Origin.PROVINCE] * 2 + [Origin.CITY] * 2 + [Origin.ABROAD]
        made: list[tuple[int, str]] = []  # (id, industry)
        for i in range(ENTERPRISES_PER_CITY):
            name = f"{prefix}{rng.choice(ENTERPRISE_STEMS)}{rng.choice(INDUSTRIES)}{i + 1}号{rng.choice(LEGAL_FORMS)}"
            origin = rng.choice(origins)
            # A valid 统一社会信用代码, unique: the enterprise's number in the body, the check character at the end.
            serial = enterprises.next_id
            body = f"91{410100 + city:06d}" + "".join(CHARSET[serial // 31**k % 31] for k in range(9))
            credit = body + check_character(body) if rng.random() < 0.9 else ""
            created = self.at(today - datetime.timedelta(days=rng.randint(60, 720)))
            industry = rng.choice(INDUSTRIES)
            pk = enterprises.add(self.code(), name, normalise_name(name), credit, industry, origin,
                                 f"{rng.choice(SECTOR_STEMS)}{rng.randint(1, 300)}号", True, created, created)  # fmt: skip
            made.append((pk, industry))
        agreements, moves = self.tables["agreements"], self.tables["stage_changes"]
        landed: list[tuple[int, int, int, int]] = []  # (project, enterprise, sector, category) for increases
        for _ in range(PROJECTS_PER_CITY):
            enterprise, industry = rng.choice(made)
            sector, category = rng.choice(sectors), rng.choice(categories)
            reached = rng.choices(PIPELINE, weights=PIPELINE_WEIGHTS)[0]
            dropped = reached == Stage.DROPPED
            path = STAGE_PATH[: STAGE_PATH.index(rng.choice(["negotiating", "signed"]) if dropped else reached) + 1]
            if dropped:
                path = [*path, Stage.DROPPED]
            created_day = today - datetime.timedelta(days=rng.randint(len(path) * 3, 540))
            span = (today - created_day).days
            days = [created_day] + sorted(
                created_day + datetime.timedelta(days=d) for d in rng.sample(range(1, span), len(path) - 1)
            )
            dates = dict(zip(path, days, strict=True))
            base = None
            kind = ProjectKind.NEW
            planned = Decimal(rng.choice([500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000]))
            if landed and rng.random() < 0.05:
                base, enterprise, sector, category = rng.choice(landed)
                kind = rng.choice([ProjectKind.INCREASE, ProjectKind.UPGRADE])
            signed = dates.get(Stage.SIGNED)
            contract = increment = counted = None
            agreement_type = ""
            if signed:
                contract = (planned * Decimal(rng.randint(60, 120)) / 100).quantize(Decimal("0.01"))
                increment = (contract * Decimal(rng.randint(20, 60)) / 100).quantize(Decimal("0.01")) \
                    if kind != ProjectKind.NEW else None  # fmt: skip
                counted = increment if kind != ProjectKind.NEW else contract
                agreement_type = rng.choice([AgreementType.FRAMEWORK, AgreementType.FORMAL])
            name = f"{rng.choice(ENTERPRISE_STEMS)}{rng.choice(INDUSTRIES)}{rng.choice(PROJECT_KINDS)}"
            if kind != ProjectKind.NEW:
                name += "增资扩产" if kind == ProjectKind.INCREASE else "技术升级"
            overdue = rng.random() < 0.1
            due = today + datetime.timedelta(days=-rng.randint(1, 30) if overdue else rng.randint(1, 60))
            created_at = self.at(created_day)
            stage = path[-1]
            pk = projects.add(
                self.code(), name, enterprise, sector, category, rng.choice(CHANNELS), kind, base, industry,
                planned, contract, increment, counted, self.name() + "副市长", officer.pk, stage, dates[stage],
                agreement_type, signed, signed, dates.get(Stage.REGISTERED), dates.get(Stage.LANDED),
                dates.get(Stage.STARTED), dates.get(Stage.OPERATING), dates.get(Stage.DROPPED),
                "企业投资计划调整" if dropped else "", "" if dropped else rng.choice(NEXT_STEPS),
                None if dropped else due, True, officer.pk, created_at, self.at(days[-1]),
            )  # fmt: skip
            previous = ""
            for step, day in zip(path, days, strict=True):
                moves.add(pk, previous, step, day, False, "企业投资计划调整" if step == Stage.DROPPED else "",
                          {}, officer.pk, self.at(day))  # fmt: skip
                previous = step
            if signed:
                agreements.add(pk, agreement_type, signed, contract, True, officer.pk, self.at(signed))
                if agreement_type == AgreementType.FRAMEWORK and stage not in (Stage.SIGNED, Stage.DROPPED) \
                        and rng.random() < 0.5:  # fmt: skip
                    later = signed + (days[-1] - signed) // 2
                    agreements.add(pk, AgreementType.FORMAL, later, contract, False, officer.pk, self.at(later))
            if stage in (Stage.LANDED, Stage.STARTED, Stage.OPERATING) and kind == ProjectKind.NEW:
                landed.append((pk, enterprise, sector, category))


def _share(total: int, done: int, size: int) -> int:
    """The part of `total` that falls to the tasks done..done+size of a city (the parts add up to `total`)."""
    return total * (done + size) // TASKS_PER_CITY - total * done // TASKS_PER_CITY


def _month_end(year: int, month: int) -> datetime.date:
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


def generate(*, scale: str, seed: int = 2021, today: datetime.date | None = None, password: str | None = None,
             out: Callable[[str], None] = print) -> Result:  # fmt: skip
    """Fill an empty database with a city's or a province's synthetic data; raises NotEmpty otherwise."""
    return Generator(scale=scale, seed=seed, today=today, password=password, out=out).run()
