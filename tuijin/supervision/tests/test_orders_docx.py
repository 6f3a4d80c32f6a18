"""An order downloads as a .docx notice in official format, which LibreOffice turns into a PDF with its number."""

import io

import pytest
from django.urls import reverse
from docx import Document

from tuijin.lib.official_docs import pdf_text, to_pdf
from tuijin.supervision import orders
from tuijin.supervision.order_docs import issuing_office, order_title

from .test_orders_support import at, issue, login


@pytest.mark.django_db
def test_it_downloads_the_order_as_an_official_notice(client, sup, task, alice, tmp_path):
    order = issue(sup, task, requirement="请于5个工作日内报送孵化基地建设进展及下一步措施")
    login(client, alice)
    response = client.get(reverse("order_docx", args=[order.code]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "市委督查室"  # the issuer's office heads the notice
    assert "督办〔2026〕1号" in texts
    assert order_title(order) in texts
    assert "中原科技城管委会：" in texts
    assert "二〇二六年三月二日" in texts
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "1 建成中原科技城创新孵化基地" in cells and "市科技局" in cells

    path = tmp_path / "order.docx"
    path.write_bytes(content)
    text = pdf_text(to_pdf(path, tmp_path))
    # pdftotext reads text objects in drawing order: compare without spaces and the quotes LibreOffice draws apart
    squeezed = "".join(text.split()).replace("“", "").replace("”", "")
    assert "督办〔2026〕1号" in squeezed
    assert "".join(order_title(order).split()).replace("“", "").replace("”", "") in squeezed
    assert "请于5个工作日内报送孵化基地建设进展及下一步措施" in squeezed
    assert "— 1 —" in text


@pytest.mark.django_db
def test_it_signs_an_automatic_escalation_with_the_office_of_the_first_issuer(sup, task):
    blue = issue(sup, task)
    orders.process_lapsed(now=at("2026-03-10"))
    orange = blue.next
    assert orange.issued_by is None
    assert issuing_office(orange) == "市委督查室"
