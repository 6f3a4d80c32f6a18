"""Importing units from a spreadsheet: preview with every problem by row and column, then all or nothing."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from tuijin.core.models import AuditEvent
from tuijin.org.models import Unit, UnitAlias, UnitKind
from tuijin.org.views import IMPORT_SESSION_KEY

URL = reverse("unit_import")
HEADER = ["单位名称", "简称", "类型", "上级单位", "别名"]
GOOD = [
    HEADER,
    ["中原科技城管委会", "科技城管委会", "板块", "", "科技城、中原科技城"],
    ["中原科技城创新孵化中心", "孵化中心", "其他", "科技城", ""],
    ["郑州市发展和改革委员会", "市发改委", "市直部门", "", "市发改委；发改委\n市发展改革委"],
    ["金水区", "", "district", "", ""],
]


@pytest.fixture(autouse=True)
def english(settings):
    """Assertions read the English source strings, whatever translations are compiled."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def xlsx(rows: list[list[str]], name: str = "units.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def csv_file(rows: list[list[str]], encoding: str = "utf-8", name: str = "units.csv") -> SimpleUploadedFile:
    text = "\r\n".join(",".join(f'"{c}"' if ("\n" in c or "," in c) else c for c in row) for row in rows)
    return SimpleUploadedFile(name, text.encode(encoding))


def upload(client, file):
    return client.post(URL, {"action": "preview", "file": file})


def problems(response) -> list[tuple[int, str]]:
    return [(p.row, p.column) for p in response.context["plan"].problems]


def test_it_shows_every_problem_with_its_row_and_column_and_saves_nothing(client, sup, unit_b):
    UnitAlias.objects.create(unit=unit_b, name="科技局")
    rows = [
        HEADER,
        ["中原科技城管委会", "", "板块", "", ""],
        ["", "无名", "板块", "", ""],
        ["中原科技城管委会", "", "板块", "", ""],
        ["某街道办事处", "", "街道", "金水区", ""],
        ["白沙科学谷", "", "", "", "科技局、市科技局"],
    ]
    client.force_login(sup)
    before = Unit.objects.count()
    response = upload(client, csv_file(rows))
    assert response.status_code == 200
    assert problems(response) == [(3, "A"), (4, "A"), (5, "C"), (5, "D"), (6, "C"), (6, "E"), (6, "E")]
    html = response.content.decode()
    assert (
        "Row 5, column C: Kind “街道” is not recognised; use one of: 板块、市直部门、区县、市直机关、其他"
        in html
    )
    assert "Row 4, column A: “中原科技城管委会” is already on row 2." in html
    assert "Row 5, column D: Parent unit “金水区” is neither in this file nor an existing unit." in html
    assert "Row 6, column E: Alias “科技局” also belongs to 市科技局." in html
    assert "Row 6, column E: Alias “市科技局” is the name of another unit." in html
    assert 'name="preview"' not in html  # no confirmation offered
    assert IMPORT_SESSION_KEY not in client.session
    assert Unit.objects.count() == before
    assert not AuditEvent.objects.changes().exists()


def test_it_previews_an_xlsx_then_saves_everything_on_confirm(client, sup):
    client.force_login(sup)
    response = upload(client, xlsx(GOOD))
    assert problems(response) == []
    assert response.context["plan"].created == 4
    assert not Unit.objects.filter(name="金水区").exists()  # nothing before the confirmation
    preview = response.context["preview_id"]
    response = client.post(URL, {"action": "confirm", "preview": preview})
    assert response.status_code == 302
    hub = Unit.objects.get(name="中原科技城创新孵化中心")
    assert hub.parent.name == "中原科技城管委会"  # the parent was named by its alias 科技城
    assert hub.kind == UnitKind.OTHER and hub.short_name == "孵化中心"
    ndrc = Unit.objects.get(name="郑州市发展和改革委员会")
    assert sorted(ndrc.aliases.values_list("name", flat=True)) == ["发改委", "市发展改革委", "市发改委"]
    assert Unit.objects.get(name="金水区").kind == UnitKind.DISTRICT
    assert AuditEvent.objects.filter(action="unit.create").count() == 4
    summary = AuditEvent.objects.get(action="unit.import")
    assert summary.after == {"file": "units.xlsx", "created": 4, "updated": 0, "unchanged": 0}
    assert IMPORT_SESSION_KEY not in client.session


def test_it_updates_units_matched_by_name_instead_of_duplicating_them(client, sup, tmp_path):
    client.force_login(sup)
    call_command("import-units", write(tmp_path, csv_file(GOOD)), stdout=io.StringIO())
    rows = [
        HEADER,
        ["中原科技城管委会", "", "市直机关", "", "科技城"],  # kind changed, aliases replaced, short name kept
        ["中原科技城创新孵化中心", "孵化中心", "其他", "中原科技城管委会", ""],  # unchanged
        ["金岱科创", "", "板块", "", "中原科技城"],  # the alias moves here from the first row
    ]
    response = upload(client, csv_file(rows))
    plan = response.context["plan"]
    assert problems(response) == []
    assert (plan.created, plan.updated, plan.unchanged) == (1, 1, 1)
    client.post(URL, {"action": "confirm", "preview": response.context["preview_id"]})
    assert Unit.objects.filter(name="中原科技城管委会").count() == 1
    hq = Unit.objects.get(name="中原科技城管委会")
    assert (hq.kind, hq.short_name) == (UnitKind.CITY_OFFICE, "科技城管委会")
    assert list(hq.aliases.values_list("name", flat=True)) == ["科技城"]
    assert UnitAlias.objects.get(name="中原科技城").unit.name == "金岱科创"
    assert sorted(Unit.objects.get(name="郑州市发展和改革委员会").aliases.values_list("name", flat=True)) == [
        "发改委", "市发展改革委", "市发改委",
    ]  # fmt: skip
    update = AuditEvent.objects.filter(action="unit.update", object_repr="中原科技城管委会").get()
    assert update.before["kind"] == UnitKind.SECTOR and update.after["kind"] == UnitKind.CITY_OFFICE


