"""The database's own refusal to change audit rows (see the design in tuijin/core/audit_chain.py).

SQLite: a trigger refuses UPDATE. PostgreSQL: one trigger refuses UPDATE, another refuses DELETE of rows younger
than the legal minimum retention (184 days). No DELETE trigger on SQLite: Django's test flush empties tables
with DELETE there (PostgreSQL's flush is TRUNCATE, which row triggers do not see).
"""

from __future__ import annotations

from django.db import connections
from django.utils.translation import gettext as _

from .audit_chain import MINIMUM_RETENTION_DAYS

TABLE = "core_auditevent"
UPDATE_TRIGGER = "core_auditevent_no_update"
DELETE_TRIGGER = "core_auditevent_keep_retention"

SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS {UPDATE_TRIGGER} BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END""",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {UPDATE_TRIGGER}"]

POSTGRESQL_CREATE = [
    f"""CREATE OR REPLACE FUNCTION {UPDATE_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit events are append-only: UPDATE of seq % refused', OLD.seq
                USING ERRCODE = 'integrity_constraint_violation';
        END $$""",
    f"DROP TRIGGER IF EXISTS {UPDATE_TRIGGER} ON {TABLE}",
    f"""CREATE TRIGGER {UPDATE_TRIGGER} BEFORE UPDATE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {UPDATE_TRIGGER}()""",
    f"""CREATE OR REPLACE FUNCTION {DELETE_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD.at > now() - interval '{MINIMUM_RETENTION_DAYS} days' THEN
                RAISE EXCEPTION 'audit events are kept at least {MINIMUM_RETENTION_DAYS} days: DELETE of seq % refused',
                    OLD.seq USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN OLD;
        END $$""",
    f"DROP TRIGGER IF EXISTS {DELETE_TRIGGER} ON {TABLE}",
    f"""CREATE TRIGGER {DELETE_TRIGGER} BEFORE DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {DELETE_TRIGGER}()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS {UPDATE_TRIGGER} ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {DELETE_TRIGGER} ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {UPDATE_TRIGGER}()",
    f"DROP FUNCTION IF EXISTS {DELETE_TRIGGER}()",
]


def expected(vendor: str) -> list[str]:
    return [UPDATE_TRIGGER, DELETE_TRIGGER] if vendor == "postgresql" else [UPDATE_TRIGGER]


def _statements(vendor: str, create: bool) -> list[str]:
    if vendor == "postgresql":
        return POSTGRESQL_CREATE if create else POSTGRESQL_DROP
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    return []


def create_triggers(apps, schema_editor) -> None:
    for statement in _statements(schema_editor.connection.vendor, True):
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor) -> None:
    for statement in _statements(schema_editor.connection.vendor, False):
        schema_editor.execute(statement, params=None)


def restore(using: str = "default") -> None:
    """Create the triggers again (after a table rebuild dropped them, or after an attacker did)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, True):
            cursor.execute(statement)


def problems(using: str = "default") -> list[str]:
    """What is wrong with the triggers: missing or disabled ones, in words."""
    connection = connections[using]
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
            present = {name: "O" for (name,) in cursor.fetchall()}
        elif vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [TABLE],
            )
            present = {name: str(enabled) for name, enabled in cursor.fetchall()}
        else:
            return []
    found = []
    for name in expected(vendor):
        what = "UPDATE" if name == UPDATE_TRIGGER else "young-row DELETE"
        if name not in present:
            text = _("the trigger refusing %(what)s of audit rows (%(name)s) is missing")
        elif present[name] == "D":
            text = _("the trigger refusing %(what)s of audit rows (%(name)s) is disabled")
        else:
            continue
        found.append(text % {"what": what, "name": name})
    return found
