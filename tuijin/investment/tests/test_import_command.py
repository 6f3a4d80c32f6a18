"""`tuijin import-projects FILE [--dry-run]`: problems printed with row and column, exit codes like import-tasks."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tuijin.investment.models import Project

from .test_import import good_rows, sheet


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import-projects", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_it_prints_every_problem_and_saves_nothing(tmp_path, ivan, unit_a, head):
    path = sheet(
        tmp_path,
        good_rows() + [{"项目名称": "坏", "企业名称": "坏公司", "所属板块": "火星", "项目类别": "头部企业"}],
    )
    with pytest.raises(CommandError, match="nothing saved: 1 error"):
        run(path, "--user", "ivan")
    assert not Project.objects.exists()


def test_it_checks_without_saving_on_a_dry_run_and_saves_otherwise(tmp_path, ivan, unit_a, head, capsys):
    path = sheet(tmp_path, good_rows())
    output = run(path, "--dry-run")
    assert "rows: 3" in output and "dry run: nothing saved" in output
    assert not Project.objects.exists()
    with pytest.raises(CommandError, match="--user"):
        run(path)
    output = run(path, "--user", "ivan")
    assert "saved: 3 projects, 2 new enterprises" in output
    assert Project.objects.count() == 3


def test_it_prints_the_row_and_column_of_each_problem(tmp_path, ivan, unit_a, head):
    path = sheet(
        tmp_path, [{"项目名称": "坏", "企业名称": "坏公司", "所属板块": "火星", "项目类别": "头部企业"}]
    )
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import-projects", str(path), "--dry-run", stdout=out)
    assert "error: 第3行 F列 [" in out.getvalue()


def test_it_refuses_a_user_who_is_not_an_investment_officer(tmp_path, alice):
    path = sheet(tmp_path, good_rows())
    with pytest.raises(CommandError, match="not an investment officer"):
        run(path, "--user", "alice")
