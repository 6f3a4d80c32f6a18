"""The user's own inbox and notification preferences; nobody sees another person's notices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import InboxFilterForm, PreferenceForm
from .models import Channel, Notification, Preference

PAGE_SIZE = 50


def _unread_changed(response):
    """Lets a navbar badge refresh itself (hx-trigger="unread-changed from:body") after notices are read."""
    response["HX-Trigger"] = "unread-changed"
    return response


def _inbox_context(request):
    form = InboxFilterForm(request.GET or None)
    notices = Notification.objects.filter(user=request.user)
    if form.is_valid():
        notices = form.filter(notices)
    page = Paginator(notices.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return {"form": form, "page": page, "unread": services.unread_count(request.user)}


@login_required
def inbox(request):
    template = "notifications/inbox.html"
    if request.htmx and not request.htmx.boosted:
        template += "#list"
    return render(request, template, _inbox_context(request))


def _own(request, pk: int) -> Notification:
    return get_object_or_404(Notification, pk=pk, user=request.user)


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = _own(request, pk)
    services.mark_read(user=request.user, ids=[notification.pk])
    if request.htmx:
        notification.refresh_from_db()
        return _unread_changed(render(request, "notifications/inbox.html#row", {"n": notification}))
    return redirect("inbox")


@login_required
@require_POST
def notifications_read_all(request):
    count = services.mark_read(user=request.user)
    if request.htmx:
        return _unread_changed(render(request, "notifications/inbox.html#list", _inbox_context(request)))
    messages.success(request, _("%(count)s notices marked read.") % {"count": count})
    return redirect("inbox")


@login_required
def notification_open(request, pk: int):
    """Follow a notice's link, marking it read on the way."""
    notification = _own(request, pk)
    if notification.read_at is None:
        services.mark_read(user=request.user, ids=[notification.pk])
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect("inbox")
    return redirect(target)


@login_required
def notification_preferences(request):
    pref = services.get_preference(request.user) or Preference(user=request.user)
    form = PreferenceForm(request.POST or None, instance=pref, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_preference(
                user=request.user, **{f: form.cleaned_data[f] for f in form.Meta.fields}
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Notification preferences saved."))
            return redirect("notification_preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
@require_POST
def notification_test(request, channel: str):
    if channel not in (Channel.EMAIL, Channel.WECOM, Channel.DINGTALK):
        raise Http404
    error = services.send_test(user=request.user, channel=channel)
    label = Channel(channel).label
    if request.htmx:
        return render(request, "notifications/preferences.html#test_result", {"error": error, "label": label})
    if error:
        messages.error(request, _("The test message over %(channel)s failed: %(error)s") % {"channel": label,
                                                                                            "error": error})  # fmt: skip
    else:
        messages.success(request, _("A test message was sent over %(channel)s.") % {"channel": label})
    return redirect("notification_preferences")
