"""The supervision office's pages: categories and their clocks, the policy, enterprise accounts, import; and the
export every staff reader may take of what they see."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import record
from tuijin.org.models import User

from . import access, services, spreadsheet
from .forms import AccountForm, CategoryForm, ImportForm, PolicyForm
from .models import Category, EnterpriseAccount, Policy
from .tick import callback_coverage
from .views import PAGE_SIZE, filtered

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
def settings_page(request):
    user = request.user
    access.require_supervisor(user)
    policy = Policy.current()
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_policy(actor=user, **{k: form.cleaned_data[k] for k in PolicyForm.Meta.fields})
        except services.DeskError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("servicedesk_settings")
    called, closed = callback_coverage(timezone.now())
    context = {"form": form, "categories": Category.objects.select_related("default_unit"),
               "called": called, "closed": closed, "policy": policy}  # fmt: skip
    return render(request, "servicedesk/settings.html", context, status=400 if form.errors else 200)


@login_required
def category_form(request, code=None):
    user = request.user
    access.require_supervisor(user)
    category = get_object_or_404(Category, code=code) if code else None
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in CategoryForm.Meta.fields}
        try:
            services.save_category(actor=user, category=category, **values)
        except services.DeskError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("Category saved."))
            return redirect("servicedesk_settings")
    return render(request, "servicedesk/category_form.html", {"form": form, "category": category},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def accounts(request):
    user = request.user
    access.require_supervisor(user)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = User.objects.filter(username=form.cleaned_data["username"].strip()).first()
        if target is None:
            form.add_error("username", _("No account with this login."))
        else:
            try:
                services.link_account(actor=user, user=target, enterprise=form.cleaned_data["enterprise"])
            except services.DeskError as exc:
                form.add_error("username", exc.message)
            else:
                messages.success(request, _("%(u)s now speaks for %(e)s.") % {
                    "u": target, "e": form.cleaned_data["enterprise"]})  # fmt: skip
                return redirect("servicedesk_accounts")
    links = EnterpriseAccount.objects.select_related("user", "enterprise").order_by("enterprise__name", "pk")
    page = Paginator(links, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "servicedesk/accounts.html", {"form": form, "links": page, "page": page},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def export_xlsx(request):
    user = request.user
    access.require_staff(user)
    _form, requests = filtered(user, request.GET)
    buffer = io.BytesIO()
    count = spreadsheet.write_requests(buffer, requests)
    record(actor=user, action="servicedesk.export", object_type="servicedesk.servicerequest",
           after={"rows": count, "filters": request.GET.dict()})  # fmt: skip
    return _xlsx(buffer.getvalue(), f"service-requests-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def import_page(request):
    user = request.user
    access.require_supervisor(user)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            result = spreadsheet.import_requests(form.cleaned_data["file"], actor=user)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            problems = result.problems
            if not problems:
                messages.success(request, _("%(n)d requests imported.") % {"n": len(result.created)})
                return redirect("servicedesk_list")
    status = 400 if (form.errors or problems) else 200
    return render(request, "servicedesk/import.html", {"form": form, "problems": problems,
                                                        "columns": spreadsheet.COLUMNS}, status=status)  # fmt: skip


@login_required
def import_template(request):
    access.require_supervisor(request.user)
    buffer = io.BytesIO()
    spreadsheet.template(buffer)
    return _xlsx(buffer.getvalue(), "service-requests-template.xlsx")
