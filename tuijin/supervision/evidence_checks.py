"""Evidence checks (可检查): photos without a capture time, taken outside the reporting period or reused from
another report, and reports whose text copies the unit's previous report.

Flags live in the `flags` JSON lists of `Evidence` and `Report` as `{"code", "message", "detail"}`. `code` and
`detail` are the truth; `message` is the text in the site's default language, kept for places that show the
stored text. `describe_flag(flag)` says the same in the reader's language. Re-running the checks replaces the
flags they own and leaves any others alone, so it is safe to run again (`tuijin recheck-evidence`).
"""

from __future__ import annotations

import datetime
import difflib
import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from tuijin.tasks import hooks
from tuijin.tasks.models import Evidence, Report

NO_CAPTURE_TIME = "no_capture_time"
OUTSIDE_PERIOD = "outside_period"
REUSED_PHOTO = "reused_photo"
COPIED_TEXT = "copied_text"
PHOTO_CODES = (NO_CAPTURE_TIME, OUTSIDE_PERIOD, REUSED_PHOTO)
REPORT_CODES = (COPIED_TEXT,)
CODES = PHOTO_CODES + REPORT_CODES

NEAR_BITS = 6  # dHash bits two copies of one photo may differ by (re-encoded, resized, lightly cropped)
GRACE_DAYS = 7  # a photo from the last days of the previous period still shows this period's start
MAX_AGE_DAYS = 60
COPY_RATIO = 0.9
COPY_MAX_CHARS = 5000  # SequenceMatcher is quadratic at worst; a report's first pages decide
PLAN_CANDIDATES = 5000  # near-duplicates are looked for among this many latest photos of the same plan
EXACT_CANDIDATES = 200


def flag_kinds() -> list[tuple[str, str]]:
    return [
        (NO_CAPTURE_TIME, _("No capture time")),
        (OUTSIDE_PERIOD, _("Taken outside the period")),
        (REUSED_PHOTO, _("Reused photo")),
        (COPIED_TEXT, _("Copied text")),
    ]


# ——— perceptual hash ———


def perceptual_hash(image_bytes: bytes) -> str:
    """A 64-bit difference hash (dHash) as 16 hex digits; "" when the bytes are not a readable image.

    The image is shrunk to 9×8 grey pixels and each bit says whether a pixel is brighter than its right
    neighbour, so re-encoding, resizing and small edits change only a few bits.
    """
    try:
        with Image.open(io.BytesIO(image_bytes)) as img:
            img.draft("L", (144, 128))  # JPEG decodes at a reduced scale: far faster, same 9×8 result
            upright = ImageOps.exif_transpose(img)
            small = upright.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return ""
    pixels = small.tobytes()
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = (bits << 1) | (pixels[row * 9 + col] > pixels[row * 9 + col + 1])
    return f"{bits:016x}"


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def is_informative(phash: str) -> bool:
    """Flat or evenly shaded pictures (a blank page, a single colour) all hash alike; never match on them."""
    return bool(phash) and 4 < int(phash, 16).bit_count() < 60


def _phash_of(evidence: Evidence) -> str:
    try:
        with evidence.file.open("rb") as handle:
            return perceptual_hash(handle.read())
    except (FileNotFoundError, ValueError):
        return ""


# ——— reporting periods ———


def period_bounds(period: str) -> tuple[datetime.date, datetime.date] | None:
    """First and last day of "2026-11", "2026-Q4" or "2026-W45"; None if the period is not understood."""
    try:
        if match := re.fullmatch(r"(\d{4})-W(\d{1,2})", period):
            start = datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return start, start + datetime.timedelta(days=6)
        if match := re.fullmatch(r"(\d{4})-Q([1-4])", period):
            year, first_month = int(match[1]), int(match[2]) * 3 - 2
            start = datetime.date(year, first_month, 1)
            return start, _month_end(year, first_month + 2)
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})", period):
            year, month = int(match[1]), int(match[2])
            return datetime.date(year, month, 1), _month_end(year, month)
    except ValueError:
        return None
    return None


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


# ——— flags and their words ———


def make_flag(code: str, **detail) -> dict:
    flag = {"code": code, "message": "", "detail": detail}
    with translation.override(settings.LANGUAGE_CODE):
        flag["message"] = describe_flag(flag)
    return flag


