"""Staff pages: the list with filters, a unit's inbox, a request with its timeline and clocks, the steps on it,
raising a request for an enterprise, and attachments (served only to those who see the request)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.core.audit import record
from tuijin.org.models import Role, Unit
from tuijin.tasks.evidence import stored_content_type

from . import access, clocks, services
from .forms import (
    AttachForm,
    CallbackForm,
    ExtensionForm,
    FilterForm,
    ReplyForm,
    StaffRequestForm,
    TransferForm,
)
from .models import AWAITING_ACK, OPEN_STATES, Attachment, Callback, Extension, ServiceRequest, State

PAGE_SIZE = 30


def _partial(request, template: str) -> str:
    return f"{template}#table" if request.htmx and not request.htmx.boosted else template


def filtered(user, params) -> tuple[FilterForm, object]:
    """The requests the user sees, narrowed by the list filters (shared with the export)."""
    form = FilterForm(params or None)
    requests = ServiceRequest.objects.visible_to(user).for_list()
    if form.is_valid():
        data = form.cleaned_data
        if data["state"]:
            requests = requests.filter(state=data["state"])
        if data["category"]:
            requests = requests.filter(category=data["category"])
        if data["unit"]:
            requests = requests.filter(unit=data["unit"])
        if data["overdue"]:
            requests = requests.overdue()
        if data["callback"]:
            called = Exists(Callback.objects.filter(request=OuterRef("pk")))
            requests = requests.filter(called) if data["callback"] == "done" else requests.exclude(called)
        if data["q"]:
            q = data["q"]
            requests = requests.filter(
                Q(title__icontains=q) | Q(number__icontains=q) | Q(enterprise__name__icontains=q)
            )
    return form, requests


@login_required
def request_list(request):
    user = request.user
    access.require_staff(user)
    form, requests = filtered(user, request.GET)
    requests = requests.annotate(called_back=Exists(Callback.objects.filter(request=OuterRef("pk"))))
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    seen = ServiceRequest.objects.visible_to(user)
    counts = {
        "open": seen.filter(state__in=OPEN_STATES).count(),
        "overdue": seen.overdue().count(),
        "replied": seen.filter(state=State.REPLIED).count(),
    }
    context = {"form": form, "page": page, "now": timezone.now(), "counts": counts,
               "can_raise": access.can_raise(user), "is_supervisor": user.is_supervisor}  # fmt: skip
    return render(request, _partial(request, "servicedesk/request_list.html"), context)


@login_required
def inbox(request):
    """A unit's queue: what waits for its acknowledgement, what it is handling, with the clocks."""
    user = request.user
    unit_ids = user.unit_ids(Role.UNIT)
    if not unit_ids:
        raise PermissionDenied
    mine = ServiceRequest.objects.filter(unit_id__in=unit_ids).for_list()
    # each list a page at a time, most urgent first, with its own page number
    waiting = Paginator(mine.filter(state__in=AWAITING_ACK).order_by("ack_due", "pk"), PAGE_SIZE).get_page(
        request.GET.get("waiting_page")
    )
    handling = Paginator(mine.filter(state=State.IN_PROGRESS).order_by("due", "pk"), PAGE_SIZE).get_page(
        request.GET.get("handling_page")
    )
    replied = mine.filter(state=State.REPLIED).order_by("-replied_at", "pk")[:20]
    context = {"waiting": waiting, "handling": handling, "replied": replied, "now": timezone.now(),
               "units": Unit.objects.filter(pk__in=unit_ids)}  # fmt: skip
    return render(request, "servicedesk/inbox.html", context)


@login_required
def request_detail(request, code):
    user = request.user
    if access.enterprise_account(user) is not None and not user.has_role(
        Role.UNIT, Role.SUPERVISOR, Role.LEADER
    ):
        return redirect("servicedesk_portal_detail", code)
    access.require_staff(user)
    req = access.get_visible(user, code)
    return render(request, "servicedesk/request_detail.html", detail_context(user, req))


def detail_context(user, req: ServiceRequest, **forms) -> dict:
    now = timezone.now()
    handles = access.handles(user, req)
    pending = req.extensions.filter(approved__isnull=True).first()
    return {
        "req": req, "now": now, "handles": handles, "is_supervisor": user.is_supervisor,
        "events": req.events.select_related("actor", "unit"),
        "attachments": req.attachments.all(),
        "extensions": req.extensions.select_related("requested_by", "decided_by"),
        "callbacks": req.callbacks.select_related("recorded_by"),
        "pending_extension": pending,
        "can_extend": handles and req.is_open and now <= req.due and pending is None,
        "days_left": clocks.workdays_left(req.due, now) if req.is_open else None,
        "transfer_form": forms.get("transfer_form") or TransferForm(),
        "extension_form": forms.get("extension_form") or ExtensionForm(),
        "reply_form": forms.get("reply_form") or ReplyForm(),
        "callback_form": forms.get("callback_form") or CallbackForm(),
        "attach_form": forms.get("attach_form") or AttachForm(),
        "active_form": forms.get("active", ""),
    }  # fmt: skip


