"""The steps through the pages: a unit acknowledges, transfers (a reason is required), replies with a file; the
enterprise raises a request with a photo in the portal and rates the reply; files are served only to those who
see the request."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tuijin.servicedesk.models import Attachment, ServiceRequest, State

from .conftest import at


def png(name="现场.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_it_lets_the_unit_acknowledge_transfer_and_reply(client, raise_for, alice, unit_b):
    req = raise_for(at(2021, 9, 30, 10, 0))
    client.force_login(alice)
    page = client.get(reverse("servicedesk_detail", args=[req.code]))
    assert page.status_code == 200 and "2021年10月13日" in page.content.decode()
    client.post(reverse("servicedesk_action", args=[req.code, "acknowledge"]))
    req.refresh_from_db()
    assert req.state == State.IN_PROGRESS
    missing = client.post(reverse("servicedesk_action", args=[req.code, "transfer"]), {"unit": unit_b.pk})
    assert missing.status_code == 400 and "reason" in missing.context["transfer_form"].errors
    response = client.post(reverse("servicedesk_action", args=[req.code, "reply"]),
                           {"text": "已协调解决。", "files": [png()]})  # fmt: skip
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state == State.REPLIED and req.attachments.count() == 1


def test_it_refuses_an_active_file_disguised_as_a_photo(client, raise_for, alice):
    req = raise_for(at(2021, 9, 30, 10, 0))
    client.force_login(alice)
    bad = SimpleUploadedFile("照片.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    response = client.post(
        reverse("servicedesk_action", args=[req.code, "reply"]), {"text": "答复", "files": [bad]}
    )
    assert response.status_code == 400
    req.refresh_from_db()
    assert req.state == State.SUBMITTED and not req.attachments.exists()


def test_it_lets_the_enterprise_raise_and_rate_in_the_portal(client, eva, five_days, alice, enterprise):
    client.force_login(eva)
    response = client.post(reverse("servicedesk_portal_create"), {
        "category": five_days.pk, "title": "云计算上云补贴申报", "description": "请告知申报渠道。", "files": [png()]})  # fmt: skip
    assert response.status_code == 302
    req = ServiceRequest.objects.get(title="云计算上云补贴申报")
    assert req.enterprise == enterprise and req.channel == "portal" and req.attachments.count() == 1
    attachment = req.attachments.get()
    # the file: the enterprise, the unit, the office — nobody else
    assert client.get(reverse("servicedesk_attachment", args=[attachment.code])).status_code == 200
    from tuijin.servicedesk import services

    services.reply(actor=alice, request=req, text="已答复")
    unsure = client.post(reverse("servicedesk_portal_rate", args=[req.code]), {"satisfaction": "unsatisfied"})
    assert unsure.status_code == 400  # a word on what is missing is required
    client.post(reverse("servicedesk_portal_rate", args=[req.code]),
                {"satisfaction": "unsatisfied", "comment": "未解决"})  # fmt: skip
    req.refresh_from_db()
    assert req.state == State.REOPENED and req.reopen_count == 1


def test_it_serves_files_only_to_those_who_see_the_request(
    client, eva, oscar, bob, alice, sup, five_days, enterprise
):
    from tuijin.servicedesk import services
    from tuijin.tasks.evidence import check_upload

    req = services.raise_request(actor=eva, category=five_days, enterprise=enterprise, title="t", description="d",
                                 files=[check_upload(png())])  # fmt: skip
    url = reverse("servicedesk_attachment", args=[Attachment.objects.get(request=req).code])
    for user, status in ((eva, 200), (alice, 200), (sup, 200), (oscar, 404), (bob, 404)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert response["X-Content-Type-Options"] == "nosniff"


def test_it_lets_the_office_record_a_call_back(client, raise_for, alice, eva, sup):
    from tuijin.servicedesk import services

    req = raise_for(at(2021, 9, 30, 10, 0))
    services.reply(actor=alice, request=req, text="答复", now=at(2021, 10, 8, 10, 0))
    services.rate(actor=eva, request=req, satisfaction="satisfied", now=at(2021, 10, 8, 12, 0))
    client.force_login(sup)
    response = client.post(reverse("servicedesk_action", args=[req.code, "callback"]), {
        "called_on": "2021-10-09", "method": "phone", "satisfaction": "basic", "notes": "企业认可"})  # fmt: skip
    assert response.status_code == 302
    assert req.callbacks.get().satisfaction == "basic"
    client.force_login(alice)
    response = client.post(reverse("servicedesk_action", args=[req.code, "callback"]), {
        "called_on": "2021-10-09", "method": "phone", "satisfaction": "satisfied"})  # fmt: skip
    assert response.status_code == 403


def test_it_lets_the_office_configure_categories_and_the_call_back_share(client, sup, unit_a):
    client.force_login(sup)
    response = client.post(reverse("servicedesk_category_create"), {
        "name": "人才服务", "ack_limit": 1, "ack_unit": "days", "close_days": 10, "default_unit": unit_a.pk,
        "sort_order": 1, "is_active": "on"})  # fmt: skip
    assert response.status_code == 302
    response = client.post(reverse("servicedesk_settings"), {"day_start": "08:30", "day_end": "17:30",
                                                             "callback_percent": 40, "rating_days": 5})  # fmt: skip
    assert response.status_code == 302
    from tuijin.servicedesk.models import Category, Policy

    assert Category.objects.get(name="人才服务").close_days == 10
    assert Policy.current().callback_percent == 40
    bad = client.post(reverse("servicedesk_settings"), {"day_start": "18:00", "day_end": "09:00",
                                                        "callback_percent": 40, "rating_days": 5})  # fmt: skip
    assert bad.status_code == 400
