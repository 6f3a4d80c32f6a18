"""The circular (通报) opens in LibreOffice and converts to PDF with its title, ranking table and page numbers;
the scores workbook neutralises formula-like text; both come from the frozen round, and the CLI writes them."""

import datetime
import io
import shutil
from decimal import Decimal

import pytest
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook

from tuijin.assessment import services
from tuijin.assessment.services.circular import circular_docx_bytes, circular_title
from tuijin.assessment.services.export import scores_xlsx_bytes
from tuijin.lib.official_docs import pdf_text, to_pdf
from tuijin.tasks.models import Task

from .conftest import make_task


@pytest.fixture
def published(june, scheme, sup, plan, unit_a, unit_d):
    # Enough overdue tasks to run the circular onto a second page.
    for i in range(30):
        make_task(plan, unit_a, deadline=datetime.date(2026, 5, 1) + datetime.timedelta(days=i), number=f"9.{i}",
                  title=f"推进第{i}批城市更新项目征收工作")  # fmt: skip
    services.add_adjustment(actor=sup, scheme=scheme, period="2026-06", unit=unit_d, kind="bonus",
                            points=Decimal(1), reason="=HYPERLINK(\"http://x\")")  # fmt: skip
    round_ = services.compute_round(actor=sup, scheme=scheme, period="2026-06")
    services.review_round(actor=sup, round=round_)
    return services.publish_round(actor=sup, round=round_)


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.django_db
def test_it_writes_the_circular_with_rankings_praise_criticism_and_the_red_list(published):
    assert circular_title(published) == "关于2026年6月核心板块重点任务推进情况的通报"
    text = docx_text(circular_docx_bytes(published))
    assert "督考〔2026〕1号" in text
    assert (
        "一、排名情况" in text
        and "二、红榜和黑榜" in text
        and "三、逾期任务清单" in text
        and "四、工作要求" in text
    )
    assert "城市核心板块" in text and "市直部门" in text
    assert "白沙科学谷管委会（101.00分）" in text  # 优秀: praised
    assert "市科技局（80.00分）" in text  # last of three departments: criticised
    assert "推进第0批城市更新项目征收工作" in text and "完成征地1200亩" in text
    assert "按期办结率66.7%" in text
    assert "二〇二六年七月十日" in text


@pytest.mark.django_db
def test_it_writes_the_circular_from_the_frozen_round_not_the_live_records(published, unit_a):
    before = docx_text(circular_docx_bytes(published))
    Task.objects.filter(title__startswith="推进第").delete()
    unit_a.name = "改名后的管委会"
    unit_a.save()
    assert docx_text(circular_docx_bytes(published)) == before


@pytest.mark.django_db
@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"), reason="needs LibreOffice")
def test_it_converts_the_circular_to_pdf_with_title_table_and_page_numbers(published, tmp_path):
    docx = tmp_path / "circular.docx"
    docx.write_bytes(circular_docx_bytes(published))
    text = pdf_text(to_pdf(docx, tmp_path))
    flat = text.replace(" ", "").replace("\n", "")
    assert "关于2026年6月核心板块重点任务推进情况的通报" in flat
    assert "白沙科学谷管委会" in text and "101.00" in text
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 2
    assert "— 1 —" in pages[0] and "— 2 —" in pages[1]


@pytest.mark.django_db
def test_it_exports_the_scores_with_formulas_records_and_neutralised_text(published, unit_d):
    wb = load_workbook(io.BytesIO(scores_xlsx_bytes(published)))
    assert wb.sheetnames == ["排名", "得分明细", "依据记录", "逾期任务"]
    ranking = [[c.value for c in row] for row in wb["排名"].iter_rows()]
    assert ranking[0][:3] == ["分组", "排名", "单位"]
    assert ["城市核心板块", 1, "白沙科学谷管委会"] == ranking[1][:3]
    records = [[c.value for c in row] for row in wb["依据记录"].iter_rows()]
    assert any(row[3] == '\'=HYPERLINK("http://x")' for row in records)
    assert all(not str(row[3] or "").startswith("=") for row in records)
    assert len(list(wb["逾期任务"].iter_rows())) == 32  # header, 30 批 and 完成征地1200亩


@pytest.mark.django_db
def test_it_runs_assess_and_circular_from_the_command_line(june, scheme, tmp_path, capsys):
    call_command("assess", "--scheme", scheme.name, "--period", "2026-06", "--publish")
    out = capsys.readouterr().out
    assert "督考〔2026〕1号" in out and "白沙科学谷管委会" in out
    lines = [line for line in out.splitlines() if "市商务局" in line or "市工信局" in line]
    assert all(line.split()[0] == "1" for line in lines)  # the tie
    round_ = scheme.rounds.get()
    call_command("circular", "--round", str(round_.code), "--output", str(tmp_path / "c.docx"))
    call_command("circular", "--round", str(round_.pk), "--output", str(tmp_path / "c.xlsx"))
    assert "关于2026年6月" in docx_text((tmp_path / "c.docx").read_bytes())
    assert load_workbook(tmp_path / "c.xlsx").sheetnames[0] == "排名"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("circular", "--round", "nope", "--output", str(tmp_path / "c.docx"))
    with pytest.raises(CommandError):
        call_command("assess", "--scheme", "不存在", "--period", "2026-06")
