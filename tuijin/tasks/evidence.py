"""Checking evidence files by their content, and reading what a photo says about itself (time, place)."""

import datetime
import hashlib
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, UnidentifiedImageError

from .models import Evidence

ALLOWED = _("photos (JPG, PNG, WebP), PDF, Word or Excel files")


@dataclass
class CheckedFile:
    kind: str
    content: bytes
    name: str
    sha256: str
    taken_at: datetime.datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    thumbnail: bytes | None = None


def sniff_kind(head: bytes, content: bytes) -> str | None:
    """The evidence kind from the file's bytes, whatever its name claims."""
    if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n") or head[8:12] == b"WEBP":
        return Evidence.Kind.PHOTO
    if head.startswith(b"%PDF-"):
        return Evidence.Kind.PDF
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # legacy .doc / .xls container
        return Evidence.Kind.WORD if b"W\x00o\x00r\x00d\x00" in content[:65536] else Evidence.Kind.EXCEL
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return Evidence.Kind.WORD
        if "xl/workbook.xml" in names:
            return Evidence.Kind.EXCEL
    return None


def _gps_degrees(values, ref) -> Decimal | None:
    try:
        d, m, s = (float(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    deg = d + m / 60 + s / 3600
    if ref in ("S", "W"):
        deg = -deg
    return Decimal(f"{deg:.6f}")


def read_photo(content: bytes) -> tuple[datetime.datetime | None, Decimal | None, Decimal | None, bytes]:
    """Capture time and GPS position from EXIF, and a JPEG thumbnail."""
    with Image.open(io.BytesIO(content)) as img:
        img.verify()
    with Image.open(io.BytesIO(content)) as img:
        exif = img.getexif()
        taken_at = lat = lon = None
        raw = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal) or exif.get(
            ExifTags.Base.DateTime
        )
        if raw:
            try:
                naive = datetime.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
                taken_at = timezone.make_aware(naive)
            except ValueError:
                taken_at = None
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        if gps:
            lat = _gps_degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
            lon = _gps_degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef))
        thumb = img.convert("RGB")
        thumb.thumbnail((480, 360))
        out = io.BytesIO()
        thumb.save(out, "JPEG", quality=80)
    return taken_at, lat, lon, out.getvalue()


def check_upload(upload) -> CheckedFile:
    """Validate one uploaded file; raise ValidationError naming the file and what is wrong."""
    name = upload.name or "file"
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is %(size).1f MB; the limit is %(limit)d MB.")
            % {"name": name, "size": upload.size / 1048576, "limit": settings.EVIDENCE_MAX_BYTES // 1048576}
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    content = upload.read()
    kind = sniff_kind(content[:16], content)
    if kind is None:
        raise ValidationError(
            _("%(name)s is not one of the accepted files: %(allowed)s.") % {"name": name, "allowed": ALLOWED}
        )
    checked = CheckedFile(
        kind=kind, content=content, name=name[-200:], sha256=hashlib.sha256(content).hexdigest()
    )
    if kind == Evidence.Kind.PHOTO:
        try:
            checked.taken_at, checked.latitude, checked.longitude, checked.thumbnail = read_photo(content)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ValidationError(_("%(name)s is not a readable image.") % {"name": name}) from exc
    return checked


def save_evidence(*, task, report, actor, checked: CheckedFile) -> Evidence:
    earlier = Evidence.objects.filter(sha256=checked.sha256).order_by("id").first()
    evidence = Evidence(
        task=task,
        report=report,
        uploaded_by=actor,
        kind=checked.kind,
        original_name=checked.name,
        size=len(checked.content),
        sha256=checked.sha256,
        taken_at=checked.taken_at,
        latitude=checked.latitude,
        longitude=checked.longitude,
        reused_from=earlier,
    )
    evidence.file.save(checked.name, ContentFile(checked.content), save=False)
    if checked.thumbnail:
        evidence.thumbnail.save(f"thumb-{evidence.code}.jpg", ContentFile(checked.thumbnail), save=False)
    evidence.save()
    return evidence
