"""述职评议: appraisal rounds of party organisations with secret weighted ballots.

A round (`Review`) has subjects (a party organisation and its secretary, with the written report), rater groups
with weights, ballot options with points, grade bands and a quorum. Raters return one ballot sheet (`Ballot`,
in `voting.py`) covering every subject, signed in or through a one-time voting code; a paper group's tallies
are entered by the counting committee.

Secrecy by design — what is stored can never tie a ballot to its voter:

- There are no ballot rows. A ballot's content exists only as +1 on `Tally` counters (round, subject, group,
  option, count). A tally has a random UUID key, no timestamp, no reference to a user or a voting code, and is
  created with count 0 when the round opens — never while voting — so neither its key nor its place in the
  table (SQLite's hidden rowid, PostgreSQL's ctid) follows the order of the votes.
- That somebody voted is a separate `Participation` row (rater or voting code, round, group; no timestamp,
  nothing about the choices) with unique constraints. It and the increments are written in ONE transaction:
  a second submission by the same rater fails on the constraint and rolls its increments back, so it counts
  once.
- Each vote updates EVERY tally row of the voter's group (+1 on the chosen rows, +0 on the others) in one
  statement. PostgreSQL stamps each row version with the transaction that wrote it (xmin); were only the chosen
  rows touched, xmin would equal the xmin of that voter's Participation row and give the choice away. With
  the whole group touched, all rows carry the same xmin, which says only "someone in this group voted".
- The audit log records "has voted" (actor or code, round, group), never an option. While a round is open no
  partial result is shown — watching counters move between two votes would reveal the second voter's choice —
  only how many ballots each group has returned.

Out of reach of this design (say so to whoever runs the server): an attacker who reads the database's raw
files or write-ahead log *during* voting (superuser access to the server, or its disk) can diff successive row
versions; that is the same power as watching the server's memory. A group of one or two raters is not secret
against its own members once results are published; the round page warns about small groups.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuijin.org.models import Unit

DEFAULT_ORGAN = "中共郑州市委市直机关工作委员会"


class Review(models.Model):
    """A 述职评议 round: the secretaries of party organisations report and rater groups rate them by secret ballot."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Voting open")
        CLOSED = "closed", _("Voting closed")
        PUBLISHED = "published", _("Results published")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    date = models.DateField(_("meeting date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issuing_organ = models.CharField(_("issuing organ"), max_length=100, default=DEFAULT_ORGAN)
    document_number = models.CharField(_("document number"), max_length=50, blank=True)
    # Quorum: at least numerator/denominator of the ballots issued to a group must come back (2/3 by default).
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=3)
    is_illustrative = models.BooleanField(_("illustrative data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-date", "-id"]
        verbose_name = _("performance review")
        verbose_name_plural = _("performance reviews")

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def has_results(self) -> bool:
        """Results exist only once voting has closed."""
        return self.status in (self.Status.CLOSED, self.Status.PUBLISHED)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def quorum_text(self) -> str:
        return f"{self.quorum_numerator}/{self.quorum_denominator}"


class Subject(models.Model):
    """A party organisation under review (述职对象), its secretary and the written report (书面述职报告)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.ForeignKey(Review, related_name="subjects", on_delete=models.CASCADE)
    organisation = models.CharField(_("party organisation"), max_length=100)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), related_name="+", on_delete=models.PROTECT)
    secretary = models.CharField(_("secretary"), max_length=50)
    report = models.FileField(_("written report"), upload_to="reviews/reports/", blank=True)
    report_name = models.CharField(max_length=200, blank=True)
    report_size = models.PositiveIntegerField(default=0)
    report_sha256 = models.CharField(max_length=64, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "organisation"], name="reviews_subject_unique")
        ]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")

    def __str__(self) -> str:
        return self.organisation


class RaterGroup(models.Model):
    """A group of raters whose ballots carry one weight (领导班子成员 30 %, 党组织书记 30 %…)."""

    class Counting(models.TextChoices):
        ELECTRONIC = "electronic", _("Electronic (signed-in raters and voting codes)")
        PAPER = "paper", _("Paper ballots counted by hand")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.ForeignKey(Review, related_name="groups", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=50)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    counting = models.CharField(
        _("counting"), max_length=20, choices=Counting.choices, default=Counting.ELECTRONIC
    )
    # Paper groups only: the sheets the counting committee says were handed out and collected.
    paper_issued = models.PositiveIntegerField(_("ballots issued"), null=True, blank=True)
    paper_returned = models.PositiveIntegerField(_("ballots returned"), null=True, blank=True)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "name"], name="reviews_group_unique")]
        verbose_name = _("rater group")
        verbose_name_plural = _("rater groups")

    def __str__(self) -> str:
        return self.name

    @property
    def is_paper(self) -> bool:
        return self.counting == self.Counting.PAPER


class Option(models.Model):
    """A choice on the ballot (好 / 较好 / 一般 / 差) and the points it is worth."""

    review = models.ForeignKey(Review, related_name="options", on_delete=models.CASCADE)
    label = models.CharField(_("label"), max_length=20)
    weight = models.DecimalField(
        _("points"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "label"], name="reviews_option_unique")]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.label


class GradeBand(models.Model):
    """A grade given to a weighted score at or above its threshold (≥ 90 好…)."""

    review = models.ForeignKey(Review, related_name="bands", on_delete=models.CASCADE)
    label = models.CharField(_("grade"), max_length=20)
    min_score = models.DecimalField(_("lowest score"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["-min_score"]
        constraints = [models.UniqueConstraint(fields=["review", "min_score"], name="reviews_band_unique")]
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")

    def __str__(self) -> str:
        return f"≥{self.min_score} {self.label}"


class Rater(models.Model):
    """A signed-in user assigned to one rater group of a round."""

    review = models.ForeignKey(Review, related_name="raters", on_delete=models.CASCADE)
    group = models.ForeignKey(RaterGroup, related_name="raters", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "user"], name="reviews_rater_unique")]
        verbose_name = _("rater")
        verbose_name_plural = _("raters")

    def __str__(self) -> str:
        return f"{self.user} · {self.group}"


class VotingCode(models.Model):
    """A one-time voting code printed on a slip and handed out at the meeting; tied to a group, not to a person.

    Only a hash is stored: the plain code exists once, on the printed slips."""

    review = models.ForeignKey(Review, related_name="voting_codes", on_delete=models.CASCADE)
    group = models.ForeignKey(RaterGroup, related_name="voting_codes", on_delete=models.CASCADE)
    digest = models.CharField(max_length=64, unique=True)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)

    class Meta:
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")

    def __str__(self) -> str:
        return f"{self.group} · {self.digest[:8]}…"


class Participation(models.Model):
    """ "Has voted": a rater or a voting code returned the ballot sheet of a round. Never what it said."""

    review = models.ForeignKey(Review, related_name="participations", on_delete=models.CASCADE)
    group = models.ForeignKey(RaterGroup, related_name="participations", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    voting_code = models.OneToOneField(
        VotingCode, null=True, blank=True, related_name="participation", on_delete=models.PROTECT
    )

    class Meta:
        constraints = [
            # One ballot sheet per rater per round: the second of two simultaneous submissions fails here.
            models.UniqueConstraint(
                fields=["review", "user"], condition=Q(user__isnull=False), name="reviews_voted_once"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, voting_code__isnull=True)
                | Q(user__isnull=True, voting_code__isnull=False),
                name="reviews_voter_or_code",
            ),
        ]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self) -> str:
        return f"{self.review} · {self.group}"


class Tally(models.Model):
    """How many ballots of one rater group chose one option for one subject: the only record of ballot content."""

    # A random key: an autoincrement key would number rows in the order they were written.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.ForeignKey(Review, related_name="tallies", on_delete=models.CASCADE)
    subject = models.ForeignKey(Subject, related_name="tallies", on_delete=models.CASCADE)
    group = models.ForeignKey(RaterGroup, related_name="tallies", on_delete=models.CASCADE)
    option = models.ForeignKey(Option, related_name="tallies", on_delete=models.CASCADE)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject", "group", "option"], name="reviews_tally_unique")
        ]
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")

    def __str__(self) -> str:
        return f"{self.subject} · {self.group} · {self.option}: {self.count}"


DEFAULT_GROUPS = [("领导班子成员", Decimal(30)), ("党组织书记", Decimal(30)), ("党员代表", Decimal(25)),
                  ("群众代表", Decimal(15))]  # fmt: skip
DEFAULT_OPTIONS = [("好", Decimal(100)), ("较好", Decimal(80)), ("一般", Decimal(60)), ("差", Decimal(0))]
DEFAULT_BANDS = [("好", Decimal(90)), ("较好", Decimal(80)), ("一般", Decimal(60)), ("差", Decimal(0))]
