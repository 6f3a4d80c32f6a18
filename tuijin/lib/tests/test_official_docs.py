"""Official documents follow GB/T 9704 basics and convert to a PDF with the title, the table and page numbers.

LibreOffice (soffice) and poppler (pdftotext) must be installed: without them these tests fail, they never skip.
"""

import datetime

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from tuijin.lib import official_docs
from tuijin.lib.official_docs import OfficialDocument, chinese_date, chinese_number, pdf_text, to_pdf

TITLE = "关于2026年一季度重点任务推进情况的通报"
NUMBER = "督办〔2026〕7号"


def build(path):
    doc = OfficialDocument(organ="郑州市人民政府督查室", number=NUMBER)
    doc.title(TITLE)
    doc.addressee("各板块管委会，市直各有关部门")
    doc.paragraph(
        "为推动年度目标任务落实，市委督查室对一季度重点任务推进情况进行了督导检查，现将有关情况通报如下。"
    )
    doc.heading("总体情况")
    doc.heading("排名情况", level=2)
    doc.table(
        ["名次", "单位", "得分", "等次"],
        [[1, "中原科技城管委会", "98.5", "优秀"], [2, "北龙湖金融岛管委会", "95.0", "优秀"],
         [3, "白沙科学谷管委会", "88.0", "良好"]],
    )  # fmt: skip
    doc.heading("存在问题")
    for i in range(14):
        doc.paragraph(
            f"第{i + 1}项：部分任务进度滞后于序时进度，请各责任单位对照清单逐项整改，按期报送整改情况。" * 2
        )
    doc.signature("郑州市人民政府督查室", datetime.date(2026, 4, 8))
    doc.save(path)
    return doc


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("official")
    docx_path = folder / "circular.docx"
    build(docx_path)
    pdf = to_pdf(docx_path, folder / "pdf")
    return docx_path, pdf, pdf_text(pdf)


def test_it_writes_dates_and_numbers_in_chinese():
    assert chinese_date(datetime.date(2026, 11, 26)) == "二〇二六年十一月二十六日"
    assert chinese_date(datetime.date(2021, 2, 10)) == "二〇二一年二月十日"
    assert chinese_date(datetime.date(2030, 10, 1)) == "二〇三〇年十月一日"
    numbers = [chinese_number(n) for n in (1, 10, 11, 20, 31, 99)]
    assert numbers == ["一", "十", "十一", "二十", "三十一", "九十九"]
    with pytest.raises(ValueError):
        chinese_number(100)


def test_it_lays_out_an_a4_page_with_the_standard_margins(converted):
    section = Document(converted[0]).sections[0]

    def mm(*lengths):  # stored in twentieths of a point: compare to a tenth of a millimetre
        return tuple(round(length.mm, 1) for length in lengths)

    assert mm(section.page_width, section.page_height) == (210, 297)
    assert mm(section.top_margin, section.bottom_margin) == (37, 35)
    assert mm(section.left_margin, section.right_margin) == (28, 26)


def test_it_names_the_chinese_fonts_for_word(converted):
    document = Document(converted[0])
    title = next(p for p in document.paragraphs if p.text == TITLE)
    run = title.runs[0]
    assert run.font.size == Pt(22)
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in document.paragraphs if p.text.startswith("为推动"))
    assert body.runs[0].font.size == Pt(16)
    assert body.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.paragraph_format.line_spacing == Pt(28.95)
    headings = {p.text: p.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) for p in document.paragraphs if p.runs}
    assert headings["一、总体情况"] == "黑体"
    assert headings["（一）排名情况"] == "楷体_GB2312"
    assert headings["二、存在问题"] == "黑体"


def test_it_puts_the_number_under_a_red_banner_and_a_red_line(converted):
    document = Document(converted[0])
    banner = document.paragraphs[0]
    assert banner.text == "郑州市人民政府督查室"
    assert str(banner.runs[0].font.color.rgb) == "FF0000"
    number = next(p for p in document.paragraphs if p.text == NUMBER)
    assert number.alignment == 1  # centred
    border = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:color")) == "FF0000"


def test_it_numbers_odd_pages_right_and_even_pages_left(converted):
    document = Document(converted[0])
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert (odd.alignment, even.alignment) == (2, 0)  # right, left
    for paragraph in (odd, even):
        assert "PAGE" in "".join(t.text for t in paragraph._p.iter(qn("w:instrText")))
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")


def test_it_signs_with_the_date_four_characters_from_the_right(converted):
    document = Document(converted[0])
    date = next(p for p in document.paragraphs if p.text == "二〇二六年四月八日")
    assert date.paragraph_format.right_indent == Pt(64)


def test_it_converts_to_a_pdf_with_title_table_and_page_numbers(converted):
    _docx, pdf, text = converted
    assert pdf.suffix == ".pdf" and pdf.stat().st_size > 1000
    squeezed = "".join(text.split())
    assert TITLE in squeezed
    assert NUMBER in squeezed
    assert "北龙湖金融岛管委会" in squeezed
    assert "二〇二六年四月八日" in squeezed
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 2
    assert "— 1 —" in pages[0]
    assert "— 2 —" in pages[1]


def test_it_says_so_when_libreoffice_is_missing(tmp_path, monkeypatch):
    docx_path = tmp_path / "x.docx"
    OfficialDocument().save(docx_path)
    monkeypatch.setattr(official_docs.shutil, "which", lambda name: None)
    with pytest.raises(official_docs.ConversionError, match="LibreOffice"):
        to_pdf(docx_path, tmp_path)
