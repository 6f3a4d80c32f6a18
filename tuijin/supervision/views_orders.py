"""Pages for supervision orders: the list with the rules' suggestions, an order's page, issuing, the .docx."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tuijin.core.audit import record
from tuijin.tasks.access import get_visible_task

from . import orders as services
from .forms_orders import (
    AcceptForm,
    EscalateForm,
    InterviewForm,
    IssueOrderForm,
    OrderFilterForm,
    RespondForm,
)
from .models import Interview
from .order_docs import build_order_document

PAGE_SIZE = 50


def _require_reader(user) -> None:
    if not services.may_read_orders(user):
        raise PermissionDenied


@login_required
def order_list(request):
    user = request.user
    _require_reader(user)
    orders = services.visible_orders(user)
    form = OrderFilterForm(request.GET or None, orders=orders)
    if form.is_valid():
        orders = form.filter(orders)
    orders = orders.select_related("task__plan", "unit").order_by("-issued_at", "-id")
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    if request.htmx and not request.htmx.boosted:
        return render(request, "supervision/order_list.html#table", {"form": form, "page": page})
    suggestions = services.suggest_orders(now=timezone.now()) if user.is_supervisor else []
    return render(
        request, "supervision/order_list.html", {"form": form, "page": page, "suggestions": suggestions}
    )


def _detail_context(request, order, **forms) -> dict:
    try:
        interview = order.interview
    except Interview.DoesNotExist:
        interview = None
    return {
        "order": order,
        "task": order.task,
        "actions": services.allowed_actions(request.user, order),
        "chain": services.order_chain(order),
        "late": bool(
            order.responded_at
            and order.due_date
            and timezone.localtime(order.responded_at).date() > order.due_date
        ),
        "interview": interview,
        "respond_form": forms.get("respond_form") or RespondForm(),
        "accept_form": forms.get("accept_form") or AcceptForm(),
        "escalate_form": forms.get("escalate_form") or EscalateForm(),
        "interview_form": forms.get("interview_form")
        or InterviewForm(initial={"held_on": timezone.localdate()}),
    }


def _get_order(request, code):
    _require_reader(request.user)
    return services.get_visible_order(request.user, code)


@login_required
def order_detail(request, code):
    order = _get_order(request, code)
    return render(request, "supervision/order_detail.html", _detail_context(request, order))


ACTIONS = {
    "respond": (RespondForm, "respond_form", services.respond_order, gettext_lazy("Response sent.")),
    "accept": (AcceptForm, "accept_form", services.accept_order, gettext_lazy("Order accepted and closed.")),
    "escalate": (EscalateForm, "escalate_form", services.escalate_order,
                 gettext_lazy("Escalated: the next order is issued.")),
    "interview": (InterviewForm, "interview_form", services.record_interview, gettext_lazy("Interview recorded.")),
}  # fmt: skip


@login_required
@require_POST
def order_action(request, code, action):
    order = _get_order(request, code)
    if action not in ACTIONS:
        raise Http404
    form_class, form_name, service, done = ACTIONS[action]
    if action not in services.allowed_actions(request.user, order):
        raise PermissionDenied
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        context = _detail_context(request, order, **{form_name: form})
        return render(request, "supervision/order_detail.html", context, status=400)
    try:
        result = service(actor=request.user, order=order, **form.cleaned_data)
    except services.OrderError as exc:
        messages.error(request, str(exc))
        return redirect("order_detail", code=order.code)
    messages.success(request, str(done))
    target = result if action == "escalate" else order
    return redirect("order_detail", code=target.code)


@login_required
def order_issue(request, task_code):
    if not request.user.is_supervisor:
        raise PermissionDenied
    task = get_visible_task(request.user, task_code)
    levels = services.issuable_levels(task, urgent=True)
    initial = {
        "level": request.GET.get("level") if request.GET.get("level") in levels else services.Level.BLUE,
        "suggested_by": request.GET.get("suggested_by", "")[:100],
    }
    form = IssueOrderForm(request.POST or None, levels=levels, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.issue_order(actor=request.user, task=task, **form.cleaned_data)
        except services.OrderError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Order issued: %(order)s") % {"order": order.document_number or
                                                                       order.get_level_display()})  # fmt: skip
            return redirect("order_detail", code=order.code)
    status = 400 if form.errors else 200
    return render(request, "supervision/order_issue.html", {"form": form, "task": task}, status=status)


@login_required
def order_docx(request, code):
    order = _get_order(request, code)
    document = build_order_document(order)
    name = order.document_number or f"{order.get_level_display()}-{order.task.number or order.pk}"
    record(
        actor=request.user, action="order.export", obj=order, after={"format": "docx", "file": f"{name}.docx"}
    )
    response = FileResponse(
        io.BytesIO(document.to_bytes()),
        as_attachment=True,
        filename=f"{name}.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Cache-Control"] = "private, no-store"
    return response
