"""Applying on the portal and the review: the ID number checked (GB 11643), documents checked by content, the
automatic eligibility check with its reasons, duplicates refused, 初审 → 复审 with working-day limits, publicity,
then the queue; withdrawing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tuijin.core.models import AuditEvent

from .. import services
from ..models import Application
from .conftest import PDF, id_number, login, submit

pytestmark = pytest.mark.django_db


def form_data(policy, **overrides):
    data = {"category": "young", "name": "安申请", "id_number": id_number(7), "phone": "13812345678",
            "employer": "超聚变数字技术有限公司", "score_items": ["master", "no_home"], "consent": "on"}  # fmt: skip
    for index, _title in enumerate(policy.required_documents):
        data[f"document_{index}"] = SimpleUploadedFile(f"d{index}.pdf", PDF)
    data.update(overrides)
    return data


def test_it_files_an_application_with_documents_and_checks_eligibility(client, ann, apartment_policy):
    login(client, ann)
    response = client.post(reverse("spaces_apply", args=["apartment"]), form_data(apartment_policy))
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("spaces_application",
                                                                           args=[application.code])  # fmt: skip
    assert application.number == "GY2026-0001" and application.state == Application.State.SUBMITTED
    assert application.score == 40 and application.eligible
    assert application.documents.count() == len(apartment_policy.required_documents) == 4
    assert all(check["ok"] for check in application.eligibility_reasons)
    # 20 May 2026 (Wednesday) + 5 working days; 22 May… no holiday: 27 May
    assert application.first_review_due == datetime.date(2026, 5, 27)
    assert AuditEvent.objects.filter(action="spaces.application.submit").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "410105199001010010", "not a valid resident ID number"),
        ("phone", "12345", "11-digit mobile number"),
        ("category", "tech_sme", "Select a valid choice"),
    ],
)
def test_it_explains_what_is_wrong_and_files_nothing(client, ann, apartment_policy, field, value, message):
    login(client, ann)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("spaces_apply", args=["apartment"]), form_data(apartment_policy, **{field: value}),
                           HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Application.objects.exists()


def test_it_refuses_a_document_that_is_not_a_document(client, ann, apartment_policy):
    login(client, ann)
    data = form_data(apartment_policy, document_0=SimpleUploadedFile("id.pdf", b"<script>alert(1)</script>"))
    response = client.post(reverse("spaces_apply", args=["apartment"]), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and not Application.objects.exists()
    assert 'data-field="document_0"' in response.content.decode()


def test_it_refuses_a_second_open_application_of_the_same_person(ann, ben, apartment_policy):
    submit(ann, apartment_policy, n=1)
    with pytest.raises(services.SpacesError):
        submit(ben, apartment_policy, n=1)  # another account, the same ID number
    assert Application.objects.count() == 1


def test_it_refuses_a_second_open_office_application_of_the_same_enterprise(ann, ben, office_policy):
    submit(ann, office_policy, category="tech_sme", n=1, credit_code="91410100MA9FXXK10U")
    with pytest.raises(services.SpacesError):
        submit(ben, office_policy, category="tech_sme", n=2, credit_code="91410100MA9FXXK10U")


def test_the_automatic_check_names_what_fails(ann, apartment_policy):
    with translation.override("en"):
        application = services.submit_application(
            actor=ann, policy=apartment_policy, category="young", name="安", id_number=id_number(3),
            phone="13812345678", employer="某公司", documents=[],
        )  # fmt: skip
    assert not application.eligible
    failed = [c["text"] for c in application.eligibility_reasons if not c["ok"]]
    assert failed == [
        "Missing documents: 身份证（正反面）、人才认定证书或最高学历学位证书、劳动合同（剩余期限一年以上）、本市社会保险缴纳证明."
    ]


def test_review_first_then_second_then_publicity_then_queue(client, ann_application, manager, ann):
    login(client, manager)
    url = reverse("spaces_application_review", args=[ann_application.code, "first"])
    assert client.post(url, {"approve": "1", "note": "材料齐全"}).status_code == 302
    ann_application.refresh_from_db()
    assert ann_application.state == Application.State.FIRST_PASSED
    assert ann_application.second_review_due == datetime.date(2026, 5, 27)
    client.post(reverse("spaces_application_review", args=[ann_application.code, "second"]), {"approve": "1"})
    ann_application.refresh_from_db()
    assert ann_application.state == Application.State.PUBLICITY
    assert ann_application.publicity_ends == datetime.date(2026, 5, 25)
    assert services.finish_publicity(today=datetime.date(2026, 5, 25)) == 0  # the last day of publicity
    assert services.run_daily(today=datetime.date(2026, 5, 26)) == {
        "queued": 1,
        "reminded": 0,
        "overdue_reviews": 0,
    }
    ann_application.refresh_from_db()
    assert ann_application.state == Application.State.QUEUED and ann_application.queued_at
    assert ann.notifications.filter(key__startswith="spaces:queued:").exists()


def test_a_refusal_needs_a_reason_the_applicant_reads(client, ann_application, manager):
    login(client, manager)
    url = reverse("spaces_application_review", args=[ann_application.code, "first"])
    client.post(url, {"approve": "0", "note": ""})
    ann_application.refresh_from_db()
    assert ann_application.state == Application.State.SUBMITTED
    client.post(url, {"approve": "0", "note": "劳动合同剩余期限不足一年"})
    ann_application.refresh_from_db()
    assert ann_application.state == Application.State.REJECTED
    assert ann_application.reject_reason == "劳动合同剩余期限不足一年"


def test_the_applicant_withdraws_an_open_application_but_nobody_else_can(
    client, ann_application, ann, manager
):
    login(client, manager)
    assert client.post(reverse("spaces_application_withdraw", args=[ann_application.code])).status_code == 403
    login(client, ann)
    client.post(reverse("spaces_application_withdraw", args=[ann_application.code]))
    ann_application.refresh_from_db()
    assert ann_application.state == Application.State.WITHDRAWN


def test_the_daily_tick_reminds_managers_of_overdue_reviews_once(ann_application, manager):
    assert services.remind_overdue_reviews(today=datetime.date(2026, 5, 27)) == 0  # due that day
    assert services.run_daily(today=datetime.date(2026, 5, 28))["overdue_reviews"] == 1
    services.run_daily(today=datetime.date(2026, 5, 29))
    assert manager.notifications.filter(key__startswith="spaces:overdue-first:").count() == 1
