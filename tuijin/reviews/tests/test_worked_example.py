"""Tallies, weighted scores and ranking match a hand count.

Three organisations (X, Y, Z), three rater groups, options 好 100 / 较好 80 / 一般 60 / 差 0, quorum 2/3,
grade bands ≥90 好, ≥80 较好, ≥60 一般, else 差.

    领导班子成员 (weight 40 %): electronic, 7 voting codes handed out, 7 sheets returned
    党员代表     (weight 35 %): paper, 9 sheets issued, 9 returned
    群众代表     (weight 25 %): paper, 7 sheets issued, 6 returned (6 × 3 = 18 ≥ 7 × 2 = 14: quorum met)

Hand count (好 / 较好 / 一般 / 差) and group scores S = Σ count × points ÷ votes:

    X  领导班子成员  5 / 0 / 1 / 1   (500 + 0 + 60 + 0) ÷ 7   = 560 ÷ 7 = 80
       党员代表      7 / 2 / 0 / 0   (700 + 160 + 0 + 0) ÷ 9  = 860 ÷ 9 = 95.5555…
       群众代表      3 / 0 / 3 / 0   (300 + 0 + 180 + 0) ÷ 6  = 480 ÷ 6 = 80
    Y  领导班子成员  5 / 2 / 0 / 0   (500 + 160) ÷ 7          = 660 ÷ 7 = 94.2857…
       党员代表      7 / 0 / 2 / 0   (700 + 120) ÷ 9          = 820 ÷ 9 = 91.1111…
       群众代表      2 / 0 / 3 / 1   (200 + 180 + 0) ÷ 6      = 380 ÷ 6 = 63.3333…
    Z  领导班子成员  3 / 2 / 1 / 1   (300 + 160 + 60) ÷ 7     = 520 ÷ 7 = 74.2857…
       党员代表      4 / 3 / 2 / 0   (400 + 240 + 120) ÷ 9    = 760 ÷ 9 = 84.4444…
       群众代表      2 / 2 / 1 / 1   (200 + 160 + 60) ÷ 6     = 420 ÷ 6 = 70

Weighted score = 0.40 × S₁ + 0.35 × S₂ + 0.25 × S₃, exact, rounded half-up to 2 places only at the end:

    X = 32 + 33.4444… + 20            = 85.4444… → 85.44
    Y = 37.7142… + 31.8888… + 15.8333… = 85.4365… → 85.44
    Z = 29.7142… + 29.5555… + 17.5     = 76.7698… → 76.77

Rounding matters twice. (1) Rounding each group score first would give X = 0.40 × 80.00 + 0.35 × 95.56 +
0.25 × 80.00 = 85.446 → 85.45: wrong, one rounding only. (2) X and Y differ exactly (85.4444 > 85.4365) but
are equal as published (85.44): they share rank 1, and Z is 3rd (not 2nd).

Share of 好 over all votes counted: X (5 + 7 + 3) ÷ 22 = 68.2 %, Y 14 ÷ 22 = 63.6 %, Z 9 ÷ 22 = 40.9 %.
Grades: X, Y 85.44 → 较好; Z 76.77 → 一般.
"""

import datetime
from decimal import Decimal

import pytest

from tuijin.reviews import services
from tuijin.reviews.models import Option, Subject, Tally
from tuijin.reviews.scoring import compute_results
from tuijin.reviews.voting import Ballot, cast_ballot_with_code

from .conftest import group, report

pytestmark = pytest.mark.django_db

GROUPS = [("领导班子成员", Decimal(40)), ("党员代表", Decimal(35)), ("群众代表", Decimal(25))]
OPTIONS = [("好", Decimal(100)), ("较好", Decimal(80)), ("一般", Decimal(60)), ("差", Decimal(0))]
BANDS = [("好", Decimal(90)), ("较好", Decimal(80)), ("一般", Decimal(60)), ("差", Decimal(0))]

# The seven electronic sheets of 领导班子成员, one column per voter: (X, Y, Z).
SHEETS = [("好", "好", "好"), ("好", "好", "好"), ("好", "好", "好"), ("好", "好", "较好"),
          ("好", "好", "较好"), ("一般", "较好", "一般"), ("差", "较好", "差")]  # fmt: skip