def test_it_refuses_a_parent_that_would_make_a_loop(client, sup):
    rows = [
        HEADER,
        ["甲单位", "", "其他", "乙单位", ""],
        ["乙单位", "", "其他", "甲单位", ""],
        ["丙单位", "", "其他", "丙单位", ""],
    ]
    client.force_login(sup)
    response = upload(client, csv_file(rows))
    assert problems(response) == [(2, "D"), (3, "D"), (4, "D")]
    assert not Unit.objects.filter(name__in=["甲单位", "乙单位", "丙单位"]).exists()


def test_it_refuses_a_parent_loop_through_units_already_there(client, sup, unit_a):
    child = Unit.objects.create(name="科技城孵化中心", parent=unit_a)
    client.force_login(sup)
    response = upload(client, csv_file([HEADER, [unit_a.name, "", "", child.name, ""]]))
    assert problems(response) == [(2, "D")]
    assert "loop" in str(response.context["plan"].problems[0])


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_it_reads_csv_in_utf8_with_or_without_bom_and_in_gb18030(client, sup, encoding):
    client.force_login(sup)
    response = upload(client, csv_file(GOOD, encoding=encoding))
    assert problems(response) == []
    assert [r.name for r in response.context["plan"].rows][:2] == [
        "中原科技城管委会",
        "中原科技城创新孵化中心",
    ]


def test_it_finds_the_header_under_a_title_and_reports_the_real_column_letters(client, sup):
    rows = [["郑州市单位名录（示例）"], [], ["别名", "类型", "单位名称"], ["", "街道", "某街道"]]
    client.force_login(sup)
    response = upload(client, xlsx(rows))
    assert problems(response) == [(4, "B")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("units.txt", b"hello", "Upload an .xlsx or .csv file."),
        ("units.xlsx", b"not a zip", "could not be read as an Excel workbook"),
        ("units.csv", "名称甲,乙\n".encode(), "No header row with a column named 单位名称"),
    ],
)
def test_it_explains_a_file_it_cannot_use(client, sup, name, content, message):
    client.force_login(sup)
    response = upload(client, SimpleUploadedFile(name, content))
    assert message in response.context["form"].errors["file"][0]


def test_it_rechecks_on_confirm_and_saves_nothing_if_the_units_changed_meanwhile(client, sup):
    client.force_login(sup)
    response = upload(client, csv_file(GOOD))
    Unit.objects.create(
        name="市发改委", kind=UnitKind.DEPARTMENT
    )  # now an alias in the file clashes with a name
    response = client.post(URL, {"action": "confirm", "preview": response.context["preview_id"]})
    assert response.status_code == 200
    assert problems(response) == [(4, "E")]
    assert not Unit.objects.filter(name="金水区").exists()


def test_it_refuses_a_confirmation_without_a_matching_preview(client, sup):
    client.force_login(sup)
    response = client.post(URL, {"action": "confirm", "preview": "forged"})
    assert response.status_code == 302
    assert not AuditEvent.objects.changes().exists()


def write(tmp_path, upload: SimpleUploadedFile) -> str:
    path = tmp_path / upload.name
    path.write_bytes(upload.read())
    return str(path)


def test_it_imports_from_the_command_line_as_the_system(db, tmp_path):
    out = io.StringIO()
    call_command("import-units", write(tmp_path, xlsx(GOOD)), stdout=out)
    assert "4 new, 0 updated, 0 unchanged" in out.getvalue()
    assert Unit.objects.filter(name__in=[r[0] for r in GOOD[1:]]).count() == 4
    assert AuditEvent.objects.filter(action="unit.create", actor=None, actor_name="system").count() == 4


def test_it_prints_every_problem_and_exits_1_saving_nothing_from_the_command_line(db, tmp_path):
    rows = [*GOOD, ["某街道办事处", "", "街道", "金水区", ""]]
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import-units", write(tmp_path, csv_file(rows)), stdout=io.StringIO(), stderr=err)
    assert raised.value.returncode == 1
    assert "nothing was saved" in str(raised.value)
    assert "Row 6, column C: Kind “街道” is not recognised" in err.getvalue()
    assert not Unit.objects.exists()


def test_it_saves_nothing_on_a_dry_run(db, tmp_path):
    out = io.StringIO()
    call_command("import-units", write(tmp_path, csv_file(GOOD)), "--dry-run", stdout=out)
    assert "Would import units.csv: 4 new" in out.getvalue()
    assert not Unit.objects.exists() and not AuditEvent.objects.changes().exists()


def test_it_reports_a_missing_file_from_the_command_line(db):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import-units", "/nonexistent/units.xlsx")
