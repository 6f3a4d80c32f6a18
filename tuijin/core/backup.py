"""Backing up the database and the uploaded files, and restoring them (等保 2.0 数据备份恢复).

A backup is one directory:

    manifest.json       when, from which code and database, applied migrations, rows per table,
                        and the sha256 of every other file in the directory
    database.sqlite3    SQLite: an online, consistent copy through sqlite3's backup API
    database.pgdump     PostgreSQL: `pg_dump --format=custom`, taken from the snapshot the row counts come from
    media/…             MEDIA_ROOT as it was (evidence and other uploaded files)

The keys are never written into it: SECRET_KEY, AUDIT_KEY, FIELD_KEYS and FIELD_INDEX_KEY are kept apart,
so a stolen backup yields only sealed personal data. A restore needs the same keys (the manifest names the
ids of the field keys the personal data was sealed with). See docs/OPERATIONS.md.
"""

from __future__ import annotations

import glob
import hashlib
import hmac
import importlib.metadata
import json
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from tuijin.lib import crypto

from .fields import EncryptedCharField

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_DIR = "media"
KEYS_NOTE = (
    "SECRET_KEY, AUDIT_KEY, FIELD_KEYS and FIELD_INDEX_KEY are not in this backup; they are kept apart from it. "
    "Restoring needs the same keys, or the personal data stays sealed and the audit chain cannot be verified."
)
CHUNK = 1024 * 1024
# Connection options of DATABASES["default"]["OPTIONS"] that libpq's tools read from the environment.
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}
PG_CONN = ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE")
PASSED_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "LC_MESSAGES", "TZ", "TMPDIR")


class BackupError(Exception):
    """The backup or restore cannot go ahead; the message says why, for the operator."""


@dataclass
class RestoreResult:
    manifest: dict
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    media_left: int = 0
    pending_migrations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    audit_key_matches: bool = True


# ---------------------------------------------------------------- files and checksums


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_hashing(src: Path, dst: Path) -> str:
    """Copy one file and return the sha256 of the bytes written, reading the source once."""
    digest = hashlib.sha256()
    dst.parent.mkdir(parents=True, exist_ok=True)
    partial = dst.with_name(dst.name + ".partial")
    with open(src, "rb") as fin, open(partial, "wb") as fout:
        while chunk := fin.read(CHUNK):
            digest.update(chunk)
            fout.write(chunk)
    os.replace(partial, dst)
    return digest.hexdigest()


