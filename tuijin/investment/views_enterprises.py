"""Enterprise pages: the register with search, an enterprise with its contacts and all its projects, the forms
that add and change them (with the duplicate warning)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, services
from .forms import ContactForm, EnterpriseForm
from .models import COUNTING_RULES, Contact, Origin, Project

PAGE_SIZE = 50


@login_required
def enterprise_list(request):
    user = request.user
    access.require_pipeline(user)
    q = (request.GET.get("q") or "").strip()
    origin = request.GET.get("origin") or ""
    visible_projects = Project.objects.visible_to(user)
    enterprises = access.enterprises_visible_to(user).annotate(
        n_projects=Count("projects", filter=Q(projects__in=visible_projects), distinct=True)
    )
    if q:
        enterprises = enterprises.filter(
            Q(name__icontains=q)
            | Q(credit_code=q.upper())
            | Q(industry__icontains=q)
            | Q(name_key__icontains=services.normalise_name(q) or q)
        )
    if origin in Origin.values:
        enterprises = enterprises.filter(origin=origin)
    page = Paginator(enterprises.order_by("name", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    template = "investment/enterprise_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#table"
    return render(request, template, {"page": page, "q": q, "origin": origin, "origins": Origin.choices,
                                      "can_create": access.is_officer(user)})  # fmt: skip


@login_required
def enterprise_detail(request, code):
    user = request.user
    enterprise = access.get_visible_enterprise(user, code)
    projects = Project.objects.visible_to(user).filter(enterprise=enterprise)
    return render(request, "investment/enterprise_detail.html", {
        "enterprise": enterprise,
        "contacts": enterprise.contacts.all(),
        "projects": projects.for_list().order_by("-stage_since"),
        "total": projects.counted_signings().signed_total(),
        "can_edit": access.is_officer(user),
        "counting_rules": COUNTING_RULES,
    })  # fmt: skip


@login_required
def enterprise_form(request, code=None):
    user = request.user
    access.require_pipeline(user)
    if not access.is_officer(user):
        raise PermissionDenied
    enterprise = access.get_visible_enterprise(user, code) if code else None
    form = EnterpriseForm(request.POST or None, instance=enterprise)
    similar = []
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in EnterpriseForm.Meta.fields}
        confirm = bool(request.POST.get("confirm_duplicate"))
        try:
            if enterprise is None:
                enterprise = services.create_enterprise(actor=user, confirm_duplicate=confirm, **data)
            else:
                enterprise = services.update_enterprise(actor=user, enterprise=enterprise, confirm_duplicate=confirm,
                                                        **data)  # fmt: skip
        except services.DuplicateEnterprise as exc:
            similar = [(other, round(ratio * 100)) for other, ratio in exc.similar]
            form.instance.pk = enterprise.pk if enterprise else None
        except services.PipelineError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Enterprise saved."))
            return redirect("investment_enterprise_detail", code=enterprise.code)
    return render(request, "investment/enterprise_form.html", {
        "form": form, "enterprise": enterprise, "similar": similar,
    }, status=400 if (form.errors or similar) else 200)  # fmt: skip


@login_required
def contact_form(request, code, contact_code=None):
    user = request.user
    enterprise = access.get_visible_enterprise(user, code)
    if not access.is_officer(user):
        raise PermissionDenied
    contact = get_object_or_404(Contact, code=contact_code, enterprise=enterprise) if contact_code else None
    form = ContactForm(request.POST or None, viewer=user, contact=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_contact(actor=user, enterprise=enterprise, contact=contact, **form.cleaned_data)
        except services.PipelineError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Contact saved."))
            return redirect("investment_enterprise_detail", code=enterprise.code)
    return render(request, "investment/simple_form.html", {
        "form": form, "title": _("Contact"), "subtitle": enterprise.name,
        "back": reverse("investment_enterprise_detail", args=[enterprise.code]),
    }, status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_POST
def contact_delete(request, code, contact_code):
    user = request.user
    enterprise = access.get_visible_enterprise(user, code)
    if not access.is_officer(user):
        raise PermissionDenied
    contact = get_object_or_404(Contact, code=contact_code, enterprise=enterprise)
    services.delete_contact(actor=user, contact=contact)
    messages.success(request, _("Contact removed."))
    return redirect("investment_enterprise_detail", code=enterprise.code)
