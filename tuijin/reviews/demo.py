"""The demo's 述职评议 (PRODUCT.md §5, capability J): last year's round closed and published with realistic
tallies, and this year's round open, where the demo login `rater` can vote.

Everything goes through the services, so the audit log and the tallies are real: the published round's
electronic groups voted with one-time codes, its paper groups were counted by hand. Organisations, secretaries
and numbers are invented. `load_demo_reviews()` is called by the demo loader; calling it again changes nothing.
"""

from __future__ import annotations

import datetime
import io
import random

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from docx import Document

from tuijin.org.models import Membership, Role, Unit, User
from tuijin.tasks.evidence import check_upload

from . import services
from .models import Option, RaterGroup, Review, Subject
from .voting import Ballot, cast_ballot_with_code

# (unit, party organisation, secretary, quality: the chance of 好 / 较好 / 一般 / 差 on a ballot)
SUBJECTS = [
    ("市委组织部", "中共郑州市委组织部机关委员会", "孙立新", (0.82, 0.15, 0.03, 0.00)),
    ("市科技局", "中共郑州市科学技术局机关委员会", "马晓东", (0.70, 0.24, 0.05, 0.01)),
    ("中原科技城管委会", "中共郑州中原科技城管理委员会机关委员会", "陈国强", (0.74, 0.21, 0.05, 0.00)),
    ("市商务局", "中共郑州市商务局机关委员会", "刘淑芬", (0.58, 0.32, 0.08, 0.02)),
    ("市工信局", "中共郑州市工业和信息化局机关委员会", "杨志远", (0.62, 0.28, 0.09, 0.01)),
    ("市自然资源和规划局", "中共郑州市自然资源和规划局机关委员会", "王海燕", (0.48, 0.36, 0.13, 0.03)),
    ("市发展改革委", "中共郑州市发展和改革委员会机关委员会", "赵文斌", (0.66, 0.27, 0.06, 0.01)),
    ("市文化广电和旅游局", "中共郑州市文化广电和旅游局机关委员会", "黄丽华", (0.40, 0.38, 0.18, 0.04)),
]
LABELS = ["好", "较好", "一般", "差"]
PAPER_GROUPS = {"党员代表": (40, 38), "群众代表": (20, 18)}  # issued, returned
CODE_GROUPS = {"领导班子成员": 9, "党组织书记": 8}  # codes handed out, all returned


def _organiser() -> User | None:
    return User.objects.filter(memberships__role=Role.SUPERVISOR, is_active=True).order_by("pk").first()


def _rater() -> User:
    """The demo login `rater` (tuijin/core/demo_data.py); made here only when the core demo did not."""
    from tuijin.core.demo_data import PASSWORD

    user, _created = User.objects.get_or_create(
        username="rater",
        defaults={"display_name": "周雅", "title": "述职评议代表", "password": make_password(PASSWORD)},
    )
    Membership.objects.get_or_create(user=user, unit=None, role=Role.RATER)
    return user


def _report(organisation: str, year: int):
    doc = Document()
    doc.add_heading(f"{organisation}书记{year}年度抓机关党建工作述职报告", level=1)
    for text in (
        "一、履行党建工作第一责任人职责情况。坚持把机关党建与中心工作同谋划、同部署、同考核，"
        "全年主持召开党建工作专题会议6次，带头讲专题党课2次。",
        "二、推动“双报到”和为群众办实事情况。组织在职党员到社区报到，认领微心愿，开展志愿服务。",
        "三、存在的问题和下一步打算。党建与业务融合还不够紧密，下一步将完善考核机制，压实责任。",
        "（示例数据）",
    ):
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return check_upload(SimpleUploadedFile(f"{organisation}述职报告.docx", out.getvalue()))


def _round(sup, title: str, year: int, date: datetime.date) -> Review | None:
    review = services.create_review(actor=sup, title=title, year=year, date=date)
    Review.objects.filter(pk=review.pk).update(is_illustrative=True)
    added = 0
    for unit_name, organisation, secretary, _quality in SUBJECTS:
        unit = Unit.objects.filter(name=unit_name).first()
        if unit is None:
            continue
        services.add_subject(actor=sup, review=review, organisation=organisation, unit=unit, secretary=secretary,
                             report=_report(organisation, year))  # fmt: skip
        added += 1
    if added < 2:
        transaction.set_rollback(True)
        return None
    for name in PAPER_GROUPS:
        services.set_counting(
            actor=sup, group=RaterGroup.objects.get(review=review, name=name), counting="paper"
        )
    return review


