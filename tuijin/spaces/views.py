"""Space managers' and readers' pages: the dashboard, the inventory with photos, applications under review, the
queue and allocation. Supervisors and leaders read the inventory and the aggregates; nobody else enters."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import reports, services
from .access import (
    managed_spaces,
    may_see_photos,
    require_manager,
    require_staff,
    scope_of,
    visible_applications,
    visible_spaces,
)
from .forms import AllocateForm, BuildingForm, PhotoForm, PolicyForm, ReasonForm, ReviewForm, SpaceForm
from .models import Application, Building, Lease, Policy, Space, SpaceKind, SpacePhoto
from .queue import queue_of, standing

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _partial(request, template: str) -> str:
    return f"{template}#table" if request.htmx and not request.htmx.boosted else template


@login_required
def home(request):
    """The dashboard: occupancy, queues, subsidy. Applicants go to their portal."""
    scope = scope_of(request.user)
    if scope.is_applicant and not scope.is_staff:
        return redirect("spaces_portal")
    require_staff(request.user)
    subsidy = reports.monthly_subsidy(request.user)
    return render(request, "spaces/home.html", {
        "scope": scope, "occupancy": reports.occupancy(request.user), "queues": reports.queues(),
        "subsidy": subsidy, "subsidy_max": max([r["total"] for r in subsidy] + [1]),
        "overdue": reports.overdue_reviews(), "statuses": Space.Status.choices,
    })  # fmt: skip


@login_required
def dashboard_xlsx(request):
    require_staff(request.user)
    buffer = io.BytesIO()
    reports.write_dashboard(buffer, user=request.user)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"人才公寓与拎包办公_{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def space_list(request):
    scope = require_staff(request.user)
    spaces = visible_spaces(request.user).select_related("building__sector")
    kind, status, building = request.GET.get("kind"), request.GET.get("status"), request.GET.get("building")
    if kind in SpaceKind.values:
        spaces = spaces.filter(kind=kind)
    if status in Space.Status.values:
        spaces = spaces.filter(status=status)
    if building:
        spaces = spaces.filter(building__code=building) if _is_uuid(building) else spaces.none()
    buildings = Building.objects.filter(
        pk__in=visible_spaces(request.user).values("building")
    ).select_related("sector")
    return render(request, _partial(request, "spaces/space_list.html"), {
        "scope": scope, "page": _page(request, spaces), "buildings": buildings, "kinds": SpaceKind.choices,
        "statuses": Space.Status.choices, "filters": {"kind": kind, "status": status, "building": building},
    })  # fmt: skip


def _is_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


@login_required
def space_detail(request, code):
    scope = require_staff(request.user)
    space = get_object_or_404(visible_spaces(request.user).select_related("building__sector"), code=code)
    manages = space.building_id in scope.building_ids
    lease = None
    if manages:
        lease = space.leases.filter(state__in=Lease.ACTIVE_STATES).select_related("application").first()
    return render(request, "spaces/space_detail.html", {
        "space": space, "photos": space.photos.all(), "manages": manages, "lease": lease,
        "photo_form": PhotoForm() if manages else None,
    })  # fmt: skip


@login_required
def space_create(request):
    require_manager(request.user)
    return _space_form(request, Space())


@login_required
def space_edit(request, code):
    space = get_object_or_404(managed_spaces(request.user), code=code)
    return _space_form(request, space)


def _space_form(request, space: Space):
    buildings = Building.objects.filter(managers=request.user)
    form = SpaceForm(request.POST or None, instance=space, buildings=buildings)
    if request.method == "POST" and form.is_valid():
        space = form.save(commit=False)
        try:
            services.save_space(actor=request.user, space=space)
        except services.SpacesError as exc:
            form.add_error("status", str(exc))
        else:
            messages.success(request, _("Space saved."))
            return redirect("spaces_space_detail", code=space.code)
    return render(request, "spaces/space_form.html", {"form": form, "space": space})


@login_required
@require_POST
def space_photo_add(request, code):
    space = get_object_or_404(managed_spaces(request.user), code=code)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        services.add_photo(actor=request.user, space=space, checked=form.cleaned_data["photo"])
        messages.success(request, _("Photo added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("spaces_space_detail", code=space.code)


@login_required
def photo_file(request, code):
    photo = get_object_or_404(SpacePhoto.objects.select_related("space"), code=code)
    if not may_see_photos(request.user, photo.space):
        raise Http404
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    head = handle.read(16)
    handle.seek(0)
    content_type = "image/png" if head.startswith(b"\x89PNG") else "image/jpeg"
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
def building_list(request):
    scope = require_staff(request.user)
    buildings = Building.objects.filter(pk__in=visible_spaces(request.user).values("building"))
    if scope.is_manager:
        buildings = Building.objects.filter(pk__in=scope.building_ids)
    buildings = buildings.select_related("sector").prefetch_related("managers").annotate(n=Count("spaces"))
    return render(
        request,
        "spaces/building_list.html",
        {"page": _page(request, buildings.order_by("name")), "scope": scope},
    )


@login_required
def building_create(request):
    require_manager(request.user)
    return _building_form(request, Building())


@login_required
def building_edit(request, code):
    building = get_object_or_404(
        Building.objects.filter(pk__in=require_manager(request.user).building_ids), code=code
    )
    return _building_form(request, building)


def _building_form(request, building: Building):
    form = BuildingForm(request.POST or None, instance=building, initial={"managers": [request.user.pk]})
    if request.method == "POST" and form.is_valid():
        services.save_building(actor=request.user, form=form)
        messages.success(request, _("Building saved."))
        return redirect("spaces_building_list")
    return render(request, "spaces/building_form.html", {"form": form, "building": building})


@login_required
def policy_list(request):
    require_staff(request.user)
    return render(request, "spaces/policy_list.html", {"policies": Policy.objects.all(),
                                                        "scope": scope_of(request.user)})  # fmt: skip


@login_required
def policy_edit(request, code):
    require_manager(request.user)
    policy = get_object_or_404(Policy, code=code)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        services.save_policy(actor=request.user, policy=form.save(commit=False))
        messages.success(request, _("Policy saved."))
        return redirect("spaces_policy_list")
    return render(request, "spaces/policy_form.html", {"form": form, "policy": policy})


# — applications, queue, allocation (space managers) —


@login_required
def application_list(request):
    require_manager(request.user)
    applications = visible_applications(request.user).order_by("-submitted_at", "-pk")
    state, kind = request.GET.get("state"), request.GET.get("kind")
    if state == "open":
        applications = applications.filter(state__in=Application.OPEN_STATES)
    elif state in Application.State.values:
        applications = applications.filter(state=state)
    if kind in SpaceKind.values:
        applications = applications.filter(kind=kind)
    return render(request, _partial(request, "spaces/application_list.html"), {
        "page": _page(request, applications), "states": Application.State.choices, "kinds": SpaceKind.choices,
        "filters": {"state": state, "kind": kind}, "today": timezone.localdate(),
    })  # fmt: skip


@login_required
def queue(request, kind):
    require_manager(request.user)
    if kind not in SpaceKind.values:
        raise Http404
    policy = get_object_or_404(Policy, kind=kind)
    waiting = queue_of(kind, policy)  # the whole queue ranks each row; a page of it is shown
    page = _page(request, waiting)
    rows = [(application, standing(application, waiting)) for application in page]
    return render(request, "spaces/queue.html", {"policy": policy, "rows": rows, "page": page, "kind": kind,
                                                 "kind_label": SpaceKind(kind).label})  # fmt: skip


@login_required
@require_POST
def application_review(request, code, step):
    require_manager(request.user)
    application = get_object_or_404(visible_applications(request.user), code=code)
    if step not in ("first", "second"):
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review(actor=request.user, application=application, step=step,
                            approve=form.cleaned_data["approve"], note=form.cleaned_data["note"])  # fmt: skip
        except services.SpacesError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Review recorded."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("spaces_application", code=application.code)


@login_required
@require_POST
def application_objection(request, code):
    require_manager(request.user)
    application = get_object_or_404(visible_applications(request.user), code=code)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.object_in_publicity(actor=request.user, application=application,
                                         reason=form.cleaned_data["reason"])  # fmt: skip
        except services.SpacesError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Say what the objection is; the applicant reads it."))
    return redirect("spaces_application", code=application.code)


@login_required
def allocate(request, code):
    """Offer a space to a waiting applicant: the head of the queue, or another with a reason."""
    require_manager(request.user)
    application = get_object_or_404(visible_applications(request.user).select_related("policy"), code=code)
    if application.state != Application.State.QUEUED:
        raise PermissionDenied
    spaces = (
        managed_spaces(request.user)
        .filter(kind=application.kind, status=Space.Status.AVAILABLE)
        .select_related("building")
    )
    form = AllocateForm(request.POST or None, spaces=spaces)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lease = services.allocate(actor=request.user, application=application, space=data["space"],
                                      start=data["start"], reason=data["reason"])  # fmt: skip
        except services.SpacesError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("%(space)s allocated to %(n)s.") % {"space": lease.space, "n": application.number}
            )
            return redirect("spaces_lease_detail", code=lease.code)
    position = standing(application)
    return render(request, "spaces/allocate.html", {
        "application": application, "form": form, "standing": position,
        "head": queue_of(application.kind, application.policy)[:1],
    })  # fmt: skip