ACTIONS = {"acknowledge", "transfer", "extend", "extension", "reply", "callback", "attach"}


@login_required
@require_POST
def request_action(request, code, action):
    user = request.user
    if action not in ACTIONS:
        raise Http404
    access.require_staff(user)
    req = access.get_visible(user, code)
    form = None
    forms_ctx: dict = {}
    try:
        if action == "acknowledge":
            services.acknowledge(actor=user, request=req)
            messages.success(request, _("Acknowledged."))
        elif action == "transfer":
            form = TransferForm(request.POST)
            forms_ctx = {"transfer_form": form, "active": "transfer"}
            if form.is_valid():
                services.transfer(actor=user, request=req, **form.cleaned_data)
                messages.success(request, _("Transferred to %(u)s.") % {"u": form.cleaned_data["unit"]})
        elif action == "extend":
            form = ExtensionForm(request.POST)
            forms_ctx = {"extension_form": form, "active": "extend"}
            if form.is_valid():
                services.request_extension(actor=user, request=req, **form.cleaned_data)
                messages.success(request, _("Extension requested."))
        elif action == "extension":
            access.require_supervisor(user)
            ext = get_object_or_404(Extension, request=req, pk=request.POST.get("extension") or 0)
            services.decide_extension(actor=user, extension=ext, approve=request.POST.get("approve") == "1")
            messages.success(request, _("Decision recorded."))
        elif action == "reply":
            form = ReplyForm(request.POST, request.FILES)
            forms_ctx = {"reply_form": form, "active": "reply"}
            if form.is_valid():
                services.reply(actor=user, request=req, text=form.cleaned_data["text"],
                               files=form.cleaned_data["files"])  # fmt: skip
                messages.success(request, _("Reply sent; the enterprise is asked to rate it."))
        elif action == "callback":
            form = CallbackForm(request.POST)
            forms_ctx = {"callback_form": form, "active": "callback"}
            if form.is_valid():
                services.record_callback(actor=user, request=req, **form.cleaned_data)
                messages.success(request, _("Call-back recorded."))
        elif action == "attach":
            form = AttachForm(request.POST, request.FILES)
            forms_ctx = {"attach_form": form, "active": "attach"}
            if form.is_valid():
                services.attach(actor=user, request=req, files=form.cleaned_data["files"])
                messages.success(request, _("Files attached."))
    except services.DeskError as exc:
        if form is not None:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.error(request, exc.message)
            return redirect("servicedesk_detail", req.code)
    if form is not None and form.errors:
        req.refresh_from_db()
        return render(
            request, "servicedesk/request_detail.html", detail_context(user, req, **forms_ctx), status=400
        )
    return redirect("servicedesk_detail", req.code)


@login_required
def request_create(request):
    user = request.user
    if not (user.is_supervisor or user.has_role(Role.UNIT)):
        raise PermissionDenied
    form = StaffRequestForm(request.POST or None, request.FILES or None)
    if not user.is_supervisor:  # a unit enters requests for itself unless it names another unit
        form.fields["unit"].initial = next(iter(sorted(user.unit_ids(Role.UNIT))), None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req = services.raise_request(actor=user, category=data["category"], enterprise=data["enterprise"],
                                         project=data["project"], unit=data["unit"], title=data["title"],
                                         description=data["description"], contact_name=data["contact_name"],
                                         files=data["files"])  # fmt: skip
        except services.DeskError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Request %(n)s raised.") % {"n": req.number})
            return redirect("servicedesk_detail", req.code)
    return render(
        request, "servicedesk/request_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def attachment_file(request, code):
    attachment = get_object_or_404(Attachment.objects.select_related("request"), code=code)
    # Scoped like the request: a file of a request you cannot see does not exist for you.
    if not ServiceRequest.objects.visible_to(request.user).filter(pk=attachment.request_id).exists():
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    head = handle.read(16)
    handle.seek(0)
    content_type = stored_content_type(attachment.kind, head)
    inline = attachment.kind == "photo"
    record(actor=request.user, action="servicedesk.download", obj=attachment.request,
           object_repr=attachment.original_name)  # fmt: skip
    response = FileResponse(handle, as_attachment=not inline, filename=attachment.original_name,
                            content_type=content_type)  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    return response
