"""Evidence files as stored and served: photos saved again without metadata after their time and place were read;
every download through the permission-checked view, typed by what the bytes are, PDFs and Office files as
attachments only."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tuijin.conftest import PASSWORD
from tuijin.tasks.models import Evidence

from . import hostile_files as hostile

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_client(client, task, alice):
    client.post(reverse("login"), {"username": alice.username, "password": PASSWORD})
    client.post(reverse("task_action", args=[task.code, "acknowledge"]))
    return client


def report_with(client, task, *uploads):
    response = client.post(
        reverse("report_create", args=[task.code]),
        {"text": "主体施工", "progress": 40, "files": list(uploads)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return list(Evidence.objects.order_by("id"))


def download(client, evidence, thumb=False):
    response = client.get(reverse("evidence_thumb" if thumb else "evidence_file", args=[evidence.code]))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_it_reads_time_and_place_then_stores_the_photo_without_any_metadata(alice_client, task):
    [evidence] = report_with(
        alice_client, task, SimpleUploadedFile("现场.jpg", hostile.camera_jpeg(orientation=6))
    )
    assert timezone.localtime(evidence.taken_at).strftime("%Y-%m-%d %H:%M") == "2026-11-20 09:30"
    assert (float(evidence.latitude), float(evidence.longitude)) == pytest.approx(
        (34.7466, 113.6253), abs=1e-4
    )
    with evidence.file.open("rb") as fh:
        stored = fh.read()
    for secret in (b"Exif", b"SN-0042", b"Zhang San", b"13800138000", b"xmpmeta", b"PhoneMaker"):
        assert secret not in stored, secret
    picture = Image.open(io.BytesIO(stored))
    assert picture.format == "JPEG"
    assert not picture.getexif()
    # the orientation tag went with the EXIF, so the pixels were turned: 80×40 taken sideways is 40×80
    assert picture.size == (40, 80)
    assert picture.getpixel((20, 5))[2] > 150  # the blue half is on top now
    assert evidence.size == len(stored)
    with evidence.thumbnail.open("rb") as fh:
        assert b"Exif" not in fh.read()


def test_it_keeps_a_png_as_png_without_its_text_chunks(alice_client, task):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "张三 13800138000")
    out = io.BytesIO()
    Image.new("RGBA", (30, 20), (0, 128, 0, 128)).save(out, "PNG", pnginfo=info)
    [evidence] = report_with(alice_client, task, SimpleUploadedFile("截图.png", out.getvalue()))
    with evidence.file.open("rb") as fh:
        stored = fh.read()
    assert stored.startswith(b"\x89PNG") and b"13800138000" not in stored
    assert Image.open(io.BytesIO(stored)).mode == "RGBA"


def test_it_names_and_types_a_file_by_its_content(alice_client, task):
    pdf, webp = report_with(
        alice_client,
        task,
        SimpleUploadedFile("通知.html", hostile.pdf(), content_type="text/html"),
        SimpleUploadedFile("航拍.webp", _webp(), content_type="image/webp"),
    )
    assert pdf.kind == Evidence.Kind.PDF and pdf.original_name == "通知.pdf"
    assert pdf.file.name.endswith(".pdf")
    assert webp.kind == Evidence.Kind.PHOTO and webp.original_name == "航拍.jpg"
    assert webp.file.name.endswith(".jpg")


def _webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (200, 100, 0)).save(out, "WEBP")
    return out.getvalue()


def test_it_serves_pdf_and_office_files_as_attachments_typed_by_content(alice_client, task):
    pdf, word = report_with(
        alice_client,
        task,
        SimpleUploadedFile("通知.pdf", hostile.pdf(), content_type="text/html"),
        SimpleUploadedFile("方案.docx", hostile.docx(), content_type="text/html"),
    )
    response, body = download(alice_client, pdf)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert body.startswith(b"%PDF-")
    response, _ = download(alice_client, word)
    assert (
        response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"].startswith("attachment;")


def test_it_shows_photos_and_thumbnails_inline_as_images(alice_client, task):
    [photo] = report_with(
        alice_client, task, SimpleUploadedFile("现场.png", hostile.png(), content_type="text/html")
    )
    response, body = download(alice_client, photo)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    response, body = download(alice_client, photo, thumb=True)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert body.startswith(b"\xff\xd8")


def test_it_serves_files_only_through_the_checked_view(alice_client, task, charlie, settings):
    from django.urls import Resolver404, get_resolver, resolve

    [photo] = report_with(alice_client, task, SimpleUploadedFile("现场.png", hostile.png()))
    # no URL maps the media folder: neither /media/ nor the stored path itself
    for path in ("/media/" + photo.file.name, "/" + photo.file.name, "/static/../media/" + photo.file.name):
        with pytest.raises(Resolver404):
            resolve(path)
        assert alice_client.get(path).status_code == 404

    def serve_views(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from serve_views(pattern.url_patterns)
            else:
                yield pattern.callback

    from django.views.static import serve

    assert serve not in set(serve_views(get_resolver().url_patterns))
    # whitenoise serves the collected static files only, never the media folder
    assert not getattr(settings, "WHITENOISE_ROOT", None)
    media, static = str(settings.MEDIA_ROOT), str(settings.STATIC_ROOT)
    assert not media.startswith(static) and not static.startswith(media)
    # and the view itself asks who you are
    alice_client.logout()
    response = alice_client.get(reverse("evidence_file", args=[photo.code]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    alice_client.post(reverse("login"), {"username": charlie.username, "password": PASSWORD})
    assert alice_client.get(reverse("evidence_file", args=[photo.code])).status_code == 404
