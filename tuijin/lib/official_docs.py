"""Official documents (公文) as .docx in the basic GB/T 9704-2012 layout, and their conversion to PDF.

What is laid out: A4 with margins top 37 / bottom 35 / left 28 / right 26 mm (a 156 × 225 mm text block); the
issuing-organ banner in red 小标宋 with the document number (督办〔2026〕7号) centred under it and a red
separator line; the title in 2号 (22 pt) 小标宋; body text in 3号 (16 pt) 仿宋_GB2312 at a fixed 28.95 pt line
(22 lines a page); level-1 headings 黑体 "一、", level-2 headings 楷体_GB2312 "（一）"; the addressee line;
tables with a header row and borders in 仿宋 12 pt; the issuer's name centred over the date, the date four
characters from the right; page numbers "— N —" in 4号 宋体 below the text block, odd pages on the right and
even pages on the left (``w:evenAndOddHeaders``), each one character in from the edge of the text block.

Fonts. The Chinese font names are written as ``w:eastAsia`` in every run, with Times New Roman for Latin
letters and digits, so Word on the reader's machine uses 方正小标宋简体 / 仿宋_GB2312 / 楷体_GB2312 / 黑体 where
they are installed. Servers rarely have them: LibreOffice then substitutes what fontconfig offers (Noto CJK
from Debian's fonts-noto-cjk), which keeps the layout but not the exact faces. Install the fonts on the
machine that converts to PDF when the PDF itself must look official.

Dates. ``chinese_date`` writes 二〇二六年十一月二十六日, the style most issuing offices still use for the
signature date; GB/T 9704-2012 §7.3.5 itself prefers Arabic numerals (2026年11月26日): pass
``date_style="arabic"`` to ``signature`` for that.

This module knows nothing of Django. ``to_pdf`` runs LibreOffice (``soffice``); ``pdf_text`` runs poppler's
``pdftotext`` (used to check generated documents in tests).
"""

from __future__ import annotations

import datetime
import io
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

__all__ = [
    "ConversionError",
    "OfficialDocument",
    "chinese_date",
    "chinese_number",
    "pdf_text",
    "to_pdf",
]

# Font names as Chinese offices have them installed; see the module docstring for what happens without them.
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING_1 = "黑体"
FONT_HEADING_2 = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"
FONT_LATIN = "Times New Roman"

SIZE_TITLE = Pt(22)  # 2号
SIZE_BODY = Pt(16)  # 3号
SIZE_PAGE_NUMBER = Pt(14)  # 4号
SIZE_BANNER = Pt(30)
SIZE_TABLE = Pt(12)  # 小四
LINE_BODY = Pt(28.95)  # 225 mm / 22 lines
LINE_TITLE = Pt(35)
RED = RGBColor(0xFF, 0x00, 0x00)
CHAR = SIZE_BODY  # one character (一字) of body text
TEXT_WIDTH_MM = 156  # 版心 width

_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 31 → 三十一 (1–99), as in headings and dates."""
    if not 0 < n < 100:
        raise ValueError(f"chinese_number handles 1–99, not {n}")
    tens, ones = divmod(n, 10)
    text = ("" if tens == 1 else _DIGITS[tens]) + "十" if tens else ""
    return text + (_DIGITS[ones] if ones else "")


def chinese_date(date: datetime.date) -> str:
    """二〇二六年十一月二十六日: the year digit by digit (〇 for zero), month and day as numbers."""
    year = "".join(_DIGITS[int(d)] for d in str(date.year))
    return f"{year}年{chinese_number(date.month)}月{chinese_number(date.day)}日"


def arabic_date(date: datetime.date) -> str:
    """2026年11月26日 — GB/T 9704-2012's own form: full year, no leading zeros."""
    return f"{date.year}年{date.month}月{date.day}日"


def _set_fonts(run_or_style, east_asia: str, size=None, *, bold: bool | None = None, color=None) -> None:
    """Latin letters and digits in Times New Roman, Chinese in `east_asia` (python-docx sets only ascii/hAnsi)."""
    font = run_or_style.font
    font.name = FONT_LATIN
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = color
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")  # “”、— and other shared punctuation in the Chinese face


def _exact_spacing(paragraph, line=LINE_BODY) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = fmt.space_after = Pt(0)


def _bottom_border(paragraph, *, color: str = "FF0000", size_eighths: int = 12, space_pt: int = 11) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", str(size_eighths)), ("space", str(space_pt)),
                        ("color", color)):  # fmt: skip
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    ppr.append(borders)


def _add_page_field(paragraph) -> None:
    """A PAGE field (complex form, which Word and LibreOffice both update on layout)."""

    def fld_char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        return run

    fld_char("begin")
    instr = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = " PAGE "
    instr._r.append(text)
    fld_char("separate")
    paragraph.add_run("1")
    fld_char("end")
    for run in paragraph.runs:
        _set_fonts(run, FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER)


