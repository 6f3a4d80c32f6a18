import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from tuijin.lib.spreadsheet import (
    EXPORT_COLUMNS,
    neutralise,
    read_task_list,
    write_task_list,
    write_task_list_csv,
)

HEADER = [
    "序号",
    "重点任务",
    "具体目标",
    "牵头单位",
    "配合单位",
    "责任领导",
    "完成时限",
    "截止日期",
    "状态",
    "最新进展",
]

ROWS = [
    {
        "number": "1",
        "title": "北龙湖金融岛基础设施",
        "target": "完成环岛道路\n及综合管廊建设",
        "lead_units": ["郑东新区管委会"],
        "supporting_units": ["市城建局", "市交通运输局"],
        "leader": "市领导甲",
        "limit_text": "6月底前完成管廊主体；12月底前全部建成",
        "deadline": dt.date(2021, 12, 31),
        "status": "办理中",
        "latest": "管廊主体完成80%",
    },
    {
        "number": "(1)",
        "title": "管廊主体",
        "target": "",
        "lead_units": "郑东新区管委会",
        "supporting_units": [],
        "leader": "",
        "limit_text": "长期坚持",
        "deadline": None,
        "status": "待签收",
        "latest": "",
    },
    {
        "number": "2",
        "title": '=HYPERLINK("http://evil","点我")',
        "target": "+86 电话",
        "lead_units": ["市科技局", "市财政局"],
        "supporting_units": "-",
        "leader": "@领导",
        "limit_text": "年底前",
        "deadline": dt.date(2021, 12, 31),
        "status": "已办结",
        "latest": "-10%",
    },
]


def written(rows=ROWS, title="2021年中原科技城建设重点任务清单") -> bytes:
    buf = io.BytesIO()
    write_task_list(buf, title=title, rows=rows)
    return buf.getvalue()


def test_it_writes_a_title_row_and_the_header():
    ws = load_workbook(io.BytesIO(written())).active

    assert ws["A1"].value == "2021年中原科技城建设重点任务清单"
    assert [c.value for c in ws[2]] == HEADER
    assert [h for _, h, _ in EXPORT_COLUMNS] == HEADER
    assert ws.max_row == 2 + len(ROWS)


def test_it_writes_lists_dates_and_blanks():
    ws = load_workbook(io.BytesIO(written())).active
    first = [c.value for c in ws[3]]
    second = [c.value for c in ws[4]]

    assert first[3:5] == ["郑东新区管委会", "市城建局、市交通运输局"]
    assert first[7] == "2021-12-31"
    assert second[4] is None and second[7] is None


def test_it_round_trips_write_then_read():
    sheet = read_task_list(written(ROWS[:2]), "export.xlsx")

    assert [p for p in sheet.problems if p.level == "error"] == []
    assert not sheet.needs_mapping
    assert sheet.title == "2021年中原科技城建设重点任务清单"
    assert sheet.header_row == 2
    assert sheet.mapping["limit_text"] == "G"  # 完成时限, not 截止日期
    got = [
        (r.number, r.title, r.target, r.lead_units, r.supporting_units, r.leader, r.limit_text)
        for r in sheet.rows
    ]
    assert got == [
        (
            row["number"],
            row["title"],
            row["target"],
            row["lead_units"] if isinstance(row["lead_units"], list) else [row["lead_units"]],
            row["supporting_units"],
            row["leader"],
            row["limit_text"],
        )
        for row in ROWS[:2]
    ]
    assert sheet.rows[1].parent_number == "1"


def test_it_round_trips_neutralised_values():
    sheet = read_task_list(written(), "export.xlsx")
    third = sheet.rows[2]

    assert third.title == ROWS[2]["title"]
    assert third.target == "+86 电话"
    assert third.leader == "@领导"
    assert third.lead_units == ["市科技局", "市财政局"]
    assert third.supporting_units == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("市科技局", "市科技局"),
        ("1=1", "1=1"),
        ("", ""),
        ("'=already", "'=already"),
    ],
)
def test_it_neutralises_formula_like_cells(value, expected):
    assert neutralise(value) == expected


def test_it_never_writes_a_formula_into_the_workbook():
    data = written()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml")
    assert not re.search(rb"<f[\s>/]", sheet_xml)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["B5"].value == '\'=HYPERLINK("http://evil","点我")'
    assert ws["B5"].data_type == "s"
    assert ws["J5"].value == "'-10%"


def test_it_writes_to_a_path(tmp_path):
    path = tmp_path / "out.xlsx"
    write_task_list(path, title="清单", rows=iter(ROWS))

    assert [r.number for r in read_task_list(path, path.name).rows] == ["1", "(1)", "2"]


def test_it_drops_characters_that_xml_cannot_hold():
    rows = [dict(ROWS[0], title="任务\x07甲\x00")]
    sheet = read_task_list(written(rows), "export.xlsx")

    assert sheet.rows[0].title == "任务甲"


def test_it_writes_csv_with_a_bom_and_the_same_columns():
    buf = io.BytesIO()
    write_task_list_csv(buf, rows=ROWS)
    data = buf.getvalue()

    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert lines[0] == HEADER
    assert lines[1][3:5] == ["郑东新区管委会", "市城建局、市交通运输局"]
    assert lines[1][7] == "2021-12-31"
    assert lines[3][1].startswith("'=")
    assert lines[3][9] == "'-10%"

    sheet = read_task_list(data, "export.csv")
    assert [(r.number, r.title, r.lead_units) for r in sheet.rows] == [
        ("1", "北龙湖金融岛基础设施", ["郑东新区管委会"]),
        ("(1)", "管廊主体", ["郑东新区管委会"]),
        ("2", ROWS[2]["title"], ["市科技局", "市财政局"]),
    ]
    assert sheet.rows[0].target == "完成环岛道路\n及综合管廊建设"


def test_it_writes_csv_to_text_streams_and_paths(tmp_path):
    text = io.StringIO()
    write_task_list_csv(text, rows=ROWS[:1])
    assert text.getvalue().startswith("\ufeff序号,重点任务")

    path = tmp_path / "out.csv"
    write_task_list_csv(path, rows=ROWS[:1])
    assert path.read_bytes().startswith("\ufeff序号".encode())


def test_it_streams_many_rows_into_csv():
    class Sink:
        def __init__(self):
            self.parts = []

        def write(self, chunk):
            assert isinstance(chunk, bytes)
            self.parts.append(chunk)

    sink = Sink()
    write_task_list_csv(sink, rows=(dict(ROWS[0], number=str(i)) for i in range(1, 1201)))

    assert len(sink.parts) > 1
    assert (
        b"".join(sink.parts).decode("utf-8-sig").count("\r\n") == 1201
    )  # header + rows; the line break inside a target is a bare \\n