def describe_flag(flag: dict) -> str:
    """The flag in the reader's language, from its code and detail."""
    try:
        return (
            _describe(flag.get("code"), flag.get("detail") or {})
            or flag.get("message")
            or str(flag.get("code"))
        )
    except (KeyError, TypeError, ValueError):  # a detail from an older version of the checks
        return flag.get("message") or str(flag.get("code"))


def _describe(code, d: dict) -> str:
    if code == NO_CAPTURE_TIME:
        return _("No capture time in the photo.")
    if code == OUTSIDE_PERIOD:
        if d.get("reason") == "age":
            return _("Taken on %(taken)s, %(days)s days before it was uploaded.") % d
        return _("Taken on %(taken)s, outside the reporting period %(period)s.") % d
    if code == REUSED_PHOTO:
        if not d.get("period"):
            return _("The same file is attached to task %(task)s.") % d
        if d.get("match") == "file":
            return _("The same file is in the report of %(period)s on task %(task)s.") % d
        return _("Looks like the photo in the report of %(period)s on task %(task)s.") % d
    if code == COPIED_TEXT:
        return _("%(percent)s%% the same as the previous report (%(period)s).") % d
    return ""


def _keep_foreign(flags: list) -> list:
    return [f for f in flags or [] if not (isinstance(f, dict) and f.get("code") in CODES)]


# ——— the checks ———


@dataclass
class _Candidate:
    id: int
    sha256: str
    phash: str
    report_id: int | None
    task_id: int


def _is_other(candidate: _Candidate, evidence: Evidence) -> bool:
    """Another report's photo; a loose attachment counts only if it belongs to another task."""
    if candidate.id >= evidence.id:
        return False
    if candidate.report_id is None:
        return candidate.task_id != evidence.task_id
    return candidate.report_id != evidence.report_id


def _candidates(report: Report, photos: list[Evidence]) -> list[_Candidate]:
    """Earlier photos that could be copies: any with the same file or hash, and the latest of the same plan."""
    fields = ("id", "sha256", "phash", "report_id", "task_id")
    before = Evidence.objects.filter(kind=Evidence.Kind.PHOTO, id__lt=max(p.id for p in photos)).exclude(
        report_id=report.pk
    )
    hashes = [p.phash for p in photos if is_informative(p.phash)]
    exact = before.filter(Q(sha256__in=[p.sha256 for p in photos]) | Q(phash__in=hashes)).order_by("id")
    rows = list(exact.values_list(*fields)[:EXACT_CANDIDATES])
    if hashes:
        same_plan = before.filter(task__plan_id=report.task.plan_id).exclude(phash="").order_by("-id")
        rows += same_plan.values_list(*fields)[:PLAN_CANDIDATES]
    return [_Candidate(*row) for row in dict.fromkeys(rows)]


def _best_match(evidence: Evidence, candidates: list[_Candidate]) -> tuple[_Candidate, int] | None:
    best: tuple[int, int, _Candidate] | None = None
    for candidate in candidates:
        if not _is_other(candidate, evidence):
            continue
        if candidate.sha256 == evidence.sha256:
            distance = 0
        elif is_informative(evidence.phash) and is_informative(candidate.phash):
            distance = hamming(evidence.phash, candidate.phash)
            if distance > NEAR_BITS:
                continue
        else:
            continue
        key = (distance, candidate.id)
        if best is None or key < best[:2]:
            best = (distance, candidate.id, candidate)
    return (best[2], best[0]) if best else None


def _reuse_flag(
    evidence: Evidence, candidate: _Candidate, distance: int, others: dict[int, Evidence]
) -> dict:
    other = others[candidate.id]
    task = other.task
    return make_flag(
        REUSED_PHOTO,
        match="file" if candidate.sha256 == evidence.sha256 else "similar",
        distance=distance,
        evidence=str(other.code),
        task=task.number or task.title[:30],
        task_code=str(task.code),
        report=str(other.report.code) if other.report else "",
        period=other.report.period if other.report else "",
        unit=other.report.unit.name if other.report else "",
    )


