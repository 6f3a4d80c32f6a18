"""What reading a task list produces: the fields, parsed rows, problems and the parsed sheet."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FIELD_LABELS", "FIELDS", "ParsedRow", "ParsedSheet", "Problem"]

FIELDS = (
    "number",
    "category",
    "title",
    "target",
    "lead_units",
    "supporting_units",
    "leader",
    "owner",
    "limit_text",
    "note",
)

FIELD_LABELS = {
    "number": "序号",
    "category": "类别",
    "title": "重点任务",
    "target": "具体目标",
    "lead_units": "牵头单位",
    "supporting_units": "配合单位",
    "leader": "责任领导",
    "owner": "责任人",
    "limit_text": "完成时限",
    "note": "备注",
}


@dataclass(slots=True)
class Problem:
    row: int | None  # 1-based sheet row number as the user sees it in Excel (a Word document: see `where`)
    column: str | None  # Excel column letter, e.g. "D"
    field: str | None  # one of FIELDS or None
    message: str  # Chinese: what is wrong
    hint: str = ""  # Chinese: what would fix it
    level: str = "error"  # "error" | "warning"
    # Word documents: where a person finds it (“第12段”, “表1第5行”) — `row` is then only an ordinal that
    # orders the document's paragraphs and table rows — and the text in question, quoted
    where: str = ""
    quote: str = ""


@dataclass(slots=True)
class ParsedRow:
    row: int
    number: str
    category: str
    title: str
    target: str
    lead_units: list[str]
    supporting_units: list[str]
    leader: str
    owner: str
    limit_text: str
    note: str
    # field -> column letter; one dict is shared by all rows of a sheet (do not mutate)
    columns: dict[str, str]
    parent_number: str | None
    where: str = ""  # Word documents: “第12段” or “表1第5行” (`row` is then an ordinal in the document)


@dataclass(slots=True)
class ParsedSheet:
    rows: list[ParsedRow]
    problems: list[Problem]
    mapping: dict[str, str]
    headers: dict[str, str]
    header_row: int
    title: str
    needs_mapping: bool
    unit_convention: str  # "columns" | "first_leads" | "marked" ("" when nothing could be read)
    sheet_name: str = ""
    source_ref: str = ""  # Word documents: the document number, e.g. 郑政办〔2021〕12号

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]
