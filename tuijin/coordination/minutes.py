"""The minutes (会议纪要) of a meeting as a GB/T 9704 .docx: banner, number, title, body, numbered decisions with
their lead and supporting units and time limits, the attendance, the issuing organ and date."""

from django.utils import timezone

from tuijin.lib.official_docs import OfficialDocument, chinese_date

from .models import Meeting


def minutes_docx(meeting: Meeting) -> bytes:
    jm = meeting.joint_meeting
    organ = jm.issuing_organ or f"{jm.name}办公室"
    doc = OfficialDocument(organ=organ, number=meeting.minutes_ref or "（未印发稿）")
    doc.title(f"{jm.name}{meeting.title}纪要")
    when = timezone.localtime(meeting.starts_at)
    chair = f"，{meeting.chair}主持召开" if meeting.chair else "召开"
    doc.paragraph(f"{chinese_date(when.date())}，{jm.name}在{meeting.place}{chair}{meeting.title}。"
                  "现将会议议定事项纪要如下：")  # fmt: skip
    for line in (meeting.summary or "").splitlines():
        if line.strip():
            doc.paragraph(line.strip())
    for decision in meeting.decisions.select_related("lead_unit").prefetch_related("supporting_units"):
        doc.heading(decision.text.split("\n")[0][:60], level=1)
        rest = decision.text.split("\n", 1)[1].strip() if "\n" in decision.text else ""
        if rest:
            doc.paragraph(rest)
        parts = [f"牵头单位：{decision.lead_unit.name}"]
        supporting = "、".join(u.name for u in decision.supporting_units.all())
        if supporting:
            parts.append(f"配合单位：{supporting}")
        if decision.limit_text:
            parts.append(f"完成时限：{decision.limit_text}")
        doc.paragraph("；".join(parts) + "。")
    present = list(meeting.attendance.select_related("user", "unit"))
    if present:
        names = "、".join(f"{a.unit.name if a.unit else ''}{a.user}" for a in present)
        doc.paragraph(f"出席：{names}。")
    issued = (
        timezone.localtime(meeting.minutes_issued_at).date() if meeting.minutes_issued_at else when.date()
    )
    doc.signature(organ, issued)
    return doc.to_bytes()
