"""Per-request security: API rate limits, the idle timeout and the forced password change.

Costs no query on an ordinary page: the policy is cached per process (tuijin/security/policy.py), the user is
loaded by Django anyway, and the idle clock in the session is moved on at most once a minute."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from . import ratelimit
from .passwords import is_expired
from .policy import get_policy
from .signin import ACTIVITY

# Requests a page makes by itself (the notification bell polling) are not activity: mark them with this
# header (`hx-headers='{"Tuijin-Poll": "1"}'`) or decorate their view with `background`.
POLL_HEADER = "HTTP_TUIJIN_POLL"
ACTIVITY_RESOLUTION = 60  # seconds: the session is written at most this often to move the idle clock on
# URL names a user who must change their password may still open.
OPEN_WHILE_CHANGING = {"security_password_change", "logout", "set_language", "healthz", "login"}
NEVER_IDLE = {"logout", "healthz", "login"}


def background(view):
    """Mark a view that pages call by themselves (polling): it never counts as the user's activity."""
    view.security_background = True
    return view


def is_background(request, view_func) -> bool:
    return request.META.get(POLL_HEADER) == "1" or getattr(view_func, "security_background", False)


def _redirect(request, url: str):
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def _api_key(request) -> str:
    from tuijin.core.middleware import client_ip

    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("bearer ") and header[7:].strip():
        return ratelimit.key_for("api", "token", header[7:].strip())
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"api:user:{user.pk}"
    return f"api:ip:{client_ip(request)}"


class SecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return self._limit_api(request)
        if request.path.startswith(settings.STATIC_URL):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        name = request.resolver_match.url_name if request.resolver_match else None
        policy = get_policy()
        if name not in NEVER_IDLE:
            expired = self._idle(request, view_func, policy)
            if expired is not None:
                return expired
        if name not in OPEN_WHILE_CHANGING and (user.must_change_password or is_expired(user, policy)):
            return _redirect(request, reverse("security_password_change"))
        return None

    def _idle(self, request, view_func, policy):
        now = int(time.time())
        last = request.session.get(ACTIVITY)
        if last is not None and now - last > policy.idle_minutes * 60:
            request.security_logout_reason = "idle"  # for the audit log's user_logged_out receiver
            logout(request)
            messages.info(
                request,
                _("You were signed out after %(minutes)d minutes without activity. Please sign in again.")
                % {"minutes": policy.idle_minutes},
            )
            target = reverse("login")
            if request.method == "GET" and not getattr(request, "htmx", False):
                target += "?" + urlencode({"next": request.get_full_path()})
            return _redirect(request, target)
        if not is_background(request, view_func) and (last is None or now - last >= ACTIVITY_RESOLUTION):
            request.session[ACTIVITY] = now
        return None

    def _limit_api(self, request):
        retry_after = ratelimit.hit(_api_key(request), settings.API_RATE_LIMIT)
        if not retry_after:
            return None
        response = JsonResponse(
            {"detail": _("Too many requests. Try again in %(n)d seconds.") % {"n": retry_after}}, status=429
        )
        response["Retry-After"] = str(retry_after)
        return response
