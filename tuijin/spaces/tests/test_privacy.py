"""ID numbers: the raw database row holds no readable number (sealed, with a blind index for duplicates); pages
show it masked to everyone but the applicant; exports and the audit log carry it masked only."""

import io
import json

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from tuijin.core.models import AuditEvent
from tuijin.lib.masking import mask_id_number

from ..models import Application
from .conftest import id_number, login

pytestmark = pytest.mark.django_db

NUMBER = id_number(1)


def test_the_raw_row_holds_no_readable_id_number_or_phone(ann_application):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_index FROM spaces_application WHERE id = %s", [ann_application.pk]
        )
        raw_id, raw_phone, index = cursor.fetchone()
    assert NUMBER not in raw_id and NUMBER[-8:] not in raw_id and NUMBER[:6] not in raw_id
    assert "13812345678" not in raw_phone
    assert NUMBER not in index and len(index) == 64
    assert Application.objects.get(pk=ann_application.pk).id_number == NUMBER  # Python sees it


def test_the_applicant_sees_their_number_and_the_manager_sees_it_masked(
    client, ann_application, ann, manager
):
    url = reverse("spaces_application", args=[ann_application.code])
    assert NUMBER in login(client, ann).get(url).content.decode()
    page = login(client, manager).get(url).content.decode()
    assert NUMBER not in page and mask_id_number(NUMBER) in page
    listing = client.get(reverse("spaces_application_list")).content.decode()
    assert NUMBER not in listing and mask_id_number(NUMBER) in listing


def test_the_export_carries_it_masked_and_is_recorded(client, ann_application, manager, flat):
    response = login(client, manager).get(reverse("spaces_dashboard_xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    assert NUMBER not in " ".join(cells) and mask_id_number(NUMBER) in cells
    assert "138****5678" in cells and "13812345678" not in cells
    assert AuditEvent.objects.filter(action="personal_data.export").count() == 1


def test_the_audit_log_never_holds_the_number(ann_queued, lease):
    dumped = json.dumps(
        [[e.before, e.after] for e in AuditEvent.objects.all()], ensure_ascii=False, default=str
    )
    assert NUMBER not in dumped and mask_id_number(NUMBER) in dumped


def test_closed_applications_lose_id_number_and_phone_after_the_retention_period(ann_application, ben,
                                                                                  apartment_policy, manager):  # fmt: skip
    import datetime

    from django.utils import timezone

    from tuijin.core import privacy

    from .. import services
    from .conftest import submit

    services.review(
        actor=manager, application=ann_application, step="first", approve=False, note="不符合条件"
    )
    open_one = submit(ben, apartment_policy, n=2)
    later = timezone.now() + datetime.timedelta(days=privacy.retention_days() + 1)
    privacy.anonymise(now=later)
    ann_application.refresh_from_db()
    open_one.refresh_from_db()
    assert (ann_application.id_number, ann_application.phone, ann_application.id_index) == ("", "", "")
    assert open_one.id_number == id_number(2)  # still open: kept
