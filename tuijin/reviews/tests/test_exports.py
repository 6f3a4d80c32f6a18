"""Exports of the results: the workbook (ranking, raw tallies, ballots by group, the rules) and the circular
“关于2026年度机关党建述职评议结果的通报” in the official layout."""

import io
from urllib.parse import unquote

import pytest
from docx import Document
from openpyxl import load_workbook

from tuijin.reviews import services
from tuijin.reviews.models import Option
from tuijin.reviews.voting import Ballot, cast_ballot

from .conftest import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(review, sup, rita, rob, unit_c):
    services.add_subject(actor=sup, review=review, organisation="=HYPERLINK(1)", unit=unit_c, secretary="赵",
                         report=report())  # fmt: skip
    services.open_review(actor=sup, review=review)
    options = {o.label: o.pk for o in Option.objects.filter(review=review)}
    subjects = list(review.subjects.all())
    cast_ballot(
        actor=rita,
        review=review,
        ballot=Ballot({s.pk: options[x] for s, x in zip(subjects, ["好", "较好", "差"], strict=True)}),
    )
    cast_ballot(
        actor=rob,
        review=review,
        ballot=Ballot({s.pk: options[x] for s, x in zip(subjects, ["好", "一般", "差"], strict=True)}),
    )
    services.close_review(actor=sup, review=review)
    return services.publish_review(actor=sup, review=review, document_number="郑直工〔2026〕12号")


def test_it_exports_the_results_workbook(client, sup, published):
    client.force_login(sup)
    response = client.get(f"/reviews/{published.code}/results.xlsx")
    assert response.status_code == 200
    assert unquote(response["Content-Disposition"]).endswith("2026年度机关党建述职评议-结果.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["评议结果", "计票明细", "发票与回收", "评分规则"]
    ranking = list(wb["评议结果"].iter_rows(values_only=True))
    assert ranking[0][:4] == ("排名", "党组织", "所属单位", "书记")
    first = ranking[1]
    # 领导班子成员 100, 党员代表 100 (the two groups with ballots); the others issued none and are left out
    assert first[:2] == (1, "中共中原科技城管委会机关委员会") and first[-4:-1] == (100.0, 100.0, "好")
    assert "'=HYPERLINK(1)" in [row[1] for row in ranking], "formula-like text is neutralised"
    tallies = list(wb["计票明细"].iter_rows(values_only=True))
    assert tallies[0][:6] == ("评议组", "党组织", "好", "较好", "一般", "差")
    assert ("领导班子成员", "中共郑州市科学技术局机关委员会", 0, 1, 0, 0, 1, 80.0) in [r[:8] for r in tallies]
    groups = list(wb["发票与回收"].iter_rows(values_only=True))
    assert [(r[0], r[3], r[4]) for r in groups[1:]] == [
        ("领导班子成员", 1, 1), ("党组织书记", 0, 0), ("党员代表", 1, 1), ("群众代表", 0, 0),
    ]  # fmt: skip


def test_it_writes_the_circular_in_the_official_layout(client, leader, published):
    client.force_login(leader)
    response = client.get(f"/reviews/{published.code}/results.docx")
    assert response.status_code == 200
    assert unquote(response["Content-Disposition"]).endswith("-通报.docx")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "关于2026年度机关党建述职评议结果的通报" in text
    assert "郑直工〔2026〕12号" in text
    assert "各机关党组织：" in text
    assert "一、评议结果" in text and "二、等次情况" in text and "三、有关要求" in text
    assert "共发出测评票2张，收回2张" in text
    assert "中共郑州市委市直机关工作委员会" in text
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["排名", "党组织", "书记", "综合得分", "好票率", "等次"]
    assert [c.text for c in table.rows[1].cells] == [
        "1",
        "中共中原科技城管委会机关委员会",
        "王建国",
        "100.00",
        "100.0%",
        "好",
    ]
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
