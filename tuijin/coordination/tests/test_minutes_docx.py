"""The minutes print as a GB/T 9704 .docx: the number under the banner, the title, numbered decisions with their
units and time limits."""

import io

import pytest
from django.urls import reverse
from docx import Document

from .conftest import login

pytestmark = pytest.mark.django_db


def test_it_prints_the_issued_minutes_in_official_format(client, bob, issued):
    response = login(client, bob).get(reverse("coordination_minutes_docx", args=[issued.code]))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "中原科技城建设联席会议办公室" in text and "纪要〔2021〕1号" in text
    assert "中原科技城建设联席会议第一次全体会议纪要" in text
    assert (
        "一、加快创新孵化基地一期建设" in text
        and "牵头单位：中原科技城管委会；配合单位：市科技局；完成时限：6月底前。" in text
    )
    section = doc.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)


def test_it_keeps_the_draft_to_the_organisers(client, alice, bob, meeting, decision):
    assert (
        login(client, bob).get(reverse("coordination_minutes_docx", args=[meeting.code])).status_code == 404
    )
    response = login(client, alice).get(reverse("coordination_minutes_docx", args=[meeting.code]))
    assert "（未印发稿）" in "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
