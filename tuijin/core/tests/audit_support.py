"""Helpers for the audit-log tests: act as an attacker with database rights, run the verifier."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from tuijin.core import audit_triggers


def drop_triggers() -> None:
    """What an attacker with the database owner's rights does first (undone by the test's rollback)."""
    with connection.cursor() as cursor:
        for name in audit_triggers.expected(connection.vendor):
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {audit_triggers.TABLE}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def sql(statement: str, params=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.rowcount


def run_verify(*args) -> tuple[int, str]:
    """(exit code, output) of `tuijin audit-verify`, as the console would show them."""
    out = io.StringIO()
    try:
        with translation.override("en"):  # the console speaks Chinese by default; the tests read English
            call_command("audit-verify", *args, stdout=out, stderr=out)
    except CommandError as exc:
        return 1, out.getvalue() + f"CommandError: {exc}\n"
    return 0, out.getvalue()
