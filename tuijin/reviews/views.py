"""Round pages: the list, preparing a round (rules, subjects), the status steps, results and downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.core.audit import record
from tuijin.org.models import Role

from . import services
from .access import get_review, may_read_report, rater_reviews, require_supervisor, visible_reviews
from .exports import DOCX, XLSX, circular_docx_bytes, filename, results_xlsx_bytes
from .forms import PublishForm, ReviewForm, RulesForm, SubjectForm
from .models import Participation, Review, Subject
from .scoring import compute_results, returned_counts


def _no_admins(user) -> None:
    """The 三员 have no business with reviews, whatever other role they might hold."""
    if user.has_role(Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR):
        raise PermissionDenied


@login_required
def round_list(request):
    user = request.user
    _no_admins(user)
    if not user.has_role(Role.SUPERVISOR, Role.LEADER, Role.UNIT, Role.RATER):
        raise PermissionDenied
    rounds = visible_reviews(user).annotate(n_subjects=Count("subjects")).order_by("-year", "-date", "-id")
    voted = Participation.objects.filter(review=OuterRef("pk"), user=user)
    ballots = rater_reviews(user).annotate(voted=Exists(voted)).order_by("-year", "-date", "-id")
    return render(request, "reviews/round_list.html", {
        "rounds": rounds, "ballots": ballots, "can_create": user.is_supervisor,
        "reads": user.has_role(Role.SUPERVISOR, Role.LEADER, Role.UNIT),
    })  # fmt: skip


@login_required
def round_create(request):
    require_supervisor(request.user)
    today = timezone.localdate()
    form = ReviewForm(request.POST or None, initial={
        "title": f"{today.year}年度机关党建述职评议",  # the round's name is data, in the organs' own words
        "year": today.year, "date": today,
    })  # fmt: skip
    if request.method == "POST" and form.is_valid():
        review = services.create_review(actor=request.user, **form.cleaned_data)
        messages.success(
            request, _("Round created with the usual groups, options and grades; adjust them if needed.")
        )
        return redirect("reviews_round_detail", code=review.code)
    return render(request, "reviews/round_form.html", {"form": form, "review": None})


@login_required
def round_edit(request, code):
    require_supervisor(request.user)
    review = get_object_or_404(Review, code=code)
    form = ReviewForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_review(actor=request.user, review=review, **form.cleaned_data)
        except services.ReviewError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Saved."))
        return redirect("reviews_round_detail", code=review.code)
    return render(request, "reviews/round_form.html", {"form": form, "review": review})


@login_required
def round_rules(request, code):
    require_supervisor(request.user)
    review = get_object_or_404(Review, code=code)
    if not review.is_draft:
        messages.error(request, _("The rules are fixed once voting has opened."))
        return redirect("reviews_round_detail", code=review.code)
    form = RulesForm.for_review(review, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_rules(actor=request.user, review=review, **form.cleaned_data)
        except services.ReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Rules saved."))
            return redirect("reviews_round_detail", code=review.code)
    return render(request, "reviews/rules_form.html", {"form": form, "review": review})


@login_required
def round_detail(request, code):
    review, access = get_review(request.user, code)
    context = {"review": review, "access": access, "subjects": review.subjects.select_related("unit")}
    if access.manage:
        totals = returned_counts(review)
        context.update(totals=totals, small_groups=services.small_groups(review, totals))
        if review.is_draft:
            context["problems"] = services.readiness_problems(review)
        if review.status == Review.Status.CLOSED:
            context["publish_form"] = PublishForm(initial={"document_number": review.document_number})
    if access.results:
        context["results"] = compute_results(review)
    if request.htmx and request.GET.get("part") == "returned" and access.manage:
        return render(request, "reviews/round_detail.html#returned", context)
    return render(request, "reviews/round_detail.html", context)


@login_required
@require_POST
def round_action(request, code, action):
    require_supervisor(request.user)
    review = get_object_or_404(Review, code=code)
    steps = {
        "open": (services.open_review, _("Voting is open.")),
        "close": (services.close_review, _("Voting is closed. The results are below.")),
    }
    try:
        if action in steps:
            step, done = steps[action]
            step(actor=request.user, review=review)
        elif action == "publish":
            form = PublishForm(request.POST)
            if not form.is_valid():
                raise services.ReviewError(" ".join(e for errs in form.errors.values() for e in errs))
            services.publish_review(actor=request.user, review=review, **form.cleaned_data)
            done = _("The results are published to the units under review and to the city leaders.")
        else:
            raise Http404
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("reviews_round_detail", code=review.code)


# ——— subjects ———


@login_required
def subject_form(request, code, subject_code=None):
    require_supervisor(request.user)
    review = get_object_or_404(Review, code=code)
    subject = get_object_or_404(Subject, review=review, code=subject_code) if subject_code else None
    form = SubjectForm(request.POST or None, request.FILES or None, instance=subject)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {"organisation": data["organisation"], "unit": data["unit"], "secretary": data["secretary"],
                  "report": data.get("report_file")}  # fmt: skip
        try:
            if subject:
                services.update_subject(actor=request.user, subject=subject, **fields)
            else:
                services.add_subject(actor=request.user, review=review, **fields)
        except services.ReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            if "again" in request.POST:
                return redirect("reviews_subject_create", code=review.code)
            return redirect("reviews_round_detail", code=review.code)
    return render(request, "reviews/subject_form.html", {"form": form, "review": review, "subject": subject})


@login_required
@require_POST
def subject_delete(request, code, subject_code):
    require_supervisor(request.user)
    subject = get_object_or_404(
        Subject.objects.select_related("review"), review__code=code, code=subject_code
    )
    try:
        services.delete_subject(actor=request.user, subject=subject)
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Removed."))
    return redirect("reviews_round_detail", code=code)


@login_required
def subject_report(request, code, subject_code):
    _no_admins(request.user)
    subject = get_object_or_404(
        Subject.objects.select_related("review"), review__code=code, code=subject_code
    )
    if not subject.report or not may_read_report(request.user, subject):
        raise Http404
    try:
        handle = subject.report.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = subject.report_name.lower().endswith(".pdf")
    record(actor=request.user, action="reviews.report.download", obj=subject, after={"file": subject.report_name})
    response = FileResponse(handle, as_attachment=not inline, filename=subject.report_name or "report")
    response["Cache-Control"] = "private, max-age=600"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


# ——— downloads ———


def _results_for_download(request, code):
    review, access = get_review(request.user, code)
    if not access.downloads:
        raise Http404
    return compute_results(review)


@login_required
def results_xlsx(request, code):
    results = _results_for_download(request, code)
    record(actor=request.user, action="reviews.results.export", obj=results.review, after={"format": "xlsx"})
    response = HttpResponse(results_xlsx_bytes(results), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{filename(results.review, '结果', 'xlsx')}"
    )
    return response


@login_required
def results_docx(request, code):
    results = _results_for_download(request, code)
    record(actor=request.user, action="reviews.results.export", obj=results.review, after={"format": "docx"})
    response = HttpResponse(circular_docx_bytes(results), content_type=DOCX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{filename(results.review, '通报', 'docx')}"
    )
    return response
