"""The review tests' cast on top of the suite's (tuijin/conftest.py):

- sup organises the round; two organisations are under review: unit_a's (alice's unit) and unit_b's (bob's);
- rita and rob are raters in the round (rita in 领导班子成员, rob in 党员代表); otto is a rater outside it;
- charlie's unit has no organisation under review.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tuijin.conftest import make_user
from tuijin.org.models import Role
from tuijin.reviews import services
from tuijin.reviews.models import RaterGroup, Review
from tuijin.tasks.evidence import check_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def report(name: str = "述职报告.pdf", content: bytes = PDF):
    return check_upload(SimpleUploadedFile(name, content, content_type="application/pdf"))


def group(review: Review, name: str) -> RaterGroup:
    return RaterGroup.objects.get(review=review, name=name)


@pytest.fixture
def rita(db):
    return make_user("rita", Role.RATER, None, "周评议")


@pytest.fixture
def rob(db):
    return make_user("rob", Role.RATER, None, "吴代表")


@pytest.fixture
def otto(db):
    return make_user("otto", Role.RATER, None, "孙局外")


@pytest.fixture
def review(sup, unit_a, unit_b, rita, rob):
    """A round in preparation with the default rules, two organisations with reports, rita and rob as raters."""
    review = services.create_review(actor=sup, title="2026年度机关党建述职评议", year=2026,
                                    date=datetime.date(2026, 12, 18))  # fmt: skip
    services.add_subject(actor=sup, review=review, organisation="中共中原科技城管委会机关委员会", unit=unit_a,
                         secretary="王建国", report=report())  # fmt: skip
    services.add_subject(actor=sup, review=review, organisation="中共郑州市科学技术局机关委员会", unit=unit_b,
                         secretary="李红", report=report("科技局述职报告.pdf"))  # fmt: skip
    services.set_raters(actor=sup, group=group(review, "领导班子成员"), users=[rita])
    services.set_raters(actor=sup, group=group(review, "党员代表"), users=[rob])
    return review


@pytest.fixture
def open_review(review, sup):
    return services.open_review(actor=sup, review=review)
