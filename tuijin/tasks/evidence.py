"""Checking evidence files by their content, and reading what a photo says about itself (time, place).

Every upload is judged by its bytes (`tuijin.lib.file_checks`): active content is refused whatever its name,
Office files are checked as zips (size, entries, macros), PDFs for scripts. Photos are decoded and saved again
as a fresh JPEG or PNG once their capture time and position have been read into the Evidence fields, so the
stored file carries no EXIF (no position, no camera serial) and nothing hidden after the picture.
"""

import datetime
import hashlib
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from tuijin.lib import file_checks

from .models import Evidence

# A 50-megapixel phone photo passes; a few hundred bytes that claim 30 000 × 30 000 pixels (a decompression
# bomb) do not. Pillow itself refuses twice this anywhere in the process.
MAX_PHOTO_PIXELS = 64_000_000
Image.MAX_IMAGE_PIXELS = MAX_PHOTO_PIXELS

# What the file is stored and served as, by kind and container: (extension, content type).
STORED_TYPES = {
    "jpeg": ("jpg", "image/jpeg"),
    "png": ("png", "image/png"),
    Evidence.Kind.PDF: ("pdf", "application/pdf"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "doc": ("doc", "application/msword"),
    "xls": ("xls", "application/vnd.ms-excel"),
}


def allowed_text() -> str:
    return _("photos (JPG, PNG, WebP), PDF, Word or Excel files")


@dataclass
class CheckedFile:
    kind: str
    content: bytes  # what is stored: for photos the re-encoded picture, else the upload as it came
    name: str  # the uploaded name, its extension made to match the content
    sha256: str  # of `content`
    taken_at: datetime.datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    thumbnail: bytes | None = None
    content_type: str = "application/octet-stream"


def _sniff(name: str, content: bytes) -> tuple[str | None, str]:
    """(kind, format) from the bytes, whatever the name claims; the format keys STORED_TYPES ("webp" is saved
    again as jpeg or png). Office zips are checked (size, entries, macros) before their parts are listed."""
    head = content[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return Evidence.Kind.PHOTO, "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Evidence.Kind.PHOTO, "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Evidence.Kind.PHOTO, "webp"
    if head.startswith(file_checks.PDF_MAGIC):
        return Evidence.Kind.PDF, Evidence.Kind.PDF
    if head.startswith(file_checks.OLE_MAGIC):  # legacy .doc / .xls container
        if b"W\x00o\x00r\x00d\x00" in content[:65536]:
            return Evidence.Kind.WORD, "doc"
        return Evidence.Kind.EXCEL, "xls"
    if head.startswith(file_checks.ZIP_MAGIC):
        return _sniff_office_zip(name, content)
    return None, ""


def stored_content_type(kind: str, head: bytes) -> str:
    """The content type to serve a stored evidence file with, from its kind and first bytes."""
    if kind == Evidence.Kind.PHOTO:
        return "image/png" if head.startswith(b"\x89PNG") else "image/jpeg"
    if kind == Evidence.Kind.PDF:
        return STORED_TYPES[Evidence.Kind.PDF][1]
    legacy = head.startswith(file_checks.OLE_MAGIC)
    if kind == Evidence.Kind.WORD:
        return STORED_TYPES["doc" if legacy else "docx"][1]
    if kind == Evidence.Kind.EXCEL:
        return STORED_TYPES["xls" if legacy else "xlsx"][1]
    return "application/octet-stream"


def _sniff_office_zip(name: str, content: bytes) -> tuple[str | None, str]:
    names = file_checks.check_office_zip(name, content)
    if "word/document.xml" in names:
        return Evidence.Kind.WORD, "docx"
    if "xl/workbook.xml" in names:
        return Evidence.Kind.EXCEL, "xlsx"
    return None, ""


def _gps_degrees(values, ref) -> Decimal | None:
    try:
        d, m, s = (float(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    deg = d + m / 60 + s / 3600
    if ref in ("S", "W"):
        deg = -deg
    return Decimal(f"{deg:.6f}")


def _read_exif(img) -> tuple[datetime.datetime | None, Decimal | None, Decimal | None]:
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
    return taken_at, lat, lon


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s has more than %(limit)d million pixels; take the photo at a lower resolution.")
        % {"name": name, "limit": MAX_PHOTO_PIXELS // 1_000_000}
    )


def read_photo(content: bytes, name: str = "photo") -> tuple[dict, bytes, str, bytes]:
    """What the photo says about itself (taken_at, latitude, longitude), the picture saved again without any
    metadata (JPEG, or PNG when the original was PNG or has transparency), its format, and a JPEG thumbnail."""
    try:
        with Image.open(io.BytesIO(content)) as img:
            if img.width * img.height > MAX_PHOTO_PIXELS:
                raise _too_many_pixels(name)
            img.verify()
        with Image.open(io.BytesIO(content)) as img:
            taken_at, lat, lon = _read_exif(img)
            source_format = img.format
            icc = img.info.get("icc_profile")
            upright = ImageOps.exif_transpose(img)  # the orientation tag goes with the EXIF: turn the pixels
            upright.load()
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(name) from exc
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    # Only the pixels (and the colour profile) go on: no EXIF, XMP, comments or text chunks.
    upright.info = {}
    out = io.BytesIO()
    if source_format == "PNG" or has_alpha:
        fmt = "png"
        upright.convert("RGBA" if has_alpha else "RGB").save(out, "PNG", optimize=True, icc_profile=icc)
    else:
        fmt = "jpeg"
        upright.convert("RGB").save(out, "JPEG", quality=90, icc_profile=icc)
    thumb = upright.convert("RGB")
    thumb.thumbnail((480, 360))
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, "JPEG", quality=80)
    return (
        {"taken_at": taken_at, "latitude": lat, "longitude": lon},
        out.getvalue(),
        fmt,
        thumb_out.getvalue(),
    )


def _stored_name(name: str, extension: str) -> str:
    """The uploaded name with the extension of what the file really is (工地.JPG stays, 报告.html becomes 报告.pdf)."""
    path = PurePath(name)
    suffix = path.suffix if re.fullmatch(r"\.[A-Za-z0-9]{1,5}", path.suffix) else ""
    stem = (path.name[: -len(suffix)] if suffix else path.name)[:190] or "file"
    if suffix.lower() == f".{extension}" or (extension == "jpg" and suffix.lower() == ".jpeg"):
        return f"{stem}{suffix}"
    return f"{stem}.{extension}"


def check_upload(upload) -> CheckedFile:
    """Validate one uploaded file; raise ValidationError naming the file and what is wrong. Nothing is stored."""
    name = upload.name or "file"
    # The size Django received, checked before the content is read into memory.
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is %(size).1f MB; the limit is %(limit)d MB.")
            % {"name": name, "size": upload.size / 1048576, "limit": settings.EVIDENCE_MAX_BYTES // 1048576}
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(settings.EVIDENCE_MAX_BYTES + 1)
    if len(content) > settings.EVIDENCE_MAX_BYTES:  # a file object whose size was not what it said
        raise ValidationError(
            _("%(name)s is larger than %(limit)d MB.")
            % {"name": name, "limit": settings.EVIDENCE_MAX_BYTES // 1048576}
        )
    file_checks.refuse_active_content(name, content)
    kind, fmt = _sniff(name, content)
    if kind is None:
        raise ValidationError(
            _("%(name)s is not one of the accepted files: %(allowed)s.")
            % {"name": name, "allowed": allowed_text()}
        )
    facts: dict = {}
    thumbnail = None
    if kind == Evidence.Kind.PHOTO:
        file_checks.refuse_hidden_markup(name, content)
        try:
            facts, content, fmt, thumbnail = read_photo(content, name)
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
            Image.DecompressionBombError,
        ) as exc:
            raise ValidationError(_("%(name)s is not a readable image.") % {"name": name}) from exc
    elif kind == Evidence.Kind.PDF:
        file_checks.refuse_hidden_markup(name, content)
        file_checks.check_pdf(name, content)
    elif fmt in ("doc", "xls"):
        file_checks.check_ole(name, content)
    extension, content_type = STORED_TYPES[fmt]
    return CheckedFile(
        kind=kind,
        content=content,
        name=_stored_name(name, extension),
        sha256=hashlib.sha256(content).hexdigest(),
        thumbnail=thumbnail,
        content_type=content_type,
        **facts,
    )


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
