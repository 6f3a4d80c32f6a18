"""The applicants' self-service portal (mobile first): apply, follow each application — its review, publicity,
queue position and why — and the lease. An applicant sees only their own; a space manager reviews them all."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.core.audit import record
from tuijin.tasks.evidence import stored_content_type

from . import services
from .access import require_applicant, scope_of, visible_applications, visible_documents
from .forms import ApplicationForm, ReasonForm, ReviewForm
from .models import Application, Lease, Policy, SpaceKind
from .queue import queue_of, standing

PORTAL_PAGE_SIZE = 20  # a phone screen's worth of one's own applications


@login_required
def portal(request):
    """My applications and my lease, with where I stand and why."""
    require_applicant(request.user)
    applications = (
        Application.objects.filter(applicant=request.user)
        .select_related("policy")
        .order_by("-submitted_at", "-pk")
    )
    page = Paginator(applications, PORTAL_PAGE_SIZE).get_page(request.GET.get("page"))
    queues = {}
    for application in page:
        if application.state == Application.State.QUEUED:
            if application.kind not in queues:
                queues[application.kind] = queue_of(application.kind, application.policy)
            application.standing = standing(application, queues[application.kind])
    leases = Lease.objects.filter(tenant=request.user).select_related("space__building", "application")
    return render(request, "spaces/portal.html", {
        "applications": page, "page": page, "leases": leases, "policies": Policy.objects.all(),
    })  # fmt: skip


@login_required
def apply(request, kind):
    require_applicant(request.user)
    if kind not in SpaceKind.values:
        raise Http404
    policy = get_object_or_404(Policy, kind=kind)
    form = ApplicationForm(request.POST or None, request.FILES or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.submit_application(
                actor=request.user, policy=policy, category=data["category"], name=data["name"],
                id_number=data["id_number"], phone=data["phone"], employer=data["employer"],
                credit_code=data.get("credit_code", ""), score_items=data.get("score_items", []),
                note=data["note"], documents=data["documents"],
            )  # fmt: skip
        except services.SpacesError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Application %(n)s submitted.") % {"n": application.number})
            return redirect("spaces_application", code=application.code)
    return render(request, "spaces/apply.html", {"form": form, "policy": policy})


@login_required
def application_detail(request, code):
    application = get_object_or_404(
        visible_applications(request.user).select_related(
            "policy", "applicant", "first_reviewed_by", "second_reviewed_by"
        ),
        code=code,
    )
    scope = scope_of(request.user)
    lease = Lease.objects.filter(application=application).select_related("space__building").first()
    return render(request, "spaces/application_detail.html", {
        "application": application, "scope": scope, "standing": standing(application),
        "documents": application.documents.all(), "lease": lease,
        "review_form": ReviewForm() if scope.is_manager else None,
        "objection_form": ReasonForm() if scope.is_manager else None,
        "is_mine": application.applicant_id == request.user.pk,
    })  # fmt: skip


@login_required
def document_file(request, code):
    """A document of an application: only to the applicant and the reviewers; always a download."""
    document = get_object_or_404(visible_documents(request.user), code=code)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    head = handle.read(16)
    handle.seek(0)
    record(actor=request.user, action="spaces.document.download", obj=document.application,
           object_repr=document.original_name)  # fmt: skip
    response = FileResponse(handle, as_attachment=True, filename=document.original_name,
                            content_type=stored_content_type(document.kind, head))  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def application_withdraw(request, code):
    application = get_object_or_404(visible_applications(request.user), code=code)
    if application.applicant_id != request.user.pk:
        raise PermissionDenied
    try:
        services.withdraw(actor=request.user, application=application)
    except services.SpacesError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Application withdrawn."))
    return redirect("spaces_application", code=application.code)
