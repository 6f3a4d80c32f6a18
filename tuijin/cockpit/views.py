"""The leaders' cockpit (领导驾驶舱): one page of figures, their JSON for the charts' refresh, and the list behind
every number."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tuijin.events.services import cockpit_countdown

from . import metrics, services, snapshots
from .forms import DrillDownForm, ScopeForm
from .metrics import Params, Scope

PAGE_SIZE = 50


def _scope(request) -> tuple[Scope, ScopeForm]:
    if not metrics.may_view(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    form = ScopeForm(request.GET, user=request.user, today=today)
    return Scope(request.user, today=today, **form.scope_args()), form


@login_required
@require_GET
def cockpit(request):
    scope, form = _scope(request)
    data = snapshots.cockpit_for(scope)
    context = {
        "cockpit": data,
        "trend": services.trend_json(data),
        "form": form,
        "wall": request.GET.get("wall") == "1",
        "event_countdown": cockpit_countdown(request.user, scope.today),
    }
    template = "cockpit/cockpit.html#figures" if request.htmx else "cockpit/cockpit.html"
    return render(request, template, context)


@login_required
@require_GET
def cockpit_data(request):
    scope, _form = _scope(request)
    return JsonResponse(services.as_json(snapshots.cockpit_for(scope)))


@login_required
@require_POST
def cockpit_recount(request):
    """“Recount now”: the figures of the scope in the query string counted afresh, then the cockpit again."""
    scope, _form = _scope(request)
    if snapshots.max_age() > 0 and not snapshots.recount_on_request(scope):
        messages.info(request, _("The figures were counted moments ago; they were not counted again."))
    return redirect(services.cockpit_url(scope))


@login_required
@require_GET
def cockpit_list(request, metric):
    if metric not in metrics.METRICS:
        raise Http404
    scope, _scope_form = _scope(request)
    form = DrillDownForm(request.GET)
    params = form.params() if form.is_valid() else Params()
    if metric == "orders":
        rows = metrics.order_list(scope, params).select_related("task", "unit")
    else:
        rows = metrics.task_list(scope, metric, params).for_list()
    context = {
        "metric": metric,
        "heading": metrics.describe(metric, params, scope),
        "scope": scope,
        "form": form,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "plan": None,
        "cockpit_url": services.cockpit_url(scope),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "cockpit/cockpit_list.html#rows", context)
    return render(request, "cockpit/cockpit_list.html", context)
