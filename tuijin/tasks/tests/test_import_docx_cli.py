"""`tuijin import-tasks FILE.docx`: the same command reads Word documents, choosing the reader by content."""

import pytest
from django.core.management import execute_from_command_line
from django.db import connections

from tuijin.lib.tests.documents import PARAGRAPH_PLAN, PARAGRAPH_UNITS, notice
from tuijin.lib.tests.sheets import task_list
from tuijin.org.models import Unit
from tuijin.tasks.models import Plan, Task

SHEET = [{"number": 1, "title": "头部企业招商", "lead": "市科技局", "limit": "6月底前"}]


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """run_from_argv closes every connection when done, which would end the test's transaction."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def units(db):
    Unit.objects.bulk_create([Unit(name=name) for name in PARAGRAPH_UNITS])


def tuijin(*argv) -> int:
    try:
        execute_from_command_line(["tuijin", *argv])
    except SystemExit as exc:
        return exc.code or 0
    return 0


def test_it_imports_a_word_document(units, tmp_path, capsys):
    path = tmp_path / "方案.docx"
    path.write_bytes(notice(PARAGRAPH_PLAN))

    code = tuijin("import-tasks", str(path), "--plan", "2021年清单", "--year", "2021")

    assert code == 0 and "saved: 6 new" in capsys.readouterr().out
    assert set(Task.objects.values_list("source_ref", flat=True)) == {"郑政办〔2021〕12号"}


def test_a_dry_run_of_a_document_saves_nothing(units, tmp_path, capsys):
    path = tmp_path / "方案.docx"
    path.write_bytes(notice(PARAGRAPH_PLAN))

    assert tuijin("import-tasks", str(path), "--plan", "p", "--year", "2021", "--dry-run") == 0
    assert "new: 6" in capsys.readouterr().out and not Plan.objects.exists()


def test_a_document_named_xlsx_is_read_as_a_document(units, tmp_path, capsys):
    path = tmp_path / "清单.xlsx"
    path.write_bytes(notice(PARAGRAPH_PLAN))

    assert tuijin("import-tasks", str(path), "--plan", "p", "--year", "2021") == 0
    assert Task.objects.count() == 6


def test_a_workbook_named_docx_is_read_as_a_workbook(units, tmp_path, capsys):
    path = tmp_path / "方案.docx"
    path.write_bytes(task_list(SHEET))

    assert tuijin("import-tasks", str(path), "--plan", "p", "--year", "2021") == 0
    assert list(Task.objects.values_list("title", "source_ref")) == [("头部企业招商", "")]


def test_it_prints_the_paragraph_and_its_text_and_saves_nothing(units, tmp_path, capsys):
    bad = "5.开展产业链招商，年底前完成。（有关单位负责）"
    path = tmp_path / "方案.docx"
    path.write_bytes(notice(PARAGRAPH_PLAN[:12] + [bad]))

    code = tuijin("import-tasks", str(path), "--plan", "p", "--year", "2021", "--create-units")

    captured = capsys.readouterr()
    (line,) = [line for line in captured.out.splitlines() if line.startswith("error:")]
    assert code == 1 and line.startswith("error: 第") and "段" in line and bad in line
    assert "nothing saved: 1 error" in captured.err
    assert not Task.objects.exists() and not Plan.objects.exists()
