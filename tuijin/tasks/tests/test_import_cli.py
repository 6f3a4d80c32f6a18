"""`tuijin import-tasks`: a summary, every problem on its own line, exit 1 and nothing saved on any error."""

import pytest
from django.core.management import execute_from_command_line
from django.db import connections

from tuijin.core.models import AuditEvent
from tuijin.lib.tests.sheets import task_list
from tuijin.org.models import Unit
from tuijin.tasks.models import Plan, Task

GOOD = [
    {"number": 1, "title": "头部企业招商", "lead": "市商务局", "supporting": "市科技局", "limit": "6月底前"},
    {"number": 2, "title": "人才公寓配租", "lead": "市住房保障局", "limit": "9月上旬"},
]  # fmt: skip


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """run_from_argv closes every connection when done, which would end the test's transaction."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def units(db):
    for name in ("市商务局", "市科技局", "市住房保障局"):
        Unit.objects.create(name=name)


def tuijin(*argv) -> int:
    """Run the command as the console script does; the exit status."""
    try:
        execute_from_command_line(["tuijin", *argv])
    except SystemExit as exc:
        return exc.code or 0
    return 0


def write(tmp_path, tasks, name="list.xlsx"):
    path = tmp_path / name
    path.write_bytes(task_list(tasks))
    return str(path)


def test_it_imports_and_prints_a_summary(units, tmp_path, capsys):
    code = tuijin("import-tasks", write(tmp_path, GOOD), "--plan", "2021年清单", "--year", "2021")

    out = capsys.readouterr().out
    assert code == 0
    assert "new: 2" in out and "saved: 2 new" in out
    assert Plan.objects.get(name="2021年清单").tasks.count() == 2
    audit = AuditEvent.objects.get(action="plan.import")
    assert audit.actor is None and audit.actor_name == "system"


def test_a_dry_run_never_saves(units, tmp_path, capsys):
    code = tuijin("import-tasks", write(tmp_path, GOOD), "--plan", "p", "--year", "2021", "--dry-run")

    assert code == 0
    assert "dry run" in capsys.readouterr().out
    assert not Plan.objects.exists() and not AuditEvent.objects.exists()


def test_it_exits_1_on_any_error_and_prints_each(units, tmp_path, capsys):
    tasks = GOOD + [{"number": 3, "title": "道路建设", "lead": "市城建局", "limit": "尽快"}]

    code = tuijin("import-tasks", write(tmp_path, tasks), "--plan", "p", "--year", "2021")

    captured = capsys.readouterr()
    assert code == 1
    lines = [line for line in captured.out.splitlines() if line.startswith("error:")]
    assert len(lines) == 2
    assert lines[0].startswith("error: 第8行 D列 [") and "市城建局" in lines[0] and " — " in lines[0]
    assert lines[1].startswith("error: 第8行 H列 [") and "尽快" in lines[1]
    assert "nothing saved: 2 errors" in captured.err
    assert not Task.objects.exists() and not Plan.objects.exists()


def test_it_creates_units_when_asked(units, tmp_path, capsys):
    tasks = GOOD + [{"number": 3, "title": "道路建设", "lead": "市城建局", "limit": "年底前"}]

    code = tuijin("import-tasks", write(tmp_path, tasks), "--plan", "p", "--year", "2021", "--create-units")

    assert code == 0
    assert "units to create: 市城建局" in capsys.readouterr().out
    assert Unit.objects.filter(name="市城建局").exists()


def test_it_updates_on_a_second_run(units, tmp_path, capsys):
    path = write(tmp_path, GOOD)
    tuijin("import-tasks", path, "--plan", "p", "--year", "2021")

    code = tuijin("import-tasks", path, "--plan", "p", "--year", "2021")

    assert code == 0
    assert "saved: 0 new, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert Task.objects.count() == 2


def test_a_missing_file_is_an_error(db, tmp_path, capsys):
    assert tuijin("import-tasks", str(tmp_path / "nope.xlsx"), "--plan", "p", "--year", "2021") == 1
    assert "no such file" in capsys.readouterr().err