def _walk_files(root: Path) -> list[str]:
    """Regular files under root as POSIX relative paths; symbolic links are refused (they could point anywhere)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                raise BackupError(f"{path} is a symbolic link; backups hold regular files only.")
        for name in filenames:
            found.append((Path(dirpath) / name).relative_to(root).as_posix())
    return sorted(found)


def _overlaps(a: Path, b: Path) -> bool:
    a, b = a.resolve(), b.resolve()
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)


# ---------------------------------------------------------------- what is in a database


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_names(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        cursor.execute(
            "SELECT c.relname FROM pg_catalog.pg_class c"
            " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            " AND pg_catalog.pg_table_is_visible(c.oid)"
        )
    return sorted(row[0] for row in cursor.fetchall())


def row_counts(cursor, vendor: str) -> dict[str, int]:
    counts = {}
    for table in _table_names(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations(cursor, tables) -> list[list[str]]:
    if "django_migrations" not in tables:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[app, name] for app, name in cursor.fetchall()]


def _field_key_ids(cursor, tables) -> list[str]:
    """Ids of the field keys that sealed the personal data, so a restore can tell whether it has them."""
    ids: set[str] = set()
    for model in apps.get_models():
        table = model._meta.db_table
        if table not in tables:
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, EncryptedCharField):
                column = _quote(f.column)
                cursor.execute(f"SELECT {column} FROM {_quote(table)} WHERE {column} LIKE 'enc1:%'")
                ids.update(crypto.key_id_of(value) or "" for (value,) in cursor.fetchall())
    return sorted(ids - {""})


def _describe(cursor, vendor: str) -> dict:
    counts = row_counts(cursor, vendor)
    return {
        "migrations": _applied_migrations(cursor, counts),
        "row_counts": counts,
        "field_key_ids": _field_key_ids(cursor, counts),
    }


# ---------------------------------------------------------------- SQLite


def sqlite_copy(source: sqlite3.Connection, dest: Path) -> None:
    """An online, consistent copy: one backup step under a read transaction, so in WAL mode the application
    keeps writing meanwhile and the copy is the database as of the moment the step began."""
    target = sqlite3.connect(dest)
    try:
        source.backup(target, pages=-1)
        # The copy inherits WAL mode; a backup is one self-contained file.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def _describe_sqlite_file(path: Path) -> dict:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cursor = db.cursor()
        cursor.execute("PRAGMA integrity_check")
        if cursor.fetchone()[0] != "ok":
            raise BackupError(f"{path.name} fails SQLite's integrity check.")
        return _describe(cursor, "sqlite")
    finally:
        db.close()


# ---------------------------------------------------------------- PostgreSQL


def _tool_major(path: Path) -> int | None:
    try:
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\)\s+(\d+)", out)
    return int(match.group(1)) if match else None


def find_pg_tool(name: str, server_major: int, *, search: list[str] | None = None) -> Path:
    """`pg_dump` or `pg_restore` of the server's major version if there is one, else the nearest newer one
    (older tools cannot read a newer server). Looks in /usr/lib/postgresql/*/bin (Debian), then on PATH."""
    if search is None:
        search = sorted(glob.glob("/usr/lib/postgresql/*/bin")) + os.environ.get("PATH", "").split(os.pathsep)
    found: dict[str, int] = {}
    real_paths: set[str] = set()
    for directory in search:
        exe = Path(directory or ".") / name
        if not (exe.is_file() and os.access(exe, os.X_OK)) or os.path.realpath(exe) in real_paths:
            continue
        real_paths.add(os.path.realpath(exe))
        if (major := _tool_major(exe)) is not None:
            found[str(exe)] = major
    exact = [path for path, major in found.items() if major == server_major]
    if exact:
        return Path(exact[0])
    newer = sorted((major, path) for path, major in found.items() if major > server_major)
    if newer:
        return Path(newer[0][1])
    seen = ", ".join(f"{p} ({m})" for p, m in found.items()) or "none"
    raise BackupError(
        f"No {name} for PostgreSQL {server_major} or newer was found (seen: {seen}). "
        f"Install the client of that version, e.g. `apt-get install postgresql-client-{server_major}`."
    )


def pg_env(settings_dict: dict) -> dict[str, str]:
    """The environment for libpq tools: the connection settings, the password included (never on a command
    line, where `ps` shows it), plus what the tools need from ours — not the application's own keys."""
    env = {
        k: v for k, v in os.environ.items() if k in PASSED_ENV or (k.startswith("PG") and k not in PG_CONN)
    }
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("NAME"):
        env["PGDATABASE"] = settings_dict["NAME"]
    for option, var in PG_OPTION_ENV.items():
        if settings_dict.get("OPTIONS", {}).get(option) is not None:
            env[var] = str(settings_dict["OPTIONS"][option])
    return env


def _server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{what} failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")


def _dump_postgresql(dest: Path) -> dict:
    import psycopg

    tool = find_pg_tool("pg_dump", _server_major())
    settings_dict = connection.settings_dict
    # Count rows in the very snapshot pg_dump reads, so the counts hold however busy the application is.
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as snap:
        cursor = snap.cursor()
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot_id, server_version = cursor.fetchone()
        described = _describe(cursor, "postgresql")
        command = [
            str(tool), "--format=custom", "--no-password", f"--snapshot={snapshot_id}",
            f"--file={dest}", f"--dbname={settings_dict['NAME']}",
        ]  # fmt: skip
        _run(command, pg_env(settings_dict), "pg_dump")
        cursor.execute("COMMIT")
    described["server_version"] = server_version
    described["tool"] = f"pg_dump {_tool_major(tool)}"
    return described


# ---------------------------------------------------------------- backup


def app_version() -> str:
    try:
        return importlib.metadata.version("tuijin")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def create_backup(target: Path) -> dict:
    """Write a backup into `target` (absent or empty) and return its manifest."""
    target = Path(target)
    media_root = Path(settings.MEDIA_ROOT)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} is not an empty directory; choose a new one for each backup.")
    if media_root.exists() and _overlaps(target, media_root):
        raise BackupError(f"{target} overlaps MEDIA_ROOT ({media_root}); put backups elsewhere.")
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        return _write_backup(target, media_root)
    except BaseException:
        # The directory was empty: remove the partial backup so no one mistakes it for a good one.
        for child in target.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
        raise


