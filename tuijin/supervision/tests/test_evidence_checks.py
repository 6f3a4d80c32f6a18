"""Evidence checks: photos reused from another report, without a capture time or taken outside the period, and
reports that copy the unit's previous text are flagged when the report is saved."""

import datetime
import io
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image, ImageDraw

from tuijin.supervision import evidence_checks
from tuijin.supervision.evidence_checks import check_report, describe_flag, hamming, perceptual_hash
from tuijin.tasks import services
from tuijin.tasks.evidence import check_upload
from tuijin.tasks.models import Task

CST = ZoneInfo("Asia/Shanghai")
NOV_10 = datetime.datetime(2026, 11, 10, 10, 0, tzinfo=CST)


def scene(seed: int, size=(800, 600)) -> Image.Image:
    """A picture with structure (blocks of colour), different for every seed."""
    rng = random.Random(seed)
    img = Image.new("RGB", size, (rng.randint(0, 255),) * 3)
    draw = ImageDraw.Draw(img)
    for _ in range(25):
        x, y = rng.randint(0, size[0] - 40), rng.randint(0, size[1] - 40)
        box = [x, y, x + rng.randint(20, 300), y + rng.randint(20, 300)]
        draw.rectangle(box, fill=tuple(rng.randint(0, 255) for _ in range(3)))
    return img


def jpeg(
    img: Image.Image, taken: datetime.date | None = datetime.date(2026, 11, 5), quality: int = 90
) -> bytes:
    exif = img.getexif()
    if taken:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = f"{taken:%Y:%m:%d} 09:30:00"
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def photo(content: bytes, name: str = "IMG_0001.jpg"):
    return check_upload(SimpleUploadedFile(name, content, content_type="image/jpeg"))


def fresh(task: Task) -> Task:
    return Task.objects.for_list().get(pk=task.pk)


def started(task: Task, user) -> Task:
    services.acknowledge(actor=user, task=fresh(task))
    return fresh(task)


def report(task: Task, user, *contents: bytes, text: str = "", when=NOV_10):
    with time_machine.travel(when, tick=False):
        return services.submit_report(
            actor=user, task=fresh(task), text=text or f"进展 {random.random()}", progress=50,
            files=[photo(c, f"IMG_{i}.jpg") for i, c in enumerate(contents)],
        )  # fmt: skip


def codes(record) -> list[str]:
    record.refresh_from_db()
    return [flag["code"] for flag in record.flags]


@pytest.fixture
def other_task(plan, sup, unit_c):
    """A task of the same plan led by charlie's unit."""
    return services.create_task(
        actor=sup, plan=plan, number="2", title="建设人才公寓", lead_units=[unit_c], limit_text="年底前"
    )


# ——— the hash ———


def test_it_hashes_a_reencoded_smaller_copy_close_and_another_picture_far():
    original = scene(1)
    copy = original.resize((720, 540), Image.Resampling.LANCZOS)
    h = perceptual_hash(jpeg(original))
    assert len(h) == 16 and int(h, 16) >= 0
    assert hamming(h, perceptual_hash(jpeg(copy, quality=70))) <= evidence_checks.NEAR_BITS
    assert hamming(h, perceptual_hash(jpeg(scene(2)))) > evidence_checks.NEAR_BITS


def test_it_never_matches_on_a_flat_picture_or_unreadable_bytes():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, "PNG")
    assert not evidence_checks.is_informative(perceptual_hash(out.getvalue()))
    assert perceptual_hash(b"not an image") == ""


# ——— reused photos ———


@pytest.mark.django_db
def test_it_flags_the_same_photo_in_a_report_on_another_task(task, other_task, alice, charlie):
    content = jpeg(scene(1))
    first = report(started(task, alice), alice, content)
    second = report(started(other_task, charlie), charlie, content)
    assert codes(first.evidence.get()) == []
    reused = second.evidence.get()
    assert codes(reused) == ["reused_photo"]
    detail = reused.flags[0]["detail"]
    assert detail["match"] == "file"
    assert detail["task"] == "1"
    assert detail["task_code"] == str(task.code)
    assert detail["report"] == str(first.code)
    assert detail["period"] == "2026-11"
    assert reused.flags[0]["message"]


@pytest.mark.django_db
def test_it_flags_a_reencoded_and_resized_copy_of_a_photo(task, other_task, alice, charlie):
    original = scene(3)
    first = report(started(task, alice), alice, jpeg(original))
    copy = jpeg(original.resize((720, 540), Image.Resampling.LANCZOS), quality=70)
    second = report(started(other_task, charlie), charlie, copy)
    reused = second.evidence.get()
    assert reused.sha256 != first.evidence.get().sha256
    assert codes(reused) == ["reused_photo"]
    assert reused.flags[0]["detail"]["match"] == "similar"
    assert reused.flags[0]["detail"]["distance"] <= 6


@pytest.mark.django_db
def test_it_flags_a_photo_reused_in_a_later_report_on_the_same_task(task, alice):
    task = started(task, alice)
    content = jpeg(scene(4))
    report(task, alice, content, when=datetime.datetime(2026, 10, 12, 10, tzinfo=CST))
    later = report(task, alice, content)
    assert "reused_photo" in codes(later.evidence.get())


