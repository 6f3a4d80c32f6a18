"""Enterprise pages: the duplicate warning links the existing one and asks to confirm; the credit code is checked
on the form; contacts' phones are in full for officers, masked (with a logged reveal) for the supervision office,
masked for the others."""

import pytest
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.investment import services
from tuijin.investment.models import Contact, Enterprise


@pytest.fixture
def contact(ivan, enterprise):
    return services.save_contact(actor=ivan, enterprise=enterprise, name="李经理", position="投资总监",
                                 phone="13812345678")  # fmt: skip


def test_it_warns_of_a_similar_enterprise_and_links_it(client, ivan, enterprise):
    client.force_login(ivan)
    url = reverse("investment_enterprise_create")
    response = client.post(url, {"name": "华为技术（有限）公司", "origin": "other_province"})
    html = response.content.decode()
    assert response.status_code == 400 and 'data-testid="duplicate-warning"' in html
    assert reverse("investment_enterprise_detail", args=[enterprise.code]) in html
    assert Enterprise.objects.count() == 1
    response = client.post(
        url, {"name": "华为技术（有限）公司", "origin": "other_province", "confirm_duplicate": "1"}
    )
    assert response.status_code == 302
    assert Enterprise.objects.count() == 2


def test_it_refuses_the_same_credit_code_on_the_form(client, ivan, enterprise):
    client.force_login(ivan)
    response = client.post(reverse("investment_enterprise_create"), {
        "name": "完全不同的名字", "credit_code": enterprise.credit_code, "confirm_duplicate": "1"})  # fmt: skip
    assert response.status_code == 400 and 'data-field="credit_code"' in response.content.decode()
    assert Enterprise.objects.count() == 1


def test_it_explains_a_bad_check_character_on_the_form(client, ivan):
    client.force_login(ivan)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("investment_enterprise_create"), {"name": "某公司", "credit_code": "914403001922038217"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field="credit_code"' in html
    assert "should be 6, not 7" in html
    assert not Enterprise.objects.exists()


def test_it_shows_phones_in_full_to_investment_officers(client, ivan, contact, enterprise):
    client.force_login(ivan)
    html = client.get(reverse("investment_enterprise_detail", args=[enterprise.code])).content.decode()
    assert "13812345678" in html


@pytest.mark.parametrize("who", ["leader", "alice"])
def test_it_masks_phones_for_readers(request, client, project, contact, enterprise, who):
    client.force_login(request.getfixturevalue(who))
    html = client.get(reverse("investment_enterprise_detail", args=[enterprise.code])).content.decode()
    assert "138****5678" in html and "13812345678" not in html and 'data-testid="reveal"' not in html


def test_it_lets_the_supervision_office_reveal_a_phone_with_a_log(client, sup, contact, enterprise):
    client.force_login(sup)
    html = client.get(reverse("investment_enterprise_detail", args=[enterprise.code])).content.decode()
    assert "138****5678" in html and "13812345678" not in html and 'data-testid="reveal"' in html
    response = client.post(reverse("personal_data_reveal", args=["investment.contact.phone", contact.code]))
    assert "13812345678" in response.content.decode()
    assert AuditEvent.objects.filter(action="personal_data.reveal", object_id=str(contact.pk)).exists()


def test_it_keeps_a_phone_when_the_form_leaves_it_empty(client, ivan, contact, enterprise):
    client.force_login(ivan)
    url = reverse("investment_contact_edit", args=[enterprise.code, contact.code])
    assert client.post(url, {"name": "李经理", "position": "副总裁", "phone": ""}).status_code == 302
    contact.refresh_from_db()
    assert (contact.position, contact.phone) == (
        "副总裁",
        "",
    )  # the officer sees it in full, so empty clears it
    assert client.post(url, {"name": "李经理", "phone": "1381234"}).status_code == 400


def test_it_shows_an_enterprise_with_all_its_visible_projects(client, alice, project, enterprise):
    client.force_login(alice)
    html = client.get(reverse("investment_enterprise_detail", args=[enterprise.code])).content.decode()
    assert project.name in html and 'data-testid="counting-rules"' in html


@pytest.mark.parametrize("who", ["leader", "alice", "sup"])
def test_it_lets_only_officers_change_enterprises_and_contacts(request, client, enterprise, contact, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("investment_enterprise_create")).status_code == 403
    assert client.get(reverse("investment_enterprise_edit", args=[enterprise.code])).status_code == 403
    assert client.post(
        reverse("investment_contact_delete", args=[enterprise.code, contact.code])
    ).status_code in (403, 404)
    assert Contact.objects.filter(pk=contact.pk).exists()