def _time_flags(report: Report, evidence: Evidence) -> list[dict]:
    if evidence.taken_at is None:
        return [make_flag(NO_CAPTURE_TIME)]
    taken = timezone.localtime(evidence.taken_at).date()
    bounds = period_bounds(report.period)
    if bounds and not (bounds[0] - datetime.timedelta(days=GRACE_DAYS) <= taken <= bounds[1]):
        return [make_flag(OUTSIDE_PERIOD, reason="period", taken=taken.isoformat(), period=report.period)]
    uploaded = timezone.localtime(evidence.created_at or timezone.now()).date()
    age = (uploaded - taken).days
    if age > MAX_AGE_DAYS:
        return [make_flag(OUTSIDE_PERIOD, reason="age", taken=taken.isoformat(), days=age)]
    return []


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()[:COPY_MAX_CHARS]


def text_similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, _normalise(a), _normalise(b), autojunk=False)
    if matcher.real_quick_ratio() < COPY_RATIO or matcher.quick_ratio() < COPY_RATIO:
        return matcher.quick_ratio()  # an upper bound below the line is answer enough
    return matcher.ratio()


def _copied_text_flags(report: Report) -> list[dict]:
    previous = (
        Report.objects.filter(task_id=report.task_id, unit_id=report.unit_id, id__lt=report.pk)
        .order_by("-id")
        .only("id", "code", "period", "text")
        .first()
    )
    if previous is None or not _normalise(report.text):
        return []
    ratio = text_similarity(report.text, previous.text)
    if ratio < COPY_RATIO:
        return []
    return [
        make_flag(COPIED_TEXT, percent=int(ratio * 100), period=previous.period, report=str(previous.code))
    ]


def check_report(report: Report) -> int:
    """Hash the report's photos, flag them and the report; returns how many records changed."""
    changed = 0
    photos = list(report.evidence.filter(kind=Evidence.Kind.PHOTO).order_by("id"))
    hashed = set()
    for photo in photos:
        if not photo.phash:
            photo.phash = _phash_of(photo)
            hashed.add(photo.pk)
    candidates = _candidates(report, photos) if photos else []
    matches = {p.pk: m for p in photos if (m := _best_match(p, candidates))}
    others = Evidence.objects.select_related("task", "report__unit").in_bulk(
        [candidate.id for candidate, _d in matches.values()]
    )
    for photo in photos:
        flags = _time_flags(report, photo)
        if photo.pk in matches:
            flags.append(_reuse_flag(photo, *matches[photo.pk], others))
        flags += _keep_foreign(photo.flags)
        if flags != photo.flags or photo.pk in hashed:
            Evidence.objects.filter(pk=photo.pk).update(phash=photo.phash, flags=flags)
            photo.flags = flags
            changed += 1
    flags = _copied_text_flags(report) + _keep_foreign(report.flags)
    if flags != report.flags:
        Report.objects.filter(pk=report.pk).update(flags=flags)
        report.flags = flags
        changed += 1
    return changed


def _after_report(report: Report) -> None:
    check_report(report)


def register() -> None:
    """Run the checks on every saved report (called from `SupervisionConfig.ready()`)."""
    if _after_report not in hooks.after_report:
        hooks.after_report.append(_after_report)


def hash_missing_photos(photos: QuerySet[Evidence]) -> int:
    """Store the hash of every photo that has none yet; returns how many were hashed."""
    done = 0
    for photo in photos.filter(kind=Evidence.Kind.PHOTO, phash="").only("id", "file", "task_id"):
        phash = _phash_of(photo)
        if phash:
            Evidence.objects.filter(pk=photo.pk).update(phash=phash)
            done += 1
    return done


# ——— for the board ———


def _has_flag(code: str = "") -> Q:
    # JSON containment is not portable to SQLite; a quoted code in the JSON text is unambiguous enough.
    return Q(flags__icontains=f'"{code}"') if code else ~Q(flags=[])


def check_flags_for(reports: QuerySet[Report], code: str = "") -> QuerySet[Report]:
    """The reports that carry a flag (of this kind) themselves or on one of their photos."""
    flagged_photos = Evidence.objects.filter(_has_flag(code), report=OuterRef("pk"))
    return reports.filter(_has_flag(code) | Q(Exists(flagged_photos)))


def flag_counts(reports: QuerySet[Report]) -> dict[str, int]:
    """How many of the reports carry each kind of flag, in one query."""
    aggregates = {
        code: Count(
            "pk",
            filter=_has_flag(code)
            | Q(Exists(Evidence.objects.filter(_has_flag(code), report=OuterRef("pk")))),
        )
        for code in CODES
    }
    return reports.order_by().aggregate(**aggregates)