@pytest.mark.django_db
def test_it_does_not_flag_two_different_photos(task, other_task, alice, charlie):
    first = report(started(task, alice), alice, jpeg(scene(5)))
    second = report(started(other_task, charlie), charlie, jpeg(scene(6)))
    assert codes(first.evidence.get()) == []
    assert codes(second.evidence.get()) == []
    assert len(second.evidence.get().phash) == 16


@pytest.mark.django_db
def test_it_does_not_flag_two_copies_within_one_report(task, alice):
    content = jpeg(scene(7))
    saved = report(started(task, alice), alice, content, content)
    assert [codes(e) for e in saved.evidence.all()] == [[], []]


# ——— capture time ———


@pytest.mark.django_db
def test_it_flags_a_photo_without_a_capture_time(task, alice):
    saved = report(started(task, alice), alice, jpeg(scene(8), taken=None))
    evidence = saved.evidence.get()
    assert codes(evidence) == ["no_capture_time"]
    with translation.override("en"):
        assert describe_flag(evidence.flags[0]) == "No capture time in the photo."


@pytest.mark.django_db
def test_it_flags_a_photo_taken_outside_the_reporting_period(task, alice):
    task = started(task, alice)
    saved = report(task, alice, jpeg(scene(9), taken=datetime.date(2026, 10, 20)))
    evidence = saved.evidence.get()
    assert codes(evidence) == ["outside_period"]
    assert evidence.flags[0]["detail"] == {"reason": "period", "taken": "2026-10-20", "period": "2026-11"}
    with translation.override("en"):
        text = describe_flag(evidence.flags[0])
    assert text == "Taken on 2026-10-20, outside the reporting period 2026-11."


@pytest.mark.django_db
def test_it_accepts_a_photo_from_the_last_week_of_the_previous_period(task, alice):
    saved = report(started(task, alice), alice, jpeg(scene(10), taken=datetime.date(2026, 10, 27)))
    assert codes(saved.evidence.get()) == []


@pytest.mark.django_db
def test_it_flags_a_photo_more_than_sixty_days_old_when_uploaded(task, alice):
    task.plan.cadence = "quarterly"
    task.plan.save()
    when = datetime.datetime(2026, 12, 20, 10, tzinfo=CST)
    saved = report(started(task, alice), alice, jpeg(scene(11), taken=datetime.date(2026, 10, 2)), when=when)
    evidence = saved.evidence.get()
    assert saved.period == "2026-Q4"
    assert codes(evidence) == ["outside_period"]
    assert evidence.flags[0]["detail"]["reason"] == "age"
    assert evidence.flags[0]["detail"]["days"] == 79


def test_it_reads_monthly_quarterly_and_weekly_periods():
    bounds = evidence_checks.period_bounds
    assert bounds("2026-11") == (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    assert bounds("2026-12") == (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))
    assert bounds("2026-Q4") == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert bounds("2026-Q1") == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert bounds("2026-W45") == (datetime.date(2026, 11, 2), datetime.date(2026, 11, 8))
    assert bounds("2026-13") is None
    assert bounds("上半年") is None


# ——— copied text ———

TEXT = "完成孵化基地主体结构施工，累计完成投资3.2亿元，二次结构砌筑完成60%，正在推进机电安装招标。"


@pytest.mark.django_db
def test_it_flags_a_report_that_copies_the_units_previous_text(task, alice):
    task = started(task, alice)
    first = report(task, alice, text=TEXT, when=datetime.datetime(2026, 10, 12, 10, tzinfo=CST))
    second = report(task, alice, text=TEXT.replace("60%", "65%"))
    assert codes(first) == []
    assert codes(second) == ["copied_text"]
    detail = second.flags[0]["detail"]
    assert detail["period"] == "2026-10" and detail["report"] == str(first.code)
    assert detail["percent"] >= 90
    with translation.override("en"):
        assert describe_flag(second.flags[0]).endswith("the same as the previous report (2026-10).")


@pytest.mark.django_db
def test_it_does_not_flag_a_genuinely_new_text(task, alice):
    task = started(task, alice)
    report(task, alice, text=TEXT, when=datetime.datetime(2026, 10, 12, 10, tzinfo=CST))
    new_text = "机电安装完成招标并进场施工，幕墙工程完成70%，室外管网开始铺设，计划12月底竣工验收。"
    second = report(task, alice, text=new_text)
    assert codes(second) == []


@pytest.mark.django_db
def test_it_compares_a_text_only_with_the_same_units_reports(task, alice, bob):
    task = started(task, alice)
    report(task, alice, text=TEXT)
    supporting = report(task, bob, text=TEXT)
    assert codes(supporting) == []


# ——— re-running ———


@pytest.mark.django_db
def test_it_keeps_flags_it_does_not_own_and_changes_nothing_when_run_again(task, alice):
    saved = report(started(task, alice), alice, jpeg(scene(12), taken=None))
    evidence = saved.evidence.get()
    evidence.flags = [*evidence.flags, {"code": "someone_else", "message": "x", "detail": {}}]
    evidence.save()
    saved.refresh_from_db()
    assert check_report(saved) == 0
    assert check_report(saved) == 0
    assert codes(evidence) == ["no_capture_time", "someone_else"]


def test_it_is_registered_once_in_the_report_hook():
    from tuijin.tasks import hooks

    evidence_checks.register()
    assert hooks.after_report.count(evidence_checks._after_report) == 1
