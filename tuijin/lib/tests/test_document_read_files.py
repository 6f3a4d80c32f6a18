"""The reader is chosen by the file's content, not its name; broken and legacy Word files are problems."""

import io
import zipfile

from tuijin.lib.document_read import is_word_document
from tuijin.lib.spreadsheet import read_task_list
from tuijin.lib.tests.documents import PARAGRAPH_PLAN, notice
from tuijin.lib.tests.sheets import SAMPLE_TASKS, task_list

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_a_word_document_named_xlsx_is_read_as_a_document():
    sheet = read_task_list(notice(PARAGRAPH_PLAN), "清单.xlsx")

    assert sheet.source_ref == "郑政办〔2021〕12号" and len(sheet.rows) == 6
    assert not [p for p in sheet.problems if p.level == "error"]


def test_a_workbook_named_docx_is_read_as_a_workbook():
    sheet = read_task_list(task_list(SAMPLE_TASKS), "方案.docx")

    assert [r.title for r in sheet.rows] == ["头部企业招商", "人才公寓配租"]
    assert sheet.source_ref == "" and sheet.rows[0].where == ""


def test_it_tells_word_documents_from_workbooks_by_content():
    assert is_word_document(notice(PARAGRAPH_PLAN))
    assert not is_word_document(task_list(SAMPLE_TASKS))
    assert not is_word_document(b"PK\x03\x04 not a zip at all")
    assert not is_word_document("序号,重点任务\n".encode())


def test_a_legacy_doc_file_is_refused_with_a_hint():
    data = OLE_MAGIC + b"\0" * 504 + "WordDocument".encode("utf-16-le") + b"\0" * 600

    sheet = read_task_list(data, "方案.doc")

    (problem,) = sheet.problems
    assert ".doc" in problem.message and ".docx" in problem.hint


def test_a_broken_word_document_is_a_problem_not_a_crash():
    good = zipfile.ZipFile(io.BytesIO(notice(PARAGRAPH_PLAN)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as broken:
        for name in good.namelist():
            broken.writestr(name, b"<w:document" if name == "word/document.xml" else good.read(name))

    sheet = read_task_list(out.getvalue(), "方案.docx")

    (problem,) = sheet.problems
    assert "Word" in problem.message and sheet.rows == []
