"""Ballot sheets: a signed-in rater's, and the public page for holders of a one-time voting code."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .access import require_rater
from .forms import BallotForm, CodeEntryForm
from .models import Review
from .voting import (
    AlreadyVoted,
    NotARater,
    VotingError,
    cast_ballot,
    cast_ballot_with_code,
    find_code,
    has_voted,
    rater_group,
)


def _private(response):
    """A ballot sheet is never cached, by the browser or anything in between."""
    response["Cache-Control"] = "no-store"
    return response


def _sheet_form(review: Review, data=None) -> BallotForm:
    return BallotForm(data, subjects=review.subjects.select_related("unit"), options=review.options.all())


@login_required
def ballot(request, code):
    """The rater's ballot sheet: one row per organisation, returned at once."""
    require_rater(request.user)
    review = get_object_or_404(Review.objects.exclude(status=Review.Status.DRAFT), code=code)
    group = rater_group(request.user, review)
    if group is None:
        raise Http404
    state = None
    if group.is_paper:
        state = "paper"
    elif has_voted(review, request.user):
        state = "voted"
    elif not review.is_open:
        state = "closed"
    form = _sheet_form(review, request.POST if request.method == "POST" and state is None else None)
    if state is None and request.method == "POST" and form.is_valid():
        try:
            cast_ballot(actor=request.user, review=review, ballot=form.ballot())
        except NotARater:
            raise Http404 from None
        except AlreadyVoted as exc:
            messages.info(request, str(exc))
        except VotingError as exc:
            messages.error(request, str(exc))
            return redirect("reviews_ballot", code=review.code)
        else:
            messages.success(request, _("Your ballot sheet has been counted. Thank you."))
        return redirect("reviews_round_list")
    return _private(render(request, "reviews/ballot.html", {
        "review": review, "group": group, "form": form, "state": state, "anonymous": False,
    }))  # fmt: skip


def _refused(request, code_text: str, message: str):
    entry = CodeEntryForm({"code": code_text})
    entry.is_valid()
    entry.add_error(None, message)
    return _private(render(request, "reviews/vote_code.html", {"entry": entry}))


def vote(request):
    """Public: a voting-code holder's ballot sheet. GET ?code=… (typed, or from the slip's QR code) shows the
    sheet for a live code; POST returns it. Nothing is stored about the person, and the code is used up."""
    if request.method == "POST":
        code_text = request.POST.get("code", "")
        voting_code = find_code(code_text)
        if voting_code is None:
            return _refused(
                request,
                code_text,
                _("This voting code is not valid, has been used, or its round is not open."),
            )
        review = voting_code.review
        form = _sheet_form(review, request.POST)
        if form.is_valid():
            try:
                cast_ballot_with_code(code_text=code_text, ballot=form.ballot())
            except VotingError as exc:
                return _refused(request, code_text, str(exc))
            return _private(render(request, "reviews/vote_done.html", {"review": review}))
        return _private(render(request, "reviews/ballot.html", {
            "review": review, "group": voting_code.group, "form": form, "state": None, "anonymous": True,
            "code_text": code_text,
        }))  # fmt: skip
    if "code" not in request.GET:
        return _private(render(request, "reviews/vote_code.html", {"entry": CodeEntryForm()}))
    entry = CodeEntryForm(request.GET)
    voting_code = find_code(entry.data.get("code", "")) if entry.is_valid() else None
    if voting_code is None:
        if entry.is_valid():
            entry.add_error(
                "code", _("This voting code is not valid, has been used, or its round is not open.")
            )
        return _private(render(request, "reviews/vote_code.html", {"entry": entry}))
    review = voting_code.review
    return _private(render(request, "reviews/ballot.html", {
        "review": review, "group": voting_code.group, "form": _sheet_form(review), "state": None,
        "anonymous": True, "code_text": entry.cleaned_data["code"],
    }))  # fmt: skip
