"""The physical floor of each page: hand-written SQL that fetches the same data, run with sqlite3 / psycopg directly.

Each floor is what a careful engineer would send to the database for that page, with no framework in between:
who is signed in (the session, the user, their roles, the unread count in the navigation bar) and the page's own
data — the same rows, the same filters, the same order and the same page of 50. Rows are fetched in full
(`fetchall`), never rendered. One connection is opened before timing and reused, as a pooled server would.
The app, by contrast, opens a new SQLite connection per request (CONN_MAX_AGE=0 there) and renders HTML: the
ratio app ÷ floor is the price of Django, the ORM, the templates and any query the app could have avoided.
"""

from __future__ import annotations

import datetime
import uuid
import zoneinfo
from dataclasses import dataclass

LEAD = "lead"
OPEN_ORDERS = ("issued", "responded")


@dataclass
class Who:
    """The signed-in person a floor fetches for."""

    session_key: str
    user_id: int
    unit_ids: list[int]


class RawDB:
    """A plain DB-API connection to the database Django uses: sqlite3 on the same file, psycopg on the same URL."""

    def __init__(self):
        from django.conf import settings
        from django.db import connection

        self.vendor = connection.vendor
        db = settings.DATABASES["default"]
        if self.vendor == "sqlite":
            import sqlite3

            self.conn = sqlite3.connect(db["NAME"])
        else:
            import psycopg

            self.conn = psycopg.connect(
                host=db["HOST"] or None, port=db["PORT"] or None, dbname=db["NAME"], user=db["USER"] or None,
                password=db["PASSWORD"] or None, autocommit=True,
            )  # fmt: skip
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        offset = datetime.datetime.now(tz).utcoffset() or datetime.timedelta(0)
        self.tz_name = settings.TIME_ZONE
        self.offset_hours = int(offset.total_seconds() // 3600)

    def close(self) -> None:
        self.conn.close()

    # values as each driver stores them

    def uuid(self, value: uuid.UUID):
        return value.hex if self.vendor == "sqlite" else value

    def moment(self, value: datetime.datetime):
        if self.vendor == "sqlite":  # naive UTC text, as Django stores it
            return str(value.astimezone(datetime.UTC).replace(tzinfo=None))
        return value

    def local_date(self, column: str) -> str:
        """SQL for the local calendar date of a stored moment."""
        if self.vendor == "sqlite":
            return f"date({column}, '{self.offset_hours:+d} hours')"
        return f"({column} AT TIME ZONE '{self.tz_name}')::date"

    def month(self, column: str) -> str:
        if self.vendor == "sqlite":
            return f"CAST(strftime('%m', {column}) AS integer)"
        return f"CAST(EXTRACT(MONTH FROM {column}) AS integer)"

    def rows(self, sql: str, params=()) -> list:
        if self.vendor == "sqlite":
            sql = sql.replace("%s", "?")
        cursor = self.conn.cursor()
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        cursor.close()
        return rows

    @staticmethod
    def marks(values) -> str:
        return ", ".join(["%s"] * len(values)) or "NULL"


# ——— every page: who is signed in ———


def chrome(db: RawDB, who: Who) -> None:
    now = db.moment(datetime.datetime.now(datetime.UTC))
    db.rows("SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > %s",
            (who.session_key, now))  # fmt: skip
    db.rows("SELECT id, username, display_name, password, is_active, must_change_password, password_changed_at "
            "FROM org_user WHERE id = %s", (who.user_id,))  # fmt: skip
    db.rows("SELECT role, unit_id FROM org_membership WHERE user_id = %s", (who.user_id,))
    db.rows("SELECT COUNT(*) FROM notifications_notification WHERE user_id = %s AND read_at IS NULL", (who.user_id,))


def visible(db: RawDB, who: Who, alias: str = "t") -> tuple[str, list]:
    """The task visibility filter: nothing for those who see everything, else an EXISTS on their units."""
    if not who.unit_ids:
        return "", []
    return (
        f" AND EXISTS (SELECT 1 FROM tasks_taskunit v WHERE v.task_id = {alias}.id "
        f"AND v.unit_id IN ({db.marks(who.unit_ids)}))",
        list(who.unit_ids),
    )


TASK_ROW = ("t.id, t.code, t.number, t.title, t.deadline, t.limit_text, t.state, t.status, t.status_reason, "
            "t.progress, p.code, p.name, p.year")  # fmt: skip


def units_of(db: RawDB, task_ids: list[int]) -> None:
    if task_ids:
        db.rows(
            f"SELECT tu.task_id, tu.role, u.code, u.name, u.short_name FROM tasks_taskunit tu "
            f"JOIN org_unit u ON u.id = tu.unit_id WHERE tu.task_id IN ({db.marks(task_ids)}) "
            f"ORDER BY tu.role, tu.position", task_ids,
        )  # fmt: skip


# ——— pages ———


def task_list(db: RawDB, who: Who, status: str) -> None:
    """/tasks/?status=…: the count, the first page of 50 with plan and units, the filter form's choices."""
    chrome(db, who)
    scope, params = visible(db, who)
    db.rows(f"SELECT COUNT(*) FROM tasks_task t WHERE t.status = %s{scope}", [status, *params])
    page = db.rows(
        f"SELECT {TASK_ROW} FROM tasks_task t JOIN tasks_plan p ON p.id = t.plan_id WHERE t.status = %s{scope} "
        f"ORDER BY p.year, p.name, t.sort_key, t.id LIMIT 50", [status, *params],
    )  # fmt: skip
    units_of(db, [row[0] for row in page])
    db.rows("SELECT code, name FROM tasks_plan ORDER BY year DESC, name")
    db.rows("SELECT id, name FROM org_unit WHERE is_active = %s ORDER BY kind, sort_order, name", (True,))


def api_task_list(db: RawDB, token_hash: str) -> None:
    """/api/v1/tasks (first page, a supervisor's token): the token and its user, the count, 50 tasks, units."""
    who = db.rows(
        "SELECT k.id, u.id FROM org_apitoken k JOIN org_user u ON u.id = k.user_id "
        "WHERE k.key_hash = %s AND NOT k.revoked AND u.is_active", (token_hash,),
    )  # fmt: skip
    db.rows("SELECT role, unit_id FROM org_membership WHERE user_id = %s", (who[0][1],))
    db.rows("SELECT COUNT(*) FROM tasks_task")
    page = db.rows(
        f"SELECT {TASK_ROW} FROM tasks_task t JOIN tasks_plan p ON p.id = t.plan_id "
        "ORDER BY p.year, p.name, t.sort_key, t.id LIMIT 50"
    )
    units_of(db, [row[0] for row in page])


def task_page(db: RawDB, who: Who, code: uuid.UUID) -> None:
    """/tasks/<code>/: the task and its plan, units, milestones, all reports with unit, author and evidence,
    attachments, the latest 100 timeline entries, extension requests, sub-tasks, open warnings and orders."""
    chrome(db, who)
    scope, params = visible(db, who)
    task = db.rows(
        f"SELECT t.*, p.name, p.code, p.cadence FROM tasks_task t JOIN tasks_plan p ON p.id = t.plan_id "
        f"WHERE t.code = %s{scope}", [db.uuid(code), *params],
    )  # fmt: skip
    task_id = task[0][0]
    units_of(db, [task_id])
    db.rows("SELECT date, text, done_at FROM tasks_milestone WHERE task_id = %s ORDER BY date, id", (task_id,))
    db.rows(
        "SELECT r.id, r.period, r.text, r.progress, r.value, r.is_late, r.flags, r.created_at, u.name, a.display_name "
        "FROM tasks_report r JOIN org_unit u ON u.id = r.unit_id JOIN org_user a ON a.id = r.author_id "
        "WHERE r.task_id = %s ORDER BY r.created_at DESC, r.id DESC", (task_id,),
    )  # fmt: skip
    db.rows("SELECT id, code, report_id, kind, original_name, size, taken_at, flags FROM tasks_evidence "
            "WHERE task_id = %s ORDER BY created_at DESC, id DESC", (task_id,))  # fmt: skip
    db.rows(
        "SELECT e.kind, e.at, e.note, a.display_name, u.name FROM tasks_taskevent e "
        "LEFT JOIN org_user a ON a.id = e.actor_id LEFT JOIN org_unit u ON u.id = e.unit_id "
        "WHERE e.task_id = %s ORDER BY e.at DESC, e.id DESC LIMIT 100", (task_id,),
    )  # fmt: skip
    db.rows("SELECT * FROM tasks_extensionrequest WHERE task_id = %s ORDER BY created_at DESC", (task_id,))
    db.rows("SELECT id, code, number, title, progress, status FROM tasks_task WHERE parent_id = %s", (task_id,))
    db.rows("SELECT kind, level, reason, first_seen FROM supervision_warning WHERE task_id = %s "
            "AND resolved_at IS NULL", (task_id,))  # fmt: skip
    db.rows("SELECT code, level, state, number, year, due_date FROM supervision_order WHERE task_id = %s "
            "ORDER BY issued_at DESC", (task_id,))  # fmt: skip


def cockpit_page(db: RawDB, who: Who, key: str, today: datetime.date) -> None:
    """/cockpit/ with its figures counted (cockpit/snapshots.py): the snapshot's row, the sectors, the red list's
    tasks with their units, the photos, the latest published ranking and the plans of the year for the form."""
    import json

    chrome(db, who)
    found = db.rows("SELECT figures FROM cockpit_snapshot WHERE key = %s", (key,))
    figures = found[0][0] if found else {}
    figures = json.loads(figures) if isinstance(figures, str) else figures
    db.rows("SELECT id, code, name, short_name, is_active FROM org_unit WHERE kind = 'sector' "
            "ORDER BY sort_order, name")  # fmt: skip
    red = figures.get("red_list") or []
    if red:
        db.rows(f"SELECT {TASK_ROW} FROM tasks_task t JOIN tasks_plan p ON p.id = t.plan_id "
                f"WHERE t.id IN ({db.marks(red)})", red)  # fmt: skip
        units_of(db, red)
    ids = list((figures.get("photos") or {}).values())
    if ids:
        db.rows(f"SELECT e.id, e.code, e.taken_at, e.created_at, t.code, t.number, t.title FROM tasks_evidence e "
                f"JOIN tasks_task t ON t.id = e.task_id WHERE e.id IN ({db.marks(ids)})", ids)  # fmt: skip
    ranking(db)
    db.rows("SELECT id, code, name FROM tasks_plan WHERE year = %s ORDER BY name", (today.year,))


def ranking(db: RawDB) -> None:
    latest = db.rows("SELECT id, period, snapshot FROM assessment_round WHERE state = 'published' "
                     "ORDER BY published_at DESC, id DESC LIMIT 1")  # fmt: skip
    if latest:
        db.rows("SELECT r.rank, r.unit_name, r.total, r.grade, r.\"group\", u.short_name FROM assessment_result r "
                "JOIN org_unit u ON u.id = r.unit_id WHERE r.round_id = %s", (latest[0][0],))  # fmt: skip


def cockpit_count(db: RawDB, year: int, today: datetime.date) -> None:
    """Counting the cockpit's figures for someone who sees every task of the year (what a snapshot holds): the
    headline and the monthly trend in one pass over the year's tasks, the status matrix by lead sector and kind
    of unit, open orders by level, the red list's ids and the latest photo of each sector."""
    start, end = f"{year}-01-01", today.isoformat()
    on_time = f"(t.state = 'closed' AND {db.local_date('t.closed_at')} <= t.deadline)"
    db.rows(
        f"SELECT t.status, t.state = 'closed', {on_time}, "
        f"CASE WHEN t.deadline >= %s AND t.deadline < %s THEN {db.month('t.deadline')} END, COUNT(*) "
        f"FROM tasks_task t JOIN tasks_plan p ON p.id = t.plan_id WHERE p.year = %s GROUP BY 1, 2, 3, 4",
        (start, end, year),
    )  # fmt: skip
    db.rows(
        "SELECT CASE WHEN u.kind = 'sector' THEN u.id END, u.kind, t.status, COUNT(DISTINCT t.id) "
        "FROM tasks_taskunit tu JOIN tasks_task t ON t.id = tu.task_id JOIN tasks_plan p ON p.id = t.plan_id "
        "JOIN org_unit u ON u.id = tu.unit_id WHERE tu.role = %s AND p.year = %s GROUP BY 1, 2, 3",
        (LEAD, year),
    )  # fmt: skip
    db.rows(
        f"SELECT o.level, COUNT(*) FROM supervision_order o JOIN tasks_task t ON t.id = o.task_id "
        f"JOIN tasks_plan p ON p.id = t.plan_id WHERE p.year = %s AND o.state IN ({db.marks(OPEN_ORDERS)}) "
        f"GROUP BY o.level", (year, *OPEN_ORDERS),
    )  # fmt: skip
    db.rows(
        "SELECT t.id FROM tasks_task t JOIN tasks_plan p ON p.id = t.plan_id "
        "WHERE p.year = %s AND t.status = 'overdue' ORDER BY t.deadline, p.name, t.sort_key, t.id LIMIT 10",
        (year,),
    )  # fmt: skip
    # The newest photos first, each sector's first one kept: the newest photo of the year on a task a sector
    # leads is found after a few hundred rows at most, read from the (kind, created_at) index backwards.
    sectors = db.rows("SELECT id FROM org_unit WHERE kind = 'sector'")
    db.rows(
        "SELECT x.unit_id, x.id FROM (SELECT tu.unit_id, e.id, ROW_NUMBER() OVER (PARTITION BY tu.unit_id "
        "ORDER BY e.created_at DESC, e.id DESC) AS n FROM tasks_evidence e "
        "JOIN tasks_taskunit tu ON tu.task_id = e.task_id AND tu.role = 'lead' "
        "JOIN org_unit u ON u.id = tu.unit_id AND u.kind = 'sector' "
        "JOIN tasks_task t ON t.id = e.task_id JOIN tasks_plan p ON p.id = t.plan_id AND p.year = %s "
        "WHERE e.kind = 'photo') x WHERE x.n = 1", (year,),
    ) if sectors else []  # fmt: skip
