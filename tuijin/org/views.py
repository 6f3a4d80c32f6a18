"""Organisation pages: units and their liaison officers, importing units, users and roles, personal API tokens."""

import csv
import io
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from . import importing, services
from .forms import (
    LiaisonForm,
    MembershipForm,
    UnitFilterForm,
    UnitForm,
    UnitImportForm,
    UserCreateForm,
    UserFilterForm,
)
from .models import ApiToken, Liaison, Membership, Role, Unit, UnitKind, User

IMPORT_SESSION_KEY = "org.unit_import"


def _require(user, *roles: str) -> None:
    if not user.has_role(*roles):
        raise PermissionDenied


def _int(value) -> int:
    """A primary key posted by a form, or 404."""
    if not (value or "").isdigit():
        raise Http404
    return int(value)


def _shown_once(response: HttpResponse) -> HttpResponse:
    """A page carrying a password or key: never cached, so Back cannot show it again."""
    add_never_cache_headers(response)
    return response


# ——— units ———


@login_required
@vary_on_headers("HX-Request")
def unit_list(request):
    _require(request.user, *services.UNIT_MANAGERS)
    form = UnitFilterForm(request.GET)
    units = form.filter(Unit.objects.select_related("parent", "liaison").prefetch_related("aliases"))
    by_kind: dict[str, list[Unit]] = {}
    for unit in units:
        by_kind.setdefault(unit.kind, []).append(unit)
    groups = [(kind.label, by_kind[kind]) for kind in UnitKind if kind in by_kind]
    template = "org/unit_list.html#rows" if request.htmx else "org/unit_list.html"
    return render(
        request, template, {"form": form, "groups": groups, "total": sum(len(g) for _k, g in groups)}
    )


