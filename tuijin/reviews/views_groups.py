"""A rater group's pages for the organiser: its raters, its voting codes and slips, its counting and paper count."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .access import require_supervisor
from .codes import qr_data_uri
from .forms import CodesForm, CountingForm, PaperCountForm, RatersForm
from .models import Participation, RaterGroup, Review, Tally, VotingCode


def _group(request, code, group_code) -> RaterGroup:
    require_supervisor(request.user)
    return get_object_or_404(RaterGroup.objects.select_related("review"), review__code=code, code=group_code)


def _back(group: RaterGroup):
    return redirect("reviews_round_detail", code=group.review.code)


@login_required
def group_raters(request, code, group_code):
    group = _group(request, code, group_code)
    queryset = services.eligible_raters(group.review, group)
    current = list(group.raters.values_list("user_id", flat=True))
    form = RatersForm(request.POST or None, queryset=queryset, initial={"users": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_raters(actor=request.user, group=group, users=form.cleaned_data["users"])
        except services.ReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Raters saved."))
            return _back(group)
    voted = set(
        Participation.objects.filter(group=group, user__isnull=False).values_list("user_id", flat=True)
    )
    return render(request, "reviews/group_raters.html", {
        "group": group, "review": group.review, "form": form, "voted": voted,
    })  # fmt: skip


@login_required
def group_codes(request, code, group_code):
    """The group's codes, counted; making new ones answers the printable slips — the only time they are shown."""
    group = _group(request, code, group_code)
    form = CodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plain = services.generate_codes(actor=request.user, group=group, count=form.cleaned_data["count"])
        except services.ReviewError as exc:
            form.add_error(None, str(exc))
        else:
            vote_url = settings.SITE_URL + reverse("reviews_vote")
            slips = [{"code": c, "qr": qr_data_uri(f"{vote_url}?code={c}")} for c in plain]
            response = render(request, "reviews/code_slips.html", {
                "group": group, "review": group.review, "slips": slips, "vote_url": vote_url,
            })  # fmt: skip
            response["Cache-Control"] = "no-store"
            return response
    codes = VotingCode.objects.filter(group=group)
    counts = {
        "made": codes.count(),
        "used": codes.filter(participation__isnull=False).count(),
        "withdrawn": codes.filter(withdrawn=True).count(),
    }
    counts["live"] = counts["made"] - counts["used"] - counts["withdrawn"]
    return render(request, "reviews/group_codes.html", {
        "group": group, "review": group.review, "form": form, "counts": counts,
    })  # fmt: skip


@login_required
@require_POST
def group_codes_withdraw(request, code, group_code):
    group = _group(request, code, group_code)
    try:
        count = services.withdraw_codes(actor=request.user, group=group)
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)d unused codes withdrawn.") % {"n": count})
    return redirect("reviews_group_codes", code=code, group_code=group_code)


@login_required
@require_POST
def group_counting(request, code, group_code):
    group = _group(request, code, group_code)
    form = CountingForm(request.POST)
    if form.is_valid():
        try:
            services.set_counting(actor=request.user, group=group, counting=form.cleaned_data["counting"])
        except services.ReviewError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Saved."))
    return _back(group)


@login_required
def group_paper(request, code, group_code):
    """The counting committee's hand count for a paper group."""
    group = _group(request, code, group_code)
    review = group.review
    if not group.is_paper or review.status not in (Review.Status.OPEN, Review.Status.CLOSED):
        messages.error(request, _("Paper counts are entered for paper groups while voting is open or closed, "
                                  "before publishing."))  # fmt: skip
        return _back(group)
    subjects, options = list(review.subjects.all()), list(review.options.all())
    tallies = {
        (s, o): n
        for s, o, n in Tally.objects.filter(group=group).values_list("subject_id", "option_id", "count")
    }
    initial = {"issued": group.paper_issued, "returned": group.paper_returned}
    form = PaperCountForm(
        request.POST or None, subjects=subjects, options=options, tallies=tallies, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.enter_paper_counts(actor=request.user, group=group, issued=data["issued"],
                                        returned=data["returned"], counts=form.counts())  # fmt: skip
        except services.ReviewError as exc:
            form.add_error(None, str(exc))
        else:
            for warning in form.warnings():
                messages.warning(request, warning)
            messages.success(request, _("Paper count of %(name)s saved.") % {"name": group.name})
            return _back(group)
    return render(request, "reviews/group_paper.html", {
        "group": group, "review": review, "form": form, "options": options,
    })  # fmt: skip
