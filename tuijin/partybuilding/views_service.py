"""Pages for needs (微心愿 / 服务需求), claims and service records — used on phones by members and community staff."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services_service as services
from .access import (
    get_visible,
    order_open_first,
    require_community_staff,
    require_entry,
    require_member,
    scope_of,
    serving_community_ids,
    visible_needs,
    visible_records,
)
from .forms import (
    CancelForm,
    NeedFilterForm,
    NeedForm,
    NoteForm,
    RecordDecisionForm,
    RecordFilterForm,
    ServiceRecordForm,
)
from .models import Claim, Community, Need
from .services import PartyError
from .views import _page, _partial


@login_required
def need_list(request):
    user = request.user
    scope = require_entry(user)
    form = NeedFilterForm(request.GET or None)
    needs = visible_needs(user).select_related("community", "post")
    state = form.cleaned_data.get("state") if form.is_valid() else ""
    if state:
        needs = needs.filter(state=state)
    needs = order_open_first(needs)
    mine = set(Claim.objects.filter(member=user, withdrawn_at__isnull=True).values_list("need_id", flat=True))
    context = {
        "page": _page(request, needs), "form": form, "scope": scope, "mine": mine,
        "serving": serving_community_ids(user) if scope.is_member else set(), "today": timezone.localdate(),
    }  # fmt: skip
    return render(request, _partial(request, "partybuilding/need_list.html"), context)


@login_required
def need_form(request, code=None):
    user = request.user
    scope = require_community_staff(user)
    need = get_visible(visible_needs(user), code) if code else None
    if need is not None and need.community_id not in scope.communities:
        raise PermissionDenied
    form = NeedForm(request.POST or None, instance=need, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if need:
                need = services.update_need(actor=user, need=need, **data)
            else:
                community = data.pop("community", None) or Community.objects.get(pk=min(scope.communities))
                need = services.publish_need(actor=user, community=community, **data)
        except PartyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Need saved."))
            return redirect("party_need_detail", code=need.code)
    return render(request, "partybuilding/need_form.html", {"form": form, "need": need},
                  status=400 if form.errors else 200)  # fmt: skip


def _need(request, code) -> Need:
    require_entry(request.user)
    return get_visible(visible_needs(request.user).select_related("community", "post", "done_by"), code)


@login_required
def need_detail(request, code, **forms):
    need = _need(request, code)
    user = request.user
    scope = scope_of(user)
    is_staff = need.community_id in scope.communities
    my_claim = Claim.objects.filter(need=need, member=user, withdrawn_at__isnull=True).first()
    today = timezone.localdate()
    context = {
        "need": need,
        "is_staff": is_staff,
        "my_claim": my_claim,
        # Who claimed it: for the community and the office; a member sees the count and their own claim.
        "claims": need.claims.select_related("member", "unit") if is_staff or scope.reads_all else None,
        "can_claim": scope.is_member
        and my_claim is None
        and need.state == Need.State.OPEN
        and not need.is_full
        and need.needed_on >= today
        and need.community_id in serving_community_ids(user),
        "can_withdraw": my_claim is not None and need.state == Need.State.OPEN,
        "can_log": my_claim is not None and need.state != Need.State.CANCELLED,
        "note_form": forms.get("note_form") or NoteForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
    }
    return render(request, "partybuilding/need_detail.html", context, status=400 if forms else 200)


@login_required
@require_POST
def need_action(request, code, action):
    need = _need(request, code)
    user = request.user
    try:
        if action == "claim":
            require_member(user)
            services.claim_need(actor=user, need=need)
            messages.success(request, _("Claimed. Thank you — log your hours after the service."))
        elif action == "withdraw":
            require_member(user)
            services.withdraw_claim(actor=user, need=need)
            messages.success(request, _("Your claim is withdrawn."))
        elif action == "done":
            require_community_staff(user)
            form = NoteForm(request.POST)
            if not form.is_valid():
                return need_detail(request, code, note_form=form)
            services.complete_need(actor=user, need=need, note=form.cleaned_data["note"])
            messages.success(request, _("Marked as done."))
        elif action == "cancel":
            require_community_staff(user)
            form = CancelForm(request.POST)
            if not form.is_valid():
                return need_detail(request, code, cancel_form=form)
            services.cancel_need(actor=user, need=need, reason=form.cleaned_data["reason"])
            messages.success(request, _("Need cancelled."))
        else:
            raise Http404
    except PartyError as exc:
        messages.error(request, str(exc))
    return redirect("party_need_detail", code=need.code)


# ——— service records ———


@login_required
def record_list(request):
    user = request.user
    scope = require_entry(user)
    form = RecordFilterForm(request.GET or None)
    records = visible_records(user).select_related("member", "unit", "community", "need")
    if form.is_valid() and form.cleaned_data.get("state"):
        records = records.filter(state=form.cleaned_data["state"])
    mine = request.GET.get("mine") == "1"
    if mine:
        records = records.filter(member=user)
    context = {"page": _page(request, records.order_by("-served_on", "-id")), "form": form, "scope": scope,
               "mine": mine, "decision_form": RecordDecisionForm()}  # fmt: skip
    return render(request, _partial(request, "partybuilding/record_list.html"), context)


@login_required
def record_create(request):
    user = request.user
    require_member(user)
    initial = {}
    if request.GET.get("need"):
        initial["need"] = request.GET["need"]
    form = ServiceRecordForm(request.POST or None, user=user, initial=initial)
    if not request.POST and initial.get("need"):
        need = (
            form.fields["need"].queryset.filter(code=initial["need"]).first()
            if _is_uuid(initial["need"])
            else None
        )
        if need is not None:
            form.initial.update({"community": need.community.code, "activity": need.title,
                                 "served_on": min(need.needed_on, timezone.localdate())})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_record(actor=user, **form.cleaned_data)
        except PartyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Service logged. It counts once the community confirms it."))
            return redirect(f"{_reverse_records()}?mine=1")
    return render(request, "partybuilding/record_form.html", {"form": form,
                  "has_communities": form.fields["community"].queryset.exists()},
                  status=400 if form.errors else 200)  # fmt: skip


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _reverse_records() -> str:
    return reverse("party_record_list")


@login_required
@require_POST
def record_decide(request, code):
    user = request.user
    require_community_staff(user)
    service = get_visible(visible_records(user), code)
    form = RecordDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    else:
        try:
            services.decide_record(actor=user, service=service, **form.cleaned_data)
        except PartyError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Service confirmed.") if form.cleaned_data["confirm"]
                             else _("Service rejected."))  # fmt: skip
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = _reverse_records() + "?state=submitted"
    return redirect(target)