def _unit_form(request, unit: Unit | None):
    _require(request.user, *services.UNIT_MANAGERS)
    form = UnitForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            if unit is None:
                saved = services.create_unit(actor=request.user, **form.cleaned_data)
            else:
                saved = services.update_unit(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved %(unit)s.") % {"unit": saved})
            return redirect("unit_list")
    return render(request, "org/unit_form.html", {"form": form, "unit": unit})


@login_required
def unit_create(request):
    return _unit_form(request, None)


@login_required
def unit_edit(request, code):
    return _unit_form(request, get_object_or_404(Unit, code=code))


@login_required
@require_POST
def unit_set_active(request, code):
    _require(request.user, *services.UNIT_MANAGERS)
    unit = get_object_or_404(Unit, code=code)
    active = request.POST.get("active") == "1"
    services.set_unit_active(actor=request.user, unit=unit, active=active)
    if active:
        messages.success(request, _("%(unit)s is active again.") % {"unit": unit})
    else:
        messages.success(request, _("%(unit)s was deactivated.") % {"unit": unit})
    return redirect("unit_list")


@login_required
def unit_liaison(request, code):
    _require(request.user, *services.UNIT_MANAGERS)
    unit = get_object_or_404(Unit, code=code)
    liaison = Liaison.objects.filter(unit=unit).first()
    if request.method == "POST" and request.POST.get("action") == "remove":
        services.remove_liaison(actor=request.user, unit=unit)
        messages.success(request, _("Removed the liaison officer of %(unit)s.") % {"unit": unit})
        return redirect("unit_list")
    form = LiaisonForm(request.POST or None, instance=liaison, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        services.set_liaison(actor=request.user, unit=unit, **form.cleaned_data)
        messages.success(request, _("Saved the liaison officer of %(unit)s.") % {"unit": unit})
        return redirect("unit_list")
    return render(request, "org/unit_liaison.html", {"form": form, "unit": unit, "liaison": liaison})


# ——— importing units ———


@login_required
def unit_import(request):
    """Upload → preview with every problem → confirm. Nothing is written before the confirmation."""
    _require(request.user, *services.UNIT_MANAGERS)
    plan = None
    if request.method == "POST" and request.POST.get("action") == "confirm":
        stored = request.session.get(IMPORT_SESSION_KEY)
        if not stored or stored["id"] != request.POST.get("preview"):
            messages.error(request, _("This preview is no longer available; upload the file again."))
            return redirect("unit_import")
        try:
            plan = importing.apply_unit_import(
                actor=request.user, sheet=stored["sheet"], filename=stored["filename"]
            )
        except importing.ImportRejected as exc:
            # The units changed since the preview; show what is wrong now.
            del request.session[IMPORT_SESSION_KEY]
            plan = exc.plan
        else:
            del request.session[IMPORT_SESSION_KEY]
            messages.success(
                request,
                _("Imported %(file)s: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.")
                % {"file": stored["filename"], "created": plan.created, "updated": plan.updated,
                   "unchanged": plan.unchanged},
            )  # fmt: skip
            return redirect("unit_list")
        form = UnitImportForm()
    else:
        form = UnitImportForm(request.POST or None, request.FILES or None)
    preview_id = None
    if request.method == "POST" and form.is_valid():
        plan = importing.plan_unit_import(form.cleaned_data["sheet"])
        request.session.pop(IMPORT_SESSION_KEY, None)
        if not plan.problems:
            preview_id = uuid.uuid4().hex
            request.session[IMPORT_SESSION_KEY] = {
                "id": preview_id, "filename": form.cleaned_data["file"].name[:200], "sheet": plan.sheet,
            }  # fmt: skip
    return render(request, "org/unit_import.html", {"form": form, "plan": plan, "preview_id": preview_id})


@login_required
def unit_import_template(request):
    """An empty import file with the expected headers and one example row, UTF-8 with BOM for Excel."""
    _require(request.user, *services.UNIT_MANAGERS)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["单位名称", "简称", "类型", "上级单位", "别名"])
    writer.writerow(["郑州市发展和改革委员会", "市发改委", "市直部门", "", "市发改委、发改委"])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="units-template.csv"'
    return response


# ——— users ———


@login_required
@vary_on_headers("HX-Request")
def user_list(request):
    _require(request.user, Role.SYSADMIN, Role.SECADMIN)
    form = UserFilterForm(request.GET)
    memberships = Membership.objects.select_related("unit").order_by("role", "unit__name")
    users = form.filter(User.objects.prefetch_related(Prefetch("memberships", queryset=memberships)))
    page = Paginator(users.order_by("username"), 50).get_page(request.GET.get("page"))
    template = "org/user_list.html#rows" if request.htmx else "org/user_list.html"
    return render(request, template, {"form": form, "page": page})


@login_required
def user_create(request):
    _require(request.user, Role.SYSADMIN)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.create_user(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            context = {"subject": user, "password": password, "created": True}
            return _shown_once(render(request, "org/password_shown.html", context))
    return render(request, "org/user_form.html", {"form": form})


def _user_page(request, user: User, membership_form: MembershipForm | None = None, status: int = 200):
    memberships = user.memberships.select_related("unit").order_by("role", "unit__name")
    context = {
        "subject": user,
        "memberships": memberships,
        "membership_form": membership_form or MembershipForm(),
        "may_manage_roles": request.user.has_role(Role.SECADMIN) and request.user.pk != user.pk,
        "may_manage_account": request.user.has_role(Role.SYSADMIN),
    }
    return render(request, "org/user_detail.html", context, status=status)


@login_required
def user_detail(request, code):
    _require(request.user, Role.SYSADMIN, Role.SECADMIN)
    return _user_page(request, get_object_or_404(User, code=code))


@login_required
@require_POST
def user_roles(request, code):
    _require(request.user, Role.SECADMIN)
    user = get_object_or_404(User, code=code)
    if user.pk == request.user.pk:
        raise PermissionDenied
    if request.POST.get("action") == "remove":
        membership = get_object_or_404(Membership, pk=_int(request.POST.get("membership")), user=user)
        services.remove_membership(actor=request.user, membership=membership)
        messages.success(request, _("Removed the role %(role)s.") % {"role": membership.get_role_display()})
        return redirect("user_detail", code=user.code)
    form = MembershipForm(request.POST)
    if form.is_valid():
        try:
            services.add_membership(actor=request.user, user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Role added."))
            return redirect("user_detail", code=user.code)
    return _user_page(request, user, membership_form=form, status=400)


@login_required
@require_POST
def user_reset_password(request, code):
    _require(request.user, Role.SYSADMIN)
    user = get_object_or_404(User, code=code)
    password = services.reset_password(actor=request.user, user=user)
    return _shown_once(render(request, "org/password_shown.html", {"subject": user, "password": password}))


@login_required
@require_POST
def user_set_active(request, code):
    _require(request.user, Role.SYSADMIN)
    user = get_object_or_404(User, code=code)
    active = request.POST.get("active") == "1"
    try:
        services.set_user_active(actor=request.user, user=user, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if active:
            messages.success(request, _("%(user)s can sign in again.") % {"user": user})
        else:
            messages.success(request, _("%(user)s was deactivated.") % {"user": user})
    return redirect("user_detail", code=user.code)


# ——— personal API tokens ———


@login_required
def token_list(request):
    key = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        token = get_object_or_404(ApiToken, pk=_int(request.POST.get("token")), user=request.user)
        services.revoke_token(actor=request.user, token=token)
        messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
        return redirect("token_list")
    if request.method == "POST" and request.POST.get("action") == "issue":
        _token, key = services.issue_token(actor=request.user, user=request.user)
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked", "-created_at")
    return _shown_once(render(request, "org/token_list.html", {"tokens": tokens, "key": key}))