def _write_backup(target: Path, media_root: Path) -> dict:
    created_at = timezone.localtime().isoformat(timespec="seconds")
    vendor = connection.vendor
    if vendor == "sqlite":
        db_file = SQLITE_FILE
        connection.ensure_connection()
        sqlite_copy(connection.connection, target / db_file)
        described = _describe_sqlite_file(target / db_file)
        described["server_version"] = sqlite3.sqlite_version
    elif vendor == "postgresql":
        db_file = PG_FILE
        described = _dump_postgresql(target / db_file)
    else:
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    files = {db_file: {"sha256": sha256_of(target / db_file), "bytes": (target / db_file).stat().st_size}}
    # The files after the database: a file uploaded meanwhile is an unreferenced extra, never a missing one.
    if media_root.is_dir():
        for rel in _walk_files(media_root):
            dest = target / MEDIA_DIR / rel
            files[f"{MEDIA_DIR}/{rel}"] = {
                "sha256": _copy_hashing(media_root / rel, dest),
                "bytes": dest.stat().st_size,
            }
    for path in target.rglob("*"):
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    media = [v for k, v in files.items() if k.startswith(MEDIA_DIR + "/")]
    manifest = {
        "format": FORMAT,
        "created_at": created_at,
        "app": {"name": "tuijin", "version": app_version()},
        "database": {
            "vendor": vendor,
            "file": db_file,
            "server_version": described.pop("server_version"),
            **({"tool": described.pop("tool")} if "tool" in described else {}),
        },
        **described,
        "media": {"files": len(media), "bytes": sum(m["bytes"] for m in media)},
        "keys_included": False,
        "keys_note": KEYS_NOTE,
        "files": files,
    }
    manifest_path = target / MANIFEST
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    os.chmod(manifest_path, 0o600)
    return manifest


# ---------------------------------------------------------------- restore


def read_manifest(source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} has no {MANIFEST}: it is not a backup, or the backup did not finish.")
    try:
        manifest = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or "files" not in manifest:
        raise BackupError(f"{path} is not a manifest this version understands (format {FORMAT}).")
    return manifest


def verify_backup(source: Path) -> dict:
    """The manifest, once every file in the backup matches its checksum; otherwise name each file that does not."""
    source = Path(source)
    manifest = read_manifest(source)
    listed = manifest["files"]
    present = set(_walk_files(source)) - {MANIFEST}
    problems = [f"{name}: listed in the manifest but missing" for name in sorted(set(listed) - present)]
    problems += [f"{name}: not in the manifest" for name in sorted(present - set(listed))]
    for name in sorted(present & set(listed)):
        if sha256_of(source / name) != listed[name]["sha256"]:
            problems.append(f"{name}: does not match its sha256 checksum (damaged or altered)")
    if problems:
        raise BackupError("The backup failed verification; nothing was restored.\n  " + "\n  ".join(problems))
    return manifest


def migrations_on_disk() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def check_versions(manifest: dict) -> list[str]:
    """Refuse a backup from newer code; return the migrations this code has that the backup lacks."""
    on_disk = migrations_on_disk()
    in_backup = {tuple(m) for m in manifest.get("migrations", [])}
    ours = {app for app, _name in on_disk}
    newer = sorted(f"{app}.{name}" for app, name in in_backup - on_disk if app in ours)
    if newer:
        raise BackupError(
            f"The backup was made by newer code (app version {manifest['app'].get('version')}): this code lacks "
            f"the migrations {', '.join(newer)}. Install that version (or newer) first."
        )
    return sorted(f"{app}.{name}" for app, name in on_disk - in_backup)


def database_is_empty() -> bool:
    """Empty: no tables yet, or no users and no tasks (a freshly migrated database)."""
    from tuijin.org.models import User
    from tuijin.tasks.models import Task

    tables = set(connection.introspection.table_names())
    if not tables:
        return True
    with connection.cursor() as cursor:
        for model in (User, Task):
            if model._meta.db_table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {_quote(model._meta.db_table)}")
                if cursor.fetchone()[0]:
                    return False
    return True