class OfficialDocument:
    """A GB/T 9704 document built top to bottom: banner and number, title, addressee, body, signature.

    >>> doc = OfficialDocument(organ="郑州市人民政府督查室", number="督办〔2026〕7号")
    >>> doc.title("关于加快推进创新孵化基地建设的督办通知"); doc.addressee("中原科技城管委会")
    >>> doc.paragraph("……"); doc.signature("郑州市人民政府督查室", datetime.date(2026, 11, 26))
    >>> doc.save("order.docx")
    """

    def __init__(self, organ: str = "", number: str = ""):
        self.document = Document()
        self._heading_counters = [0, 0]
        self._setup_page()
        self._setup_styles()
        if organ or number:
            self._banner(organ, number)

    # ——— page and styles ———

    def _setup_page(self) -> None:
        section = self.document.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance = Mm(15)
        # The number's dash line sits 7 mm below the text block: 35 − 7 mm, less the height of a 4号 line.
        section.footer_distance = Mm(22)
        self.document.settings.odd_and_even_pages_header_footer = True
        for footer, align, indent in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.alignment = align
            fmt = paragraph.paragraph_format
            setattr(fmt, f"{indent}_indent", SIZE_PAGE_NUMBER)  # 单页码居右空一字，双页码居左空一字
            fmt.space_before = fmt.space_after = Pt(0)
            _set_fonts(paragraph.add_run("— "), FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER)
            _add_page_field(paragraph)
            _set_fonts(paragraph.add_run(" —"), FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER)

    def _setup_styles(self) -> None:
        normal = self.document.styles["Normal"]
        _set_fonts(normal, FONT_BODY, SIZE_BODY)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_BODY
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = False  # a fixed grid of 22 lines; widow control would shift lines between pages

    def _new_paragraph(self, text: str = ""):
        return self.document.add_paragraph(text)

    # ——— zones ———

    def _banner(self, organ: str, number: str) -> None:
        if organ:
            banner = self._new_paragraph()
            banner.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _exact_spacing(banner, Pt(max(SIZE_BANNER.pt * 1.4, LINE_BODY.pt)))
            _set_fonts(banner.add_run(organ), FONT_TITLE, SIZE_BANNER, color=RED)
            self.blank_line(2)  # 发文机关标志下空二行
        line = self._new_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _exact_spacing(line)
        _set_fonts(line.add_run(number), FONT_BODY, SIZE_BODY)
        _bottom_border(line)  # the red separator 4 mm below the number
        self.blank_line(2)  # 红色分隔线下空二行

    def blank_line(self, count: int = 1) -> None:
        for _ in range(count):
            _exact_spacing(self._new_paragraph())

    def title(self, text: str) -> None:
        """The title in 2号小标宋, centred; a long one wraps on its own (keep it under ~40 characters a line)."""
        paragraph = self._new_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _exact_spacing(paragraph, LINE_TITLE)
        _set_fonts(paragraph.add_run(text), FONT_TITLE, SIZE_TITLE)
        self.blank_line()  # 标题下空一行

    def addressee(self, text: str) -> None:
        """主送机关: flush left, ending with a full-width colon."""
        paragraph = self._new_paragraph()
        _exact_spacing(paragraph)
        text = text.rstrip("：:")
        _set_fonts(paragraph.add_run(f"{text}："), FONT_BODY, SIZE_BODY)

    def paragraph(self, text: str, *, indent: bool = True, align: str = "justify") -> None:
        """Body text in 3号仿宋, first line indented two characters."""
        paragraph = self._new_paragraph()
        _exact_spacing(paragraph)
        paragraph.alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(CHAR.pt * 2)
        _set_fonts(paragraph.add_run(text), FONT_BODY, SIZE_BODY)

    def heading(self, text: str, level: int = 1, *, numbered: bool = True) -> None:
        """Level 1 黑体 "一、…", level 2 楷体 "（一）…" — numbered automatically unless `numbered` is False."""
        if level not in (1, 2):
            raise ValueError("GB/T 9704 headings here are level 1 (一、) or level 2 (（一）)")
        if level == 1:
            self._heading_counters = [self._heading_counters[0] + 1, 0]
            prefix = f"{chinese_number(self._heading_counters[0])}、"
        else:
            self._heading_counters[1] += 1
            prefix = f"（{chinese_number(self._heading_counters[1])}）"
        paragraph = self._new_paragraph()
        _exact_spacing(paragraph)
        paragraph.paragraph_format.first_line_indent = Pt(CHAR.pt * 2)
        paragraph.paragraph_format.keep_with_next = True
        font = FONT_HEADING_1 if level == 1 else FONT_HEADING_2
        _set_fonts(paragraph.add_run((prefix if numbered else "") + text), font, SIZE_BODY)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        widths_mm: Sequence[float] | None = None,
        align: Sequence[str] | None = None,
        size=SIZE_TABLE,
    ):
        """A bordered table, header row in 黑体 (repeated on every page), cells in 仿宋; returns the table."""
        cols = len(headers)
        table = self.document.add_table(rows=1, cols=cols)
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        align = list(align or ["center"] * cols)
        alignments = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                      "right": WD_ALIGN_PARAGRAPH.RIGHT}  # fmt: skip
        line = Pt(size.pt * 1.5)

        def fill(cell, value, *, header: bool, column: int) -> None:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if header else alignments[align[column]]
            _exact_spacing(paragraph, line)
            text = "" if value is None else str(value)
            _set_fonts(paragraph.add_run(text), FONT_HEADING_1 if header else FONT_BODY, size)

        for column, header in enumerate(headers):
            fill(table.rows[0].cells[column], header, header=True, column=column)
        header_props = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header_props.append(repeat)
        for values in rows:
            cells = table.add_row().cells
            for column in range(cols):
                value = values[column] if column < len(values) else ""
                fill(cells[column], value, header=False, column=column)
        table.autofit = False
        widths = list(widths_mm or self._column_widths(headers, rows))
        for column, width in zip(table.columns, widths, strict=False):
            column.width = Mm(width)  # the grid, which LibreOffice follows
            for cell in column.cells:
                cell.width = Mm(width)  # each cell, which Word follows
        self.blank_line()
        return table

    @staticmethod
    def _column_widths(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[float]:
        """Share the 156 mm text block by each column's longest text (between 2 and 20 characters)."""
        weights = []
        for column, header in enumerate(headers):
            texts = [str(header)] + [
                str(r[column]) for r in rows if column < len(r) and r[column] is not None
            ]
            weights.append(min(20, max(2, *(len(t) for t in texts))))
        return [TEXT_WIDTH_MM * w / sum(weights) for w in weights]

    def signature(self, organ: str, date: datetime.date, *, date_style: str = "chinese") -> None:
        """The issuer's name centred over the date; the date four characters from the right (右空四字)."""
        date_text = chinese_date(date) if date_style == "chinese" else arabic_date(date)
        self.blank_line(2)  # room for the seal
        date_indent = CHAR.pt * 4
        organ_indent = max(CHAR.pt * 2, date_indent + (len(date_text) - len(organ)) * CHAR.pt / 2)
        for text, indent in ((organ, organ_indent), (date_text, date_indent)):
            paragraph = self._new_paragraph()
            _exact_spacing(paragraph)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.right_indent = Pt(indent)
            _set_fonts(paragraph.add_run(text), FONT_BODY, SIZE_BODY)

    # ——— output ———

    def save(self, target: str | os.PathLike | IO[bytes]) -> None:
        self.document.save(target)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


# ——— conversion ———


class ConversionError(Exception):
    """LibreOffice is missing or failed to convert the document."""


_soffice_lock = threading.Lock()


def _soffice() -> str:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    raise ConversionError(
        "LibreOffice is not installed (soffice not on PATH); on Debian: apt-get install libreoffice-writer-nogui"
    )


def to_pdf(docx_path: str | os.PathLike, outdir: str | os.PathLike, *, timeout: int = 180) -> Path:
    """Convert with `soffice --headless --convert-to pdf`; returns the PDF's path in `outdir`.

    LibreOffice refuses to run twice on one user profile, so each process keeps its own profile (created on
    first use, which takes a few seconds) and conversions within a process take turns."""
    docx_path, outdir = Path(docx_path), Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.gettempdir()) / f"tuijin-soffice-{os.getuid()}-{os.getpid()}"
    command = [
        _soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
        "--convert-to", "pdf", "--outdir", str(outdir), str(docx_path),
    ]  # fmt: skip
    with _soffice_lock:
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(f"LibreOffice did not finish within {timeout} s") from exc
    pdf = outdir / f"{docx_path.stem}.pdf"
    if result.returncode != 0 or not pdf.exists():
        raise ConversionError(
            f"LibreOffice failed ({result.returncode}): {(result.stderr or result.stdout).strip()[:500]}"
        )
    return pdf


def pdf_text(pdf_path: str | os.PathLike) -> str:
    """The text of a PDF, page by page (pages separated by form feeds), read by poppler's pdftotext."""
    binary = shutil.which("pdftotext")
    if not binary:
        raise ConversionError("pdftotext is not installed; on Debian: apt-get install poppler-utils")
    result = subprocess.run(
        [binary, "-raw", "-enc", "UTF-8", str(pdf_path), "-"], capture_output=True, timeout=60, check=False
    )
    if result.returncode != 0:
        raise ConversionError(f"pdftotext failed: {result.stderr.decode(errors='replace')[:300]}")
    return result.stdout.decode("utf-8")
