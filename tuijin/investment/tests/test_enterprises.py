"""Enterprises: the credit code is checked; the same code is refused; a very similar name asks for confirmation."""

import pytest
from django.utils import translation

from tuijin.core.models import AuditEvent
from tuijin.investment import services
from tuijin.investment.models import Contact, Enterprise

from .conftest import OTHER_VALID_CODE, VALID_CODE


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_it_normalises_names_for_comparison():
    assert services.normalise_name("华为技术（郑州）有限公司") == services.normalise_name(
        "华为技术(郑州) 有限公司"
    )
    assert services.normalise_name("郑州宇通客车股份有限公司") == "郑州宇通客车"


def test_it_refuses_the_same_credit_code(ivan, enterprise):
    with pytest.raises(services.PipelineError) as exc:
        services.create_enterprise(actor=ivan, name="另一家公司", credit_code=VALID_CODE.lower())
    assert exc.value.field == "credit_code"
    assert "华为技术有限公司 already has this credit code" in exc.value.message
    with pytest.raises(services.PipelineError):
        services.create_enterprise(
            actor=ivan, name="另一家公司", credit_code=VALID_CODE, confirm_duplicate=True
        )


def test_it_refuses_an_invalid_credit_code(ivan):
    with pytest.raises(services.PipelineError) as exc:
        services.create_enterprise(actor=ivan, name="某公司", credit_code="914403001922038217")
    assert exc.value.field == "credit_code" and "should be 6, not 7" in exc.value.message
    assert not Enterprise.objects.exists()


def test_it_warns_of_a_very_similar_name_and_creates_it_once_confirmed(ivan, enterprise):
    with pytest.raises(services.DuplicateEnterprise) as exc:
        services.create_enterprise(actor=ivan, name="华为技术股份有限公司")
    assert [e for e, _ratio in exc.value.similar] == [enterprise]
    with pytest.raises(services.DuplicateEnterprise):
        services.create_enterprise(actor=ivan, name="华为技术有限公司 ")
    created = services.create_enterprise(actor=ivan, name="华为技术股份有限公司", confirm_duplicate=True)
    event = AuditEvent.objects.get(action="investment.enterprise.create", object_id=str(created.pk))
    assert event.after["confirmed_not_duplicate_of"] == ["华为技术有限公司"]


def test_it_does_not_warn_for_different_names(ivan, enterprise):
    services.create_enterprise(
        actor=ivan, name="百度在线网络技术（北京）有限公司", credit_code=OTHER_VALID_CODE
    )
    assert Enterprise.objects.count() == 2


def test_it_seals_contact_phones_and_audits_them_masked(ivan, enterprise):
    contact = services.save_contact(actor=ivan, enterprise=enterprise, name="李经理", position="投资总监",
                                    phone="13812345678")  # fmt: skip
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select phone from investment_contact where id = %s", [contact.pk])
        stored = cursor.fetchone()[0]
    assert "13812345678" not in stored
    assert Contact.objects.get(pk=contact.pk).phone == "13812345678"
    event = AuditEvent.objects.get(action="investment.contact.save")
    assert event.after["phone"] == "138****5678"
    assert "13812345678" not in str(event.after)


def test_it_lets_only_investment_officers_add_enterprises(alice, sup, leader):
    for user in (alice, sup, leader):
        with pytest.raises(services.PipelineError):
            services.create_enterprise(actor=user, name="某公司")
