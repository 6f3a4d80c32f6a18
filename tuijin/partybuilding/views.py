"""双报到 pages: the home page per role, communities and volunteer posts, units' and members' registrations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .access import (
    get_visible,
    require_entry,
    require_member,
    require_supervisor,
    scope_of,
    serving_community_ids,
    visible_member_registrations,
    visible_registrations,
)
from .forms import CommunityForm, DecisionForm, MemberRegistrationForm, PostForm, RegistrationForm
from .models import (
    ACTIVE_STATES,
    Claim,
    Community,
    MemberRegistration,
    Need,
    Post,
    Registration,
    RegistrationState,
    ServiceRecord,
)

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _partial(request, template: str) -> str:
    return f"{template}#table" if request.htmx and not request.htmx.boosted else template


@login_required
def home(request):
    """What each role has to do: a member's registration, claims and records; a community's queue; the
    office's overview."""
    user = request.user
    scope = require_entry(user)
    today = timezone.localdate()
    context = {"scope": scope, "today": today}
    if scope.is_member:
        context["my_registration"] = (
            MemberRegistration.objects.filter(member=user).select_related("community", "unit")
            .order_by("-created_at").first()
        )  # fmt: skip
        context["my_claims"] = list(
            Claim.objects.filter(member=user, withdrawn_at__isnull=True, need__state=Need.State.OPEN)
            .select_related("need__community").order_by("need__needed_on")[:10]
        )  # fmt: skip
        context["my_records"] = list(
            ServiceRecord.objects.filter(member=user).select_related("community")[:5]
        )
        context["open_needs"] = (
            Need.objects.filter(community_id__in=serving_community_ids(user), state=Need.State.OPEN,
                                needed_on__gte=today).count()
        )  # fmt: skip
        context["unit_registrations"] = list(
            Registration.objects.filter(unit_id__in=scope.units).exclude(state=RegistrationState.WITHDRAWN)
            .select_related("unit", "community")[:10]
        )  # fmt: skip
        context["my_hours"] = (
            ServiceRecord.objects.filter(
                member=user, state=ServiceRecord.State.CONFIRMED, served_on__year=today.year
            ).aggregate(h=Sum("hours"))["h"]
            or 0
        )
    if scope.communities:
        mine = list(scope.communities)
        context["pending_registrations"] = list(
            Registration.objects.filter(community_id__in=mine, state=RegistrationState.SUBMITTED)
            .select_related("unit", "community")
        )  # fmt: skip
        context["pending_members"] = list(
            MemberRegistration.objects.filter(community_id__in=mine, state=RegistrationState.SUBMITTED)
            .select_related("member", "unit", "community")
        )  # fmt: skip
        context["pending_records"] = ServiceRecord.objects.filter(
            community_id__in=mine, state=ServiceRecord.State.SUBMITTED
        ).count()
        context["community_needs"] = list(
            Need.objects.filter(community_id__in=mine, state=Need.State.OPEN).select_related("community")[:10]
        )
    if scope.reads_all:
        context["overview"] = {
            "communities": Community.objects.filter(is_active=True).count(),
            "registrations": Registration.objects.filter(state=RegistrationState.ACCEPTED).count(),
            "members": MemberRegistration.objects.filter(state=RegistrationState.ACCEPTED).count(),
            "needs_open": Need.objects.filter(state=Need.State.OPEN).count(),
            "hours": ServiceRecord.objects.filter(
                state=ServiceRecord.State.CONFIRMED, served_on__year=today.year
            ).aggregate(h=Sum("hours"))["h"]
            or 0,
        }
    return render(request, "partybuilding/home.html", context)


# ——— communities and posts ———


@login_required
def community_list(request):
    scope = require_entry(request.user)
    communities = Community.objects.select_related("unit").order_by("district", "street", "name")
    return render(request, "partybuilding/community_list.html", {"communities": communities, "scope": scope})


