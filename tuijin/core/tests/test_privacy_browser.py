"""The supervision office shows a liaison officer's phone in full with one press, in a real browser."""

import pytest

from tuijin.conftest import shot, sign_in
from tuijin.core.models import AuditEvent
from tuijin.org.models import Liaison

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tuijin.core.tests.urls_privacy"),
]


def test_it_reveals_a_liaison_phone_in_place_and_logs_it(page, live_server, sup, unit_a):
    Liaison.objects.create(unit=unit_a, name="王联络", position="综合科科长", phone="13812345678",
                           office_phone="0371-67181234")  # fmt: skip
    sign_in(page, live_server, sup)
    page.goto(f"{live_server.url}/org/units/")
    row = page.locator("tr", has_text="王联络")
    assert "138****5678" in row.inner_text() and "13812345678" not in page.content()
    shot(page, "privacy-masked-liaison")
    row.locator("[data-testid=reveal]").first.click()
    page.wait_for_selector("[data-testid=revealed]")
    assert "13812345678" in row.inner_text()
    assert "0371-****1234" in row.inner_text()  # the other number stays masked
    shot(page, "privacy-revealed-liaison")
    assert AuditEvent.objects.filter(action="personal_data.reveal", actor=sup).count() == 1