PAPER = {  # group: (issued, returned, {subject: (好, 较好, 一般, 差)})
    "党员代表": (9, 9, {"X": (7, 2, 0, 0), "Y": (7, 0, 2, 0), "Z": (4, 3, 2, 0)}),
    "群众代表": (7, 6, {"X": (3, 0, 3, 0), "Y": (2, 0, 3, 1), "Z": (2, 2, 1, 1)}),
}


@pytest.fixture
def counted(sup, unit_a, unit_b, unit_c):
    review = services.create_review(actor=sup, title="2026年度机关党建述职评议", year=2026,
                                    date=datetime.date(2026, 12, 18))  # fmt: skip
    services.set_rules(actor=sup, review=review, quorum_numerator=2, quorum_denominator=3, groups=GROUPS,
                       options=OPTIONS, bands=BANDS)  # fmt: skip
    for name, unit in (("X", unit_a), ("Y", unit_b), ("Z", unit_c)):
        services.add_subject(actor=sup, review=review, organisation=name, unit=unit, secretary=f"{name}书记",
                             report=report())  # fmt: skip
    codes = services.generate_codes(actor=sup, group=group(review, "领导班子成员"), count=7)
    for name in PAPER:
        services.set_counting(actor=sup, group=group(review, name), counting="paper")
    services.open_review(actor=sup, review=review)

    subjects = {s.organisation: s.pk for s in Subject.objects.filter(review=review)}
    options = {o.label: o.pk for o in Option.objects.filter(review=review)}
    for code, sheet in zip(codes, SHEETS, strict=True):
        choices = {subjects[s]: options[label] for s, label in zip("XYZ", sheet, strict=True)}
        cast_ballot_with_code(code_text=code, ballot=Ballot(choices))
    for name, (issued, returned, rows) in PAPER.items():
        counts = {(subjects[s], options[label]): n for s, row in rows.items()
                  for label, n in zip(["好", "较好", "一般", "差"], row, strict=True)}  # fmt: skip
        services.enter_paper_counts(actor=sup, group=group(review, name), issued=issued, returned=returned,
                                    counts=counts)  # fmt: skip
    services.close_review(actor=sup, review=review)
    return review


def test_it_keeps_the_raw_tallies_of_the_hand_count(counted):
    raw = {}
    for t in Tally.objects.filter(review=counted).select_related("subject", "group", "option"):
        raw.setdefault((t.subject.organisation, t.group.name), {})[t.option.label] = t.count
    assert raw[("X", "领导班子成员")] == {"好": 5, "较好": 0, "一般": 1, "差": 1}
    assert raw[("Y", "领导班子成员")] == {"好": 5, "较好": 2, "一般": 0, "差": 0}
    assert raw[("Z", "领导班子成员")] == {"好": 3, "较好": 2, "一般": 1, "差": 1}
    assert raw[("Y", "群众代表")] == {"好": 2, "较好": 0, "一般": 3, "差": 1}


def test_it_scores_grades_and_ranks_as_the_hand_count(counted):
    results = compute_results(counted)
    assert [(t.group.name, t.issued, t.returned, t.counts) for t in results.groups] == [
        ("领导班子成员", 7, 7, True), ("党员代表", 9, 9, True), ("群众代表", 7, 6, True),
    ]  # fmt: skip
    table = {
        r.subject.organisation: (
            [c.score_2dp for c in r.cells],
            r.score_2dp,
            r.top_share_percent,
            r.grade,
            r.rank,
        )
        for r in results.subjects
    }
    assert table == {
        "X": (
            [Decimal("80.00"), Decimal("95.56"), Decimal("80.00")],
            Decimal("85.44"),
            Decimal("68.2"),
            "较好",
            1,
        ),
        "Y": (
            [Decimal("94.29"), Decimal("91.11"), Decimal("63.33")],
            Decimal("85.44"),
            Decimal("63.6"),
            "较好",
            1,
        ),
        "Z": (
            [Decimal("74.29"), Decimal("84.44"), Decimal("70.00")],
            Decimal("76.77"),
            Decimal("40.9"),
            "一般",
            3,
        ),
    }
    x = next(r for r in results.subjects if r.subject.organisation == "X")
    assert (
        x.score > next(r for r in results.subjects if r.subject.organisation == "Y").score
    )  # exact: X ahead
    rounded_first = sum(Decimal(w) / 100 * c.score_2dp for (_n, w), c in zip(GROUPS, x.cells, strict=True))
    assert rounded_first.quantize(Decimal("0.01")) == Decimal("85.45") != x.score_2dp
    assert [r.rank for r in results.subjects] == [1, 1, 3]
