"""The enterprise portal (企业诉求 for enterprises, made for phones): its own requests, raising one, rating the
reply. Only applicant logins linked to an enterprise (EnterpriseAccount) use it; an applicant without a link sees
a page that says so."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.org.models import Role

from . import access, services
from .forms import PortalRequestForm, RateForm
from .models import Event, ServiceRequest
from .views import PAGE_SIZE


def _account(user):
    account = access.enterprise_account(user)
    if account is None:
        raise PermissionDenied
    return account


@login_required
def portal(request):
    user = request.user
    if not user.has_role(Role.APPLICANT):
        raise PermissionDenied
    account = access.enterprise_account(user)
    page = None
    if account is not None:
        requests = ServiceRequest.objects.filter(enterprise_id=account.enterprise_id).for_list()
        page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "servicedesk/portal.html", {"account": account, "requests": page or [], "page": page,
                                                        "now": timezone.now()})  # fmt: skip


@login_required
def portal_create(request):
    account = _account(request.user)
    form = PortalRequestForm(request.POST or None, request.FILES or None, enterprise=account.enterprise)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req = services.raise_request(actor=request.user, category=data["category"], enterprise=account.enterprise,
                                         project=data["project"], title=data["title"], description=data["description"],
                                         contact_name=data["contact_name"], files=data["files"])  # fmt: skip
        except services.DeskError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, _("Your request %(n)s has been sent to %(u)s.") % {"n": req.number, "u": req.unit}
            )
            return redirect("servicedesk_portal_detail", req.code)
    return render(request, "servicedesk/portal_form.html", {"form": form, "account": account},
                  status=400 if form.errors else 200)  # fmt: skip


PUBLIC_STEPS = {Event.Kind.RAISED, Event.Kind.ACKNOWLEDGED, Event.Kind.TRANSFERRED, Event.Kind.EXTENSION_APPROVED,
                Event.Kind.REPLIED, Event.Kind.RATED, Event.Kind.REOPENED, Event.Kind.CLOSED, Event.Kind.ATTACHED}  # fmt: skip


def _portal_request(user, code) -> ServiceRequest:
    _account(user)
    return access.get_visible(user, code)


@login_required
def portal_detail(request, code, form=None):
    req = _portal_request(request.user, code)
    events = req.events.filter(kind__in=PUBLIC_STEPS).select_related("unit")
    context = {"req": req, "events": events, "attachments": req.attachments.all(), "now": timezone.now(),
               "form": form or RateForm()}  # fmt: skip
    return render(request, "servicedesk/portal_detail.html", context, status=400 if form is not None else 200)


@login_required
@require_POST
def portal_rate(request, code):
    req = _portal_request(request.user, code)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            req = services.rate(actor=request.user, request=req, **form.cleaned_data)
        except services.DeskError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if req.state == "reopened":
                messages.info(
                    request,
                    _("Thank you. The request goes back to %(u)s to be handled again.") % {"u": req.unit},
                )
            else:
                messages.success(request, _("Thank you for your rating."))
            return redirect("servicedesk_portal_detail", req.code)
    return portal_detail(request, code, form=form)
