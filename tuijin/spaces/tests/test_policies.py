"""The policies are configurable: defaults seeded from the product brief; a space manager changes them on a page
(audited), with every mistake named; the queue and new leases follow the change."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tuijin.core.models import AuditEvent

from ..models import Policy
from .conftest import login

pytestmark = pytest.mark.django_db


def test_the_defaults_follow_the_brief(apartment_policy, office_policy):
    assert apartment_policy.eligible_categories == ["A", "B", "C", "D", "young"]
    assert apartment_policy.rent_percent == {"A": 0, "B": 0, "C": 80, "D": 80, "young": 50}
    assert apartment_policy.term_years == 3 and apartment_policy.notice_days == 30
    assert "C" in apartment_policy.unscored_categories and "young" not in apartment_policy.unscored_categories
    assert office_policy.subsidy_by_year == [100, 50, 50] and office_policy.area_cap == 1000


def post_data(**overrides):
    data = {"name": "人才公寓配租政策", "term_years": 3, "first_review_days": 3, "second_review_days": 5,
            "publicity_days": 7, "notice_days": 30, "reminder_days": 60, "eligible": ["C", "D", "young"],
            "unscored": ["C", "D"], "documents": "身份证\n劳动合同", "items": "博士研究生学历|30\n硕士研究生学历|20",
            "rent_A": 0, "rent_B": 0, "rent_C": 80, "rent_D": 80, "rent_young": 60}  # fmt: skip
    data.update(overrides)
    return data


def test_a_manager_changes_the_apartment_policy(client, manager, apartment_policy):
    login(client, manager)
    url = reverse("spaces_policy_edit", args=[apartment_policy.code])
    assert client.get(url).status_code == 200
    assert client.post(url, post_data()).status_code == 302
    policy = Policy.objects.get(kind="apartment")
    assert policy.eligible_categories == ["C", "D", "young"] and policy.rent_percent["young"] == 60
    assert policy.required_documents == ["身份证", "劳动合同"] and policy.publicity_days == 7
    assert policy.score_items[0] == {"key": "doctorate", "label": "博士研究生学历", "points": 30}
    assert AuditEvent.objects.filter(action="spaces.policy.save").count() == 1


@pytest.mark.parametrize(
    ("field", "value"), [("items", "博士研究生学历 30"), ("unscored", ["A"]), ("documents", " ")]
)
def test_mistakes_are_named_and_nothing_changes(client, manager, apartment_policy, field, value):
    login(client, manager)
    response = client.post(
        reverse("spaces_policy_edit", args=[apartment_policy.code]), post_data(**{field: value})
    )
    assert response.status_code == 200 and f'data-field="{field}"' in response.content.decode()
    assert Policy.objects.get(kind="apartment").publicity_days == 5


def test_the_office_schedule_is_read_from_percentages(client, manager, office_policy):
    login(client, manager)
    data = post_data(name="拎包办公", eligible=["tech_sme"], unscored=["tech_sme"], schedule="100/70/30",
                     area_cap="800")  # fmt: skip
    assert client.post(reverse("spaces_policy_edit", args=[office_policy.code]), data).status_code == 302
    policy = Policy.objects.get(kind="office")
    assert policy.subsidy_by_year == [100, 70, 30] and policy.area_cap == 800


def test_only_space_managers_change_policies(client, sup, apartment_policy):
    login(client, sup)
    assert client.get(reverse("spaces_policy_edit", args=[apartment_policy.code])).status_code == 403


def test_it_writes_the_area_cap_as_a_plain_number(office_policy):
    text = office_policy.rent_rule_text("enterprise")
    assert "1000 m²" in text and "E+" not in text


def test_it_numbers_past_the_ten_thousandth_application(apartment_policy, ann):
    """As text "GY2026-9999" sorts after "GY2026-10000": the next number follows the longest."""
    from ..models import Application
    from ..services import _next_number

    for number in ("GY2026-9999", "GY2026-10000"):
        Application.objects.create(number=number, policy=apartment_policy, kind=apartment_policy.kind, category="C",
                                   name="测试", id_number="11010519491231002X", id_index=number, phone="13800000000",
                                   applicant=ann, submitted_at=timezone.now())  # fmt: skip
    assert _next_number(apartment_policy.kind, 2026) == "GY2026-10001"