def _choice(rng: random.Random, quality) -> str:
    return rng.choices(LABELS, weights=quality)[0]


def _quality(organisation: str):
    return next(q for _u, o, _s, q in SUBJECTS if o == organisation)


def _ballot(rng, subjects, options) -> Ballot:
    return Ballot({s.pk: options[_choice(rng, _quality(s.organisation))] for s in subjects})


def _published(sup, rng: random.Random, today: datetime.date) -> None:
    year = today.year - 1
    meeting = min(datetime.date(today.year, 1, 22), today - datetime.timedelta(days=30))
    review = _round(sup, f"{year}年度机关党建述职评议", year, meeting)
    if review is None:
        return
    codes = {
        name: services.generate_codes(
            actor=sup, group=RaterGroup.objects.get(review=review, name=name), count=n
        )
        for name, n in CODE_GROUPS.items()
    }
    services.open_review(actor=sup, review=review)
    subjects = list(Subject.objects.filter(review=review))
    options = {o.label: o.pk for o in Option.objects.filter(review=review)}
    for group_codes in codes.values():
        for code in group_codes:
            cast_ballot_with_code(code_text=code, ballot=_ballot(rng, subjects, options))
    for name, (issued, returned) in PAPER_GROUPS.items():
        counts = {}
        for subject in subjects:
            blank = 1 if rng.random() < 0.2 else 0  # now and then a row left blank: an abstention
            picks = [_choice(rng, _quality(subject.organisation)) for _ in range(returned - blank)]
            for label in LABELS:
                counts[(subject.pk, options[label])] = picks.count(label)
        services.enter_paper_counts(actor=sup, group=RaterGroup.objects.get(review=review, name=name),
                                    issued=issued, returned=returned, counts=counts)  # fmt: skip
    services.close_review(actor=sup, review=review)
    services.publish_review(actor=sup, review=review, document_number=f"郑直工〔{today.year}〕3号")
    held = timezone.make_aware(datetime.datetime.combine(meeting, datetime.time(9, 0)))
    Review.objects.filter(pk=review.pk).update(
        opened_at=held,
        closed_at=held + datetime.timedelta(hours=3),
        published_at=held + datetime.timedelta(days=7),
    )


def _open(sup, rng: random.Random, today: datetime.date) -> None:
    review = _round(sup, f"{today.year}年度机关党建述职评议", today.year, today)
    if review is None:
        return
    members = RaterGroup.objects.get(review=review, name="党员代表")
    services.set_counting(actor=sup, group=members, counting="electronic")
    services.set_raters(actor=sup, group=members, users=[_rater()])
    leaders = RaterGroup.objects.get(review=review, name="领导班子成员")
    secretaries = RaterGroup.objects.get(review=review, name="党组织书记")
    used = services.generate_codes(actor=sup, group=leaders, count=9)[:6]
    services.generate_codes(actor=sup, group=secretaries, count=8)
    services.generate_codes(actor=sup, group=members, count=29)
    services.open_review(actor=sup, review=review)
    subjects = list(Subject.objects.filter(review=review))
    options = {o.label: o.pk for o in Option.objects.filter(review=review)}
    for code in used:  # the meeting is under way: six of the leaders have voted; the demo rater has not
        cast_ballot_with_code(code_text=code, ballot=_ballot(rng, subjects, options))


def load_demo_reviews() -> bool:
    """Load the demo rounds unless they are there; True when loaded now."""
    if Review.objects.filter(is_illustrative=True).exists():
        return False
    sup = _organiser()
    if sup is None:
        return False
    rng = random.Random(2021)
    today = timezone.localdate()
    with transaction.atomic():
        _published(sup, rng, today)
    with transaction.atomic():
        _open(sup, rng, today)
    return Review.objects.filter(is_illustrative=True).exists()
