"""Assessment pages: the home page, schemes and their indicators, computing a round, manual scores and
adjustments. Round pages and downloads are in views_rounds.py."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.core.audit import record

from . import registry, services
from .access import may_see_unit_scores, reads_all, require_reader, require_supervisor, visible_rounds
from .forms import AdjustmentForm, ComputeForm, IndicatorForm, ManualScoreForm, SchemeForm
from .models import Adjustment, Indicator, ManualScore, Scheme
from .periods import previous_period

PAGE_SIZE = 30


@login_required
def assessment_home(request):
    require_reader(request.user)
    rounds = visible_rounds(request.user).select_related("scheme").order_by("-computed_at", "-id")
    page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
    schemes = Scheme.objects.annotate(n_indicators=Count("indicators")).order_by("-is_active", "name")
    return render(request, "assessment/home.html", {
        "schemes": schemes, "page": page, "reads_all": reads_all(request.user),
        "own_units": request.user.unit_ids(),
    })  # fmt: skip


@login_required
def scheme_detail(request, code):
    require_reader(request.user)
    scheme = get_object_or_404(Scheme, code=code)
    rounds = visible_rounds(request.user).filter(scheme=scheme).order_by("-period", "-version")[:24]
    default_period = previous_period(scheme.period_kind, timezone.localdate())
    calculators = dict(registry.choices())
    return render(request, "assessment/scheme_detail.html", {
        "scheme": scheme, "plans": scheme.plans.all(), "rounds": rounds,
        "indicators": [
            (i, calculators.get(i.calculator, i.calculator), json.dumps(i.params, ensure_ascii=False) if i.params else "")
            for i in scheme.indicators.all()
        ],
        "compute_form": ComputeForm(scheme=scheme, initial={"period": default_period}),
        "can_edit": request.user.is_supervisor,
    })  # fmt: skip


@login_required
def scheme_form(request, code=None):
    require_supervisor(request.user)
    scheme = get_object_or_404(Scheme, code=code) if code else None
    form = SchemeForm(request.POST or None, instance=scheme or Scheme())
    if request.method == "POST" and form.is_valid():
        scheme = services.save_scheme(actor=request.user, scheme=scheme, plans=list(form.cleaned_data["plans"]),
                                      **form.service_fields())  # fmt: skip
        messages.success(request, _("Scheme saved."))
        return redirect("scheme_detail", code=scheme.code)
    return render(request, "assessment/scheme_form.html", {"form": form, "scheme": scheme})


@login_required
def indicator_form(request, code, indicator_code=None):
    require_supervisor(request.user)
    scheme = get_object_or_404(Scheme, code=code)
    indicator = get_object_or_404(Indicator, scheme=scheme, code=indicator_code) if indicator_code else None
    form = IndicatorForm(request.POST or None, instance=indicator or Indicator(scheme=scheme))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_indicator(
                actor=request.user, scheme=scheme, indicator=indicator, **form.service_fields()
            )
        except services.AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Indicator saved."))
            return redirect("scheme_detail", code=scheme.code)
    return render(
        request, "assessment/indicator_form.html", {"form": form, "scheme": scheme, "indicator": indicator}
    )


@login_required
@require_POST
def indicator_delete(request, code, indicator_code):
    require_supervisor(request.user)
    indicator = get_object_or_404(Indicator, scheme__code=code, code=indicator_code)
    services.delete_indicator(actor=request.user, indicator=indicator)
    messages.success(request, _("Indicator removed. Rounds already computed keep it."))
    return redirect("scheme_detail", code=code)


@login_required
@require_POST
def scheme_compute(request, code):
    require_supervisor(request.user)
    scheme = get_object_or_404(Scheme, code=code)
    form = ComputeForm(request.POST, scheme=scheme)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("period", [])))
        return redirect("scheme_detail", code=scheme.code)
    try:
        round_ = services.compute_round(actor=request.user, scheme=scheme, period=form.cleaned_data["period"])
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("scheme_detail", code=scheme.code)
    messages.success(request, _("Round computed: version %(v)s.") % {"v": round_.version})
    return redirect("round_detail", code=round_.code)


def _entries_page(request, scheme, form_class, entries, template, save):
    """The list of entries for a period with the form to add one (supervisors only add)."""
    period = request.GET.get("period") or previous_period(scheme.period_kind, timezone.localdate())
    form = None
    if request.user.is_supervisor:
        form = form_class(
            request.POST or None, request.FILES or None, scheme=scheme, initial={"period": period}
        )
        if request.method == "POST" and form.is_valid():
            try:
                save(form.cleaned_data)
            except services.AssessmentError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{request.path}?period={form.cleaned_data['period']}")
    elif request.method == "POST":
        require_supervisor(request.user)
    entries = entries.filter(period=period).select_related("unit", "entered_by")
    if not reads_all(request.user):
        entries = entries.filter(unit_id__in=request.user.unit_ids())
    return render(request, template, {"scheme": scheme, "form": form, "entries": entries, "period": period},
                  status=400 if form is not None and form.errors else 200)  # fmt: skip


@login_required
def manual_scores(request, code):
    require_reader(request.user)
    scheme = get_object_or_404(Scheme, code=code)

    def save(data):
        services.enter_manual_score(actor=request.user, scheme=scheme, period=data["period"], unit=data["unit"],
                                    indicator=data["indicator"], points=data["points"], reason=data["reason"],
                                    checked=data.get("evidence"))  # fmt: skip

    entries = ManualScore.objects.filter(scheme=scheme).select_related("indicator")
    return _entries_page(request, scheme, ManualScoreForm, entries, "assessment/manual_scores.html", save)


@login_required
def adjustments(request, code):
    require_reader(request.user)
    scheme = get_object_or_404(Scheme, code=code)

    def save(data):
        services.add_adjustment(actor=request.user, scheme=scheme, period=data["period"], unit=data["unit"],
                                kind=data["kind"], points=data["points"], reason=data["reason"])  # fmt: skip

    entries = Adjustment.objects.filter(scheme=scheme)
    return _entries_page(request, scheme, AdjustmentForm, entries, "assessment/adjustments.html", save)


@login_required
@require_POST
def entry_delete(request, code, kind, entry_code):
    require_supervisor(request.user)
    if kind == "manual":
        entry = get_object_or_404(ManualScore, scheme__code=code, code=entry_code)
        services.delete_manual_score(actor=request.user, entry=entry)
        target = "manual_scores"
    elif kind == "adjustment":
        entry = get_object_or_404(Adjustment, scheme__code=code, code=entry_code)
        services.delete_adjustment(actor=request.user, entry=entry)
        target = "adjustments"
    else:
        raise Http404
    messages.success(request, _("Entry removed."))
    return redirect(f"{redirect(target, code=code).url}?period={entry.period}")


@login_required
def manual_evidence(request, code):
    require_reader(request.user)
    entry = get_object_or_404(ManualScore, code=code)
    if not entry.evidence or not may_see_unit_scores(request.user, entry.unit_id):
        raise Http404
    try:
        handle = entry.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record(actor=request.user, action="assessment.manual_score.download", obj=entry,
           after={"file": entry.evidence_name or entry.evidence.name})  # fmt: skip
    return FileResponse(handle, as_attachment=True, filename=entry.evidence_name or entry.evidence.name)
