"""The evidence-checks board: reports whose text or photos were flagged, newest first."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from tuijin.org.models import Role, Unit
from tuijin.tasks.models import Evidence, Plan, Report, Task

from .evidence_checks import check_flags_for, describe_flag, flag_counts, flag_kinds

PAGE_SIZE = 30


class ChecksFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Flag"), required=False)
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=Plan.objects.none(), required=False, to_field_name="code"
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.active(), required=False)

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All flags")), *flag_kinds()]
        self.fields["plan"].queryset = Plan.objects.filter(pk__in=tasks.values("plan_id"))

    def filter(self, reports):
        data = self.cleaned_data
        if data.get("plan"):
            reports = reports.filter(task__plan=data["plan"])
        if data.get("unit"):
            reports = reports.filter(unit=data["unit"])
        return reports


def _describe_all(reports) -> None:
    for report in reports:
        report.described_flags = [(flag, describe_flag(flag)) for flag in report.flags]
        for photo in report.flagged_photos:
            photo.described_flags = [(flag, describe_flag(flag)) for flag in photo.flags]


@login_required
def evidence_checks(request):
    user = request.user
    # Supervisors and leaders read every plan's flags; unit users those on their units' tasks.
    if not (user.sees_all_tasks or user.has_role(Role.UNIT)):
        raise PermissionDenied
    tasks = Task.objects.visible_to(user)
    reports = Report.objects.filter(task__in=tasks)
    form = ChecksFilterForm(request.GET or None, tasks=tasks)
    kind = ""
    if form.is_valid():
        reports = form.filter(reports)
        kind = form.cleaned_data["kind"]
    counts = flag_counts(check_flags_for(reports))
    flagged = (
        check_flags_for(reports, kind)
        .select_related("task__plan", "unit", "author")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.exclude(flags=[]).order_by("id"),
                to_attr="flagged_photos",
            )
        )
        .order_by("-created_at", "-id")
    )
    page = Paginator(flagged, PAGE_SIZE).get_page(request.GET.get("page"))
    _describe_all(page.object_list)
    context = {
        "form": form,
        "page": page,
        "counts": [(code, label, counts[code]) for code, label in flag_kinds()],
        "kind": kind,
        "links_to_other_tasks": user.sees_all_tasks,
    }
    template = (
        "supervision/checks_board.html#table"
        if request.htmx and not request.htmx.boosted
        else "supervision/checks_board.html"
    )
    return render(request, template, context)
