"""Round pages: the ranking per group, review and publish, one unit's score sheet, and the downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.core.audit import record
from tuijin.org.models import UnitKind

from . import services
from .access import get_round, may_see_unit_scores, reads_all, require_supervisor
from .models import Result, Round, Score
from .periods import chinese_label

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def group_label(kind: str) -> str:
    return str(dict(UnitKind.choices).get(kind, kind))


def ranking_groups(round_: Round, results: list[Result], points: dict[int, dict[str, object]], columns):
    """[(kind, label, [(result, [points per column])])] in the scheme's group order."""
    order = {kind: i for i, kind in enumerate(round_.snapshot.get("groups", []))}
    groups: dict[str, list] = {}
    for result in results:
        row = points.get(result.unit_id, {})
        groups.setdefault(result.group, []).append((result, [row.get(name) for name in columns]))
    return [
        (kind, group_label(kind), rows)
        for kind, rows in sorted(groups.items(), key=lambda g: order.get(g[0], 99))
    ]


@login_required
def round_detail(request, code):
    round_, access = get_round(request.user, code)
    results = (
        Result.objects.filter(round=round_).select_related("unit").order_by("group", "rank", "unit_name")
    )
    scores = Score.objects.filter(round=round_)
    if not access.full:
        results = results.filter(unit_id__in=access.own_units)
        scores = scores.filter(unit_id__in=access.own_units)
    columns: list[str] = []
    points: dict[int, dict[str, object]] = {}
    for unit_id, name, value in scores.order_by("position", "id").values_list(
        "unit_id", "indicator_name", "points"
    ):
        if name not in columns:
            columns.append(name)
        points.setdefault(unit_id, {})[name] = value
    results = list(results)
    groups = ranking_groups(round_, results, points, columns)
    chart = [
        {
            "label": label,
            "names": [r.unit_name for r, _p in rows],
            "totals": [float(r.total) for r, _p in rows],
        }
        for _kind, label, rows in groups
    ]
    versions = Round.objects.filter(scheme_id=round_.scheme_id, period=round_.period).order_by("-version")
    if not reads_all(request.user):
        versions = versions.filter(state=Round.State.PUBLISHED)
    return render(request, "assessment/round_detail.html", {
        "round": round_, "access": access, "groups": groups, "columns": columns, "chart": chart,
        "period_label": chinese_label(round_.period), "versions": versions,
        "reads_all": reads_all(request.user),
    })  # fmt: skip


@login_required
@require_POST
def round_action(request, code, action):
    require_supervisor(request.user)
    round_ = get_object_or_404(Round, code=code)
    try:
        if action == "review":
            services.review_round(actor=request.user, round=round_)
            messages.success(request, _("Round marked as reviewed."))
        elif action == "publish":
            round_ = services.publish_round(actor=request.user, round=round_)
            messages.success(
                request, _("Round published as %(number)s.") % {"number": round_.document_number}
            )
        elif action == "recompute":
            round_ = services.compute_round(actor=request.user, scheme=round_.scheme, period=round_.period)
            messages.success(request, _("Round computed: version %(v)s.") % {"v": round_.version})
        else:
            raise Http404
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    return redirect("round_detail", code=round_.code)


@login_required
def score_detail(request, code, unit_code):
    round_, access = get_round(request.user, code)
    result = get_object_or_404(Result.objects.select_related("unit"), round=round_, unit__code=unit_code)
    if not may_see_unit_scores(request.user, result.unit_id):
        raise Http404
    scores = Score.objects.filter(round=round_, unit_id=result.unit_id).order_by("position", "id")
    base = None if round_.snapshot.get("method") == "weighted" else round_.snapshot.get("base_score")
    return render(request, "assessment/score_detail.html", {
        "round": round_, "access": access, "result": result, "scores": scores, "base": base,
        "group_label": group_label(result.group),
    })  # fmt: skip


def _download_round(request, code) -> Round:
    round_, access = get_round(request.user, code)
    if not access.full:
        raise Http404
    return round_


@login_required
def round_circular_docx(request, code):
    from .services.circular import circular_docx_bytes, circular_filename

    round_ = _download_round(request, code)
    record(actor=request.user, action="assessment.round.export", obj=round_, after={"format": "docx"})
    response = HttpResponse(circular_docx_bytes(round_), content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{circular_filename(round_, 'docx')}"
    return response


@login_required
def round_scores_xlsx(request, code):
    from .services.export import circular_filename, scores_xlsx_bytes

    round_ = _download_round(request, code)
    record(actor=request.user, action="assessment.round.export", obj=round_, after={"format": "xlsx"})
    response = HttpResponse(scores_xlsx_bytes(round_), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{circular_filename(round_, 'xlsx')}"
    return response
