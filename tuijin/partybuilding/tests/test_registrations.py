"""A unit registers with a community (报到单); the community accepts or returns it with a reason; the unit
corrects and submits again. Every step is in the history, in the audit log (phones masked) and notified."""

import datetime

import pytest
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.notifications.models import Notification

from .. import services
from ..models import Registration, RegistrationEvent, RegistrationState
from .conftest import login

SLIP = {"registered_on": "2026-05-18", "contact_name": "赵局外", "contact_phone": "13511112222",
        "commitments": "认领社区法律咨询岗位"}  # fmt: skip


def submit(actor, unit, community, **kwargs):
    fields = {"registered_on": datetime.date(2026, 5, 18), "contact_name": "赵局外", "contact_phone": "13511112222",
              "commitments": "认领社区法律咨询岗位"} | kwargs  # fmt: skip
    return services.submit_registration(actor=actor, unit=unit, community=community, **fields)


@pytest.mark.django_db
def test_it_takes_a_units_slip_and_tells_the_community(charlie, unit_c, community, dora):
    reg = submit(charlie, unit_c, community)
    assert reg.state == RegistrationState.SUBMITTED
    assert Notification.objects.filter(user=dora, kind="party.registration").count() == 1
    event = AuditEvent.objects.get(action="party.registration.submit")
    assert event.after["contact_phone"] == "135****2222"
    assert "13511112222" not in str(event.after)
    assert [e.kind for e in reg.events.all()] == [RegistrationEvent.Kind.SUBMITTED]


@pytest.mark.django_db
def test_it_lets_the_community_return_with_a_reason_and_the_unit_submit_again(
    charlie, unit_c, community, dora
):
    reg = submit(charlie, unit_c, community)
    with pytest.raises(services.PartyError):
        services.decide_registration(actor=dora, registration=reg, accept=False, reason=" ")
    reg = services.decide_registration(actor=dora, registration=reg, accept=False, reason="联系电话有误")
    assert (reg.state, reg.return_reason) == (RegistrationState.RETURNED, "联系电话有误")
    assert Notification.objects.filter(user=charlie, kind="party.registration", level="yellow").count() == 1
    reg = services.resubmit_registration(actor=charlie, registration=reg, registered_on=datetime.date(2026, 5, 19),
                                         contact_name="赵局外", contact_phone="13511113333", commitments="同上")  # fmt: skip
    assert reg.state == RegistrationState.SUBMITTED and reg.return_reason == ""
    reg = services.decide_registration(actor=dora, registration=reg, accept=True)
    assert reg.state == RegistrationState.ACCEPTED and reg.decided_by == dora
    assert [e.kind for e in reg.events.all()] == ["submitted", "returned", "resubmitted", "accepted"]
    actions = list(
        AuditEvent.objects.filter(object_type="partybuilding.registration").values_list("action", flat=True)
    )
    assert sorted(actions) == sorted(["party.registration.submit", "party.registration.return",
                                      "party.registration.resubmit", "party.registration.accept"])  # fmt: skip


@pytest.mark.django_db
def test_it_refuses_a_second_active_registration_with_the_same_community(
    registration, alice, unit_a, community
):
    with pytest.raises(services.PartyError, match="already registered"):
        submit(alice, unit_a, community)


@pytest.mark.django_db
def test_it_refuses_decisions_by_others_and_second_decisions(charlie, unit_c, community, erin, dora, alice):
    reg = submit(charlie, unit_c, community)
    for outsider in (erin, alice, charlie):
        with pytest.raises(services.PartyError):
            services.decide_registration(actor=outsider, registration=reg, accept=True)
    services.decide_registration(actor=dora, registration=reg, accept=True)
    with pytest.raises(services.PartyError, match="already been decided"):
        services.decide_registration(actor=dora, registration=reg, accept=False, reason="x")


@pytest.mark.django_db
def test_it_lets_a_unit_register_only_its_own_unit(charlie, unit_a, community):
    with pytest.raises(services.PartyError):
        submit(charlie, unit_a, community)


@pytest.mark.django_db
def test_it_registers_and_decides_on_the_pages(client, charlie, unit_c, community, dora):
    login(client, charlie)
    assert client.get(reverse("party_registration_create")).status_code == 200
    response = client.post(reverse("party_registration_create"), SLIP | {"unit": unit_c.pk, "community": ""})
    assert response.status_code == 400
    response = client.post(reverse("party_registration_create"),
                           SLIP | {"unit": unit_c.pk, "community": str(community.code)})  # fmt: skip
    reg = Registration.objects.get()
    assert response["Location"] == reverse("party_registration_detail", args=[reg.code])
    page = client.get(response["Location"]).content.decode()
    assert "13511112222" in page and 'data-testid="accept"' not in page  # the unit sees its own phone
    client.logout()
    login(client, dora)
    page = client.get(reverse("party_registration_detail", args=[reg.code])).content.decode()
    assert 'data-testid="accept"' in page
    response = client.post(
        reverse("party_registration_decide", args=[reg.code]), {"accept": "0", "reason": ""}
    )
    assert response.status_code == 400
    client.post(
        reverse("party_registration_decide", args=[reg.code]), {"accept": "0", "reason": "承诺事项不具体"}
    )
    reg.refresh_from_db()
    assert reg.state == RegistrationState.RETURNED
    client.logout()
    login(client, charlie)
    response = client.post(
        reverse("party_registration_edit", args=[reg.code]), SLIP | {"commitments": "每月一次"}
    )
    assert response.status_code == 302
    reg.refresh_from_db()
    assert (reg.state, reg.commitments) == (RegistrationState.SUBMITTED, "每月一次")


@pytest.mark.django_db
def test_it_rejects_a_slip_dated_in_the_future_and_a_bad_phone(client, charlie, unit_c, community):
    login(client, charlie)
    response = client.post(reverse("party_registration_create"), SLIP | {
        "unit": unit_c.pk, "community": str(community.code), "registered_on": "2026-06-30", "contact_phone": "abc"})  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-field="registered_on"' in page and 'data-field="contact_phone"' in page
    assert not Registration.objects.exists()
