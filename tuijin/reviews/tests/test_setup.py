"""Preparing a round: default rules, rules that must add up, written reports checked by content, raters in one
group, the steps draft → open → closed → published, and an audit row for every change."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from PIL import Image

from tuijin.core.models import AuditEvent
from tuijin.reviews import services
from tuijin.reviews.forms import RulesForm, SubjectForm
from tuijin.reviews.models import Review, Tally
from tuijin.reviews.services import ReviewError
from tuijin.reviews.voting import Ballot, cast_ballot

from .conftest import group, report

pytestmark = pytest.mark.django_db


def docx_bytes() -> bytes:
    doc = Document()
    doc.add_paragraph("2026年度抓机关党建工作述职报告")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_it_starts_a_round_with_the_usual_groups_options_and_grades(sup):
    review = services.create_review(actor=sup, title="2026年度机关党建述职评议", year=2026,
                                    date=datetime.date(2026, 12, 18))  # fmt: skip
    assert [(g.name, g.weight) for g in review.groups.all()] == [
        ("领导班子成员", 30), ("党组织书记", 30), ("党员代表", 25), ("群众代表", 15),
    ]  # fmt: skip
    assert [(o.label, o.weight) for o in review.options.all()] == [
        ("好", 100),
        ("较好", 80),
        ("一般", 60),
        ("差", 0),
    ]
    assert [(b.label, b.min_score) for b in review.bands.all()] == [
        ("好", 90),
        ("较好", 80),
        ("一般", 60),
        ("差", 0),
    ]
    assert (review.status, review.quorum_text, review.organiser) == (Review.Status.DRAFT, "2/3", sup)
    assert AuditEvent.objects.filter(action="reviews.created", object_id=str(review.pk)).exists()


def test_it_explains_rules_that_do_not_add_up_line_by_line(review):
    form = RulesForm.for_review(review, {
        "quorum_numerator": 2, "quorum_denominator": 3,
        "groups": "30 领导班子成员\n三十 党组织书记\n25 党员代表", "options": "100 好\n80 较好", "bands": "90 好",
    })  # fmt: skip
    assert not form.is_valid()
    assert "2" in str(form.errors["groups"]) and "三十 党组织书记" in str(
        form.errors["groups"]
    )  # names the line
    form = RulesForm.for_review(review, {
        "quorum_numerator": 2, "quorum_denominator": 3,
        "groups": "30 领导班子成员\n30 党组织书记\n25 党员代表", "options": "100 好\n0 差", "bands": "90 好",
    })  # fmt: skip
    assert not form.is_valid()
    assert "85" in str(form.non_field_errors())


def test_it_saves_configurable_rules_and_keeps_them_once_voting_opens(review, sup):
    services.set_rules(actor=sup, review=review, quorum_numerator=1, quorum_denominator=2,
                       groups=[("领导班子成员", Decimal(50)), ("党员代表", Decimal(50))],
                       options=[("优秀", Decimal(100)), ("称职", Decimal(85)), ("基本称职", Decimal(60)),
                                ("不称职", Decimal(0))],
                       bands=[("优秀", Decimal(90)), ("称职", Decimal(70)), ("不称职", Decimal(0))])  # fmt: skip
    assert [g.name for g in review.groups.all()] == ["领导班子成员", "党员代表"]
    assert review.raters.count() == 2, "the groups that stay keep their raters"
    services.open_review(actor=sup, review=review)
    with pytest.raises(ReviewError):
        services.set_rules(actor=sup, review=review, quorum_numerator=2, quorum_denominator=3,
                           groups=[("领导班子成员", Decimal(100))], options=[("好", 100), ("差", 0)],
                           bands=[("好", 0)])  # fmt: skip
    event = AuditEvent.objects.get(action="reviews.rules_set")
    assert event.before["quorum"] == "2/3" and event.after["quorum"] == "1/2"


def test_it_refuses_to_remove_a_group_that_has_raters(review, sup):
    with pytest.raises(ReviewError, match="领导班子成员"):
        services.set_rules(actor=sup, review=review, quorum_numerator=2, quorum_denominator=3,
                           groups=[("党员代表", Decimal(100))], options=[("好", 100), ("差", 0)],
                           bands=[("好", 0)])  # fmt: skip


def test_it_accepts_written_reports_in_pdf_or_word_only(review, unit_c):
    form = SubjectForm(
        {"organisation": "中共郑州市商务局机关委员会", "unit": unit_c.pk, "secretary": "赵书记"},
        {"report_file": SimpleUploadedFile("述职报告.docx", docx_bytes())},
    )
    assert form.is_valid(), form.errors
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    for name, content in (("述职报告.pdf", png.getvalue()), ("述职报告.pdf", b"just text, not a PDF")):
        form = SubjectForm(
            {"organisation": "中共郑州市商务局机关委员会", "unit": unit_c.pk, "secretary": "赵书记"},
            {"report_file": SimpleUploadedFile(name, content)},
        )
        assert not form.is_valid()
        assert "report_file" in form.errors


def test_it_opens_only_when_every_organisation_has_its_report(review, sup, unit_c):
    services.add_subject(actor=sup, review=review, organisation="中共郑州市商务局机关委员会", unit=unit_c,
                         secretary="赵书记")  # fmt: skip
    with pytest.raises(ReviewError, match="中共郑州市商务局机关委员会"):
        services.open_review(actor=sup, review=review)
    assert not Tally.objects.exists()


def test_it_refuses_to_add_subjects_once_voting_is_open(open_review, sup, unit_c):
    with pytest.raises(ReviewError):
        services.add_subject(actor=sup, review=open_review, organisation="新的党组织", unit=unit_c,
                             secretary="钱书记", report=report())  # fmt: skip


def test_it_keeps_a_rater_in_one_group_and_keeps_one_who_voted(open_review, sup, rita, rob):
    with pytest.raises(ReviewError):
        services.set_raters(actor=sup, group=group(open_review, "党员代表"), users=[rob, rita])
    options = {o.label: o.pk for o in open_review.options.all()}
    cast_ballot(actor=rita, review=open_review,
                ballot=Ballot({s.pk: options["好"] for s in open_review.subjects.all()}))  # fmt: skip
    with pytest.raises(ReviewError, match="周评议"):
        services.set_raters(actor=sup, group=group(open_review, "领导班子成员"), users=[])


def test_it_moves_through_the_steps_and_audits_each(review, sup):
    services.open_review(actor=sup, review=review)
    with pytest.raises(ReviewError):
        services.publish_review(actor=sup, review=review)
    services.close_review(actor=sup, review=review)
    with pytest.raises(ReviewError):
        services.open_review(actor=sup, review=review)
    services.publish_review(actor=sup, review=review, document_number="郑直工〔2026〕12号")
    review.refresh_from_db()
    assert review.status == Review.Status.PUBLISHED and review.document_number == "郑直工〔2026〕12号"
    actions = list(AuditEvent.objects.filter(object_type="reviews.review", object_id=str(review.pk))
                   .order_by("seq").values_list("action", flat=True))  # fmt: skip
    assert actions == ["reviews.created", "reviews.opened", "reviews.closed", "reviews.published"]
    with pytest.raises(ReviewError):
        services.update_review(actor=sup, review=review, title="改", year=2026, date=review.date,
                               issuing_organ=review.issuing_organ)  # fmt: skip


def test_it_publishes_only_when_every_paper_group_has_been_counted(review, sup):
    services.set_counting(actor=sup, group=group(review, "群众代表"), counting="paper")
    services.open_review(actor=sup, review=review)
    services.close_review(actor=sup, review=review)
    with pytest.raises(ReviewError, match="群众代表"):
        services.publish_review(actor=sup, review=review)


def test_it_refuses_report_uploads_that_are_not_documents(review, sup, unit_c):
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    from tuijin.tasks.evidence import check_upload

    checked = check_upload(SimpleUploadedFile("photo.png", png.getvalue()))
    with pytest.raises(ReviewError):
        services.add_subject(actor=sup, review=review, organisation="中共郑州市商务局机关委员会", unit=unit_c,
                             secretary="赵书记", report=checked)  # fmt: skip
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("empty.pdf", b""))