def restore_backup(source: Path, *, force: bool = False) -> RestoreResult:
    source = Path(source)
    manifest = verify_backup(source)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"The backup holds a {vendor} database; the configured database is {connection.vendor}. "
            "Point DATABASE_URL at a database of the same kind."
        )
    result = RestoreResult(manifest=manifest, pending_migrations=check_versions(manifest))
    if not force and not database_is_empty():
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} already holds users or tasks; nothing was restored. "
            "Restore into an empty database, or pass --force to replace its contents."
        )
    db_file = source / manifest["database"]["file"]
    try:
        if vendor == "sqlite":
            _restore_sqlite(db_file)
        else:
            _restore_postgresql(db_file)
        with connection.cursor() as cursor:
            counts = row_counts(cursor, vendor)
    except (sqlite3.Error, DatabaseError) as exc:
        raise BackupError(f"The database could not be restored: {exc}") from None
    expected = manifest["row_counts"]
    wrong = [
        f"{table}: {counts.get(table, 'no table')} rows, the backup had {n}"
        for table, n in sorted(expected.items())
        if counts.get(table) != n
    ]
    if wrong:
        raise BackupError("The restored database differs from the backup:\n  " + "\n  ".join(wrong))
    extra = sorted(set(counts) - set(expected))
    if extra:
        result.warnings.append(
            f"Tables not in the backup were left as they were: {', '.join(extra)}. "
            "If `tuijin migrate` then fails, restore into an empty database instead."
        )
    result.tables, result.rows = len(expected), sum(expected.values())
    _restore_media(source, manifest, result)
    result.warnings += _key_warnings(manifest)
    if not result.pending_migrations and not _audit_key_matches():
        result.audit_key_matches = False
        result.warnings.append(
            "The audit chain was sealed with another audit key: set the AUDIT_KEY (or SECRET_KEY) the backup was "
            "made with, or `tuijin audit-verify` fails."
        )
    return result


def _audit_key_matches() -> bool:
    from .audit_chain import audit_key, head_mac
    from .models import AuditHead

    head = AuditHead.objects.filter(pk=1).values_list("seq", "hash", "mac").first()
    return head is None or hmac.compare_digest(head[2], head_mac(head[0], head[1], audit_key()))


def _restore_sqlite(db_file: Path) -> None:
    source = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        connection.close()
        connection.ensure_connection()
        source.backup(connection.connection, pages=-1)
    finally:
        source.close()
        connection.close()  # the next connection runs the settings' init_command (WAL) again


def _restore_postgresql(db_file: Path) -> None:
    tool = find_pg_tool("pg_restore", _server_major())
    settings_dict = connection.settings_dict
    connection.close()
    command = [
        str(tool), "--no-owner", "--no-privileges", "--clean", "--if-exists", "--single-transaction",
        "--exit-on-error", "--no-password", f"--dbname={settings_dict['NAME']}", str(db_file),
    ]  # fmt: skip
    _run(command, pg_env(settings_dict), "pg_restore")


def _restore_media(source: Path, manifest: dict, result: RestoreResult) -> None:
    media_root = Path(settings.MEDIA_ROOT).resolve()
    media_root.mkdir(parents=True, exist_ok=True)
    prefix = MEDIA_DIR + "/"
    wanted = {
        name[len(prefix) :]: info for name, info in manifest["files"].items() if name.startswith(prefix)
    }
    for rel, info in sorted(wanted.items()):
        dest = (media_root / rel).resolve()
        if not dest.is_relative_to(media_root):
            raise BackupError(f"{prefix}{rel} would be written outside MEDIA_ROOT.")
        if _copy_hashing(source / prefix / rel, dest) != info["sha256"]:
            raise BackupError(f"{prefix}{rel} changed while it was being restored.")
    result.media_files = len(wanted)
    result.media_left = len(set(_walk_files(media_root)) - set(wanted))


def _key_warnings(manifest: dict) -> list[str]:
    needed = set(manifest.get("field_key_ids", []))
    if not needed:
        return []
    try:
        have = set(crypto.keyring().keys)
    except crypto.KeyError_ as exc:
        return [f"Personal data is sealed with field keys {', '.join(sorted(needed))}, but: {exc}."]
    missing = sorted(needed - have)
    if missing:
        return [
            f"Personal data is sealed with field keys {', '.join(missing)}, which FIELD_KEYS lacks: "
            "those values cannot be read until the keys are added."
        ]
    return []


def backup_summary(manifest: dict) -> dict:
    """What the audit row says about a backup: counts only, never names or personal data."""
    return {
        "created_at": manifest["created_at"],
        "vendor": manifest["database"]["vendor"],
        "tables": len(manifest["row_counts"]),
        "rows": sum(manifest["row_counts"].values()),
        "media_files": manifest["media"]["files"],
        "media_bytes": manifest["media"]["bytes"],
    }