@login_required
def community_form(request, code=None):
    require_supervisor(request.user)
    community = get_object_or_404(Community, code=code) if code else None
    form = CommunityForm(request.POST or None, instance=community, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_community(actor=request.user, community=community, **form.cleaned_data)
        except services.PartyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Community saved."))
            return redirect("party_community_list")
    return render(request, "partybuilding/community_form.html", {"form": form, "community": community},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def post_list(request):
    require_supervisor(request.user)
    post = get_object_or_404(Post, pk=request.POST.get("post")) if request.POST.get("post") else None
    form = PostForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_post(actor=request.user, post=post, **form.cleaned_data)
        except services.PartyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Volunteer post saved."))
            return redirect("party_post_list")
    return render(request, "partybuilding/post_list.html", {"posts": Post.objects.all(), "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


# ——— units' registrations ———


@login_required
def registration_list(request):
    scope = require_entry(request.user)
    registrations = visible_registrations(request.user).select_related("unit", "community")
    state = request.GET.get("state")
    if state in RegistrationState.values:
        registrations = registrations.filter(state=state)
    context = {"page": _page(request, registrations.order_by("-registered_on", "-id")), "scope": scope,
               "states": RegistrationState.choices, "state": state}  # fmt: skip
    return render(request, _partial(request, "partybuilding/registration_list.html"), context)


@login_required
def registration_create(request):
    require_member(request.user)
    form = RegistrationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.submit_registration(actor=request.user, **form.cleaned_data)
        except services.PartyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Registration submitted. The community will accept it or return it."))
            return redirect("party_registration_detail", code=registration.code)
    return render(request, "partybuilding/registration_form.html", {"form": form},
                  status=400 if form.errors else 200)  # fmt: skip


def _registration(request, code) -> Registration:
    require_entry(request.user)
    return get_visible(
        visible_registrations(request.user).select_related("unit", "community", "decided_by"), code
    )


@login_required
def registration_detail(request, code, decision_form=None):
    registration = _registration(request, code)
    scope = scope_of(request.user)
    context = {
        "registration": registration,
        "events": registration.events.select_related("actor"),
        "can_decide": registration.community_id in scope.communities
        and registration.state == RegistrationState.SUBMITTED,
        "can_edit": registration.unit_id in scope.units and registration.state == RegistrationState.RETURNED,
        "decision_form": decision_form or DecisionForm(),
    }
    return render(
        request, "partybuilding/registration_detail.html", context, status=400 if decision_form else 200
    )


@login_required
def registration_edit(request, code):
    registration = _registration(request, code)
    if registration.unit_id not in scope_of(request.user).units:
        raise PermissionDenied
    form = RegistrationForm(request.POST or None, instance=registration, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.resubmit_registration(actor=request.user, registration=registration, **form.cleaned_data)
        except services.PartyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Registration submitted again."))
            return redirect("party_registration_detail", code=registration.code)
    return render(request, "partybuilding/registration_form.html", {"form": form, "registration": registration},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_POST
def registration_decide(request, code):
    registration = _registration(request, code)
    if registration.community_id not in scope_of(request.user).communities:
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return registration_detail(request, code, decision_form=form)
    try:
        services.decide_registration(actor=request.user, registration=registration, **form.cleaned_data)
    except services.PartyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Registration accepted.") if form.cleaned_data["accept"]
                         else _("Registration returned."))  # fmt: skip
    return redirect("party_registration_detail", code=registration.code)


# ——— members' registrations ———


@login_required
def member_list(request):
    scope = require_entry(request.user)
    registrations = visible_member_registrations(request.user).select_related("member", "unit", "community")
    registrations = registrations.prefetch_related("posts")
    state = request.GET.get("state")
    if state in RegistrationState.values:
        registrations = registrations.filter(state=state)
    context = {"page": _page(request, registrations.order_by("-registered_on", "-id")), "scope": scope,
               "states": RegistrationState.choices, "state": state}  # fmt: skip
    return render(request, _partial(request, "partybuilding/member_list.html"), context)


@login_required
def member_register(request):
    require_member(request.user)
    active = MemberRegistration.objects.filter(member=request.user, state__in=ACTIVE_STATES).first()
    if active is not None:
        messages.info(request, _("You are registered already."))
        return redirect("party_member_detail", code=active.code)
    form = MemberRegistrationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register_member(actor=request.user, **form.cleaned_data)
        except services.PartyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Registration submitted. The community will accept it or return it."))
            return redirect("party_member_detail", code=registration.code)
    return render(
        request, "partybuilding/member_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _member_registration(request, code) -> MemberRegistration:
    require_entry(request.user)
    qs = visible_member_registrations(request.user).select_related(
        "member", "unit", "community", "decided_by"
    )
    return get_visible(qs.prefetch_related("posts"), code)


@login_required
def member_detail(request, code, decision_form=None):
    registration = _member_registration(request, code)
    scope = scope_of(request.user)
    is_self = registration.member_id == request.user.pk
    context = {
        "registration": registration,
        "events": registration.events.select_related("actor"),
        "is_self": is_self,
        "can_decide": registration.community_id in scope.communities
        and registration.state == RegistrationState.SUBMITTED,
        "can_edit": is_self and registration.state == RegistrationState.RETURNED,
        "can_withdraw": is_self and registration.state in ACTIVE_STATES,
        "decision_form": decision_form or DecisionForm(),
    }
    return render(request, "partybuilding/member_detail.html", context, status=400 if decision_form else 200)


@login_required
def member_edit(request, code):
    registration = _member_registration(request, code)
    if registration.member_id != request.user.pk:
        raise PermissionDenied
    form = MemberRegistrationForm(request.POST or None, instance=registration, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.resubmit_member_registration(actor=request.user, registration=registration,
                                                  **form.cleaned_data)  # fmt: skip
        except services.PartyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Registration submitted again."))
            return redirect("party_member_detail", code=registration.code)
    return render(request, "partybuilding/member_form.html", {"form": form, "registration": registration},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_POST
def member_decide(request, code):
    registration = _member_registration(request, code)
    if registration.community_id not in scope_of(request.user).communities:
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return member_detail(request, code, decision_form=form)
    try:
        services.decide_member_registration(
            actor=request.user, registration=registration, **form.cleaned_data
        )
    except services.PartyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Registration accepted.") if form.cleaned_data["accept"]
                         else _("Registration returned."))  # fmt: skip
    return redirect("party_member_detail", code=registration.code)


@login_required
@require_POST
def member_withdraw(request, code):
    registration = _member_registration(request, code)
    if registration.member_id != request.user.pk:
        raise PermissionDenied
    try:
        services.withdraw_member_registration(actor=request.user, registration=registration)
    except services.PartyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Registration withdrawn."))
    return redirect("party_member_detail", code=registration.code)
