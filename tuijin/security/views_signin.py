"""Signing in: user name and password, then the authenticator code or, the first time, enrolling the app.

See signin.py for why the two-factor gate is here and not in a middleware."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from tuijin.core.middleware import client_ip

from . import lockout, otp, ratelimit, services, signin
from .forms import CodeForm, LoginForm

Outcome = lockout.Outcome


def _too_many(request) -> int:
    """Seconds to wait when this address has posted too many sign-in forms this minute, else 0."""
    return ratelimit.hit(f"login:{client_ip(request) or '-'}", settings.LOGIN_RATE_LIMIT)


def _too_many_message(seconds: int) -> str:
    return _("Too many sign-in attempts from your network address. Wait %(n)d seconds and try again.") % {
        "n": seconds
    }


def _demo_code(user, device) -> str:
    """In demo mode only, the current code of a demo account, so a newcomer can sign in without a phone."""
    if not settings.DEMO_MODE or device is None:
        return ""
    from tuijin.core.demo import _all_logins

    return otp.next_code(device) if user.username in _all_logins() else ""


def _back_to_login(request, message: str = ""):
    signin.clear_pending(request)
    if request.user.is_authenticated:  # a signed-in user who came back to a step page: nothing owed
        return redirect(settings.LOGIN_REDIRECT_URL)
    if message:
        messages.error(request, message)
    return redirect("login")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    next_url = signin.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request.POST or None)
    error, status, retry_after = "", 200, 0
    if request.method == "POST":
        retry_after = _too_many(request)
        if retry_after:
            error, status = _too_many_message(retry_after), 429
        elif not form.is_valid():
            error = _("Enter your user name and password.")
        else:
            response, error = _check_password(request, form, next_url)
            if response is not None:
                return response
    response = render(
        request, "core/login.html", {"form": form, "next": next_url, "error": error}, status=status
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _check_password(request, form, next_url: str):
    """(response, error): a redirect to the next step, or the error to show on the sign-in page."""
    username, password = form.cleaned_data["username"].strip(), form.cleaned_data["password"]
    ip = client_ip(request)
    lock = lockout.blocking_lock(username, ip)
    if lock is not None:
        lockout.record(request, username=username, outcome=Outcome.LOCKED, ip=ip)
        signin.login_failed(request, username)
        return None, signin.lock_message(lock)
    user = authenticate(request, username=username, password=password)  # sends user_login_failed itself
    if user is None:
        lock = lockout.record(request, username=username, outcome=Outcome.BAD_PASSWORD, ip=ip)
        return None, signin.lock_message(lock) if lock else _(
            "Wrong user name or password. Please try again."
        )
    device = signin.confirmed_device(user)
    if device is not None or signin.two_factor_required(user):
        signin.start_pending(request, user, next_url)
        return redirect("security_login_otp" if device is not None else "security_login_enrol"), ""
    signin.finish(request, user)
    return redirect(next_url or settings.LOGIN_REDIRECT_URL), ""


@csrf_protect
@never_cache
def login_otp(request):
    user = signin.pending_user(request)
    if user is None:
        return _back_to_login(request, _("Signing in took too long. Please start again."))
    device = signin.confirmed_device(user)
    if device is None:
        if signin.two_factor_required(user):
            return redirect("security_login_enrol")
        next_url = signin.pending_next(request)
        signin.finish(request, user)
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        retry_after = _too_many(request)
        lock = lockout.blocking_lock(user.username, client_ip(request))
        if lock is not None:
            return _back_to_login(request, signin.lock_message(lock))
        if retry_after:
            form.add_error(None, _too_many_message(retry_after))
            status = 429
        elif form.is_valid():
            response = _check_code(request, user, device, form)
            if response is not None:
                return response
    context = {"form": form, "subject": user, "demo_code": _demo_code(user, device)}
    return render(request, "security/otp.html", context, status=status)


def _check_code(request, user, device, form):
    code = form.cleaned_data["code"]
    next_url = signin.pending_next(request) or settings.LOGIN_REDIRECT_URL
    if otp.looks_like_recovery(code) and otp.use_recovery_code(user, code):
        signin.finish(request, user)
        services.note_recovery_code_used(user=user)
        messages.warning(
            request,
            _("You signed in with a recovery code; it cannot be used again. Make new codes on your account page "
              "if few are left."),
        )  # fmt: skip
        return redirect(next_url)
    if otp.verify(device, code):
        signin.finish(request, user)
        return redirect(next_url)
    lock = lockout.record(request, username=user.username, outcome=Outcome.BAD_CODE, user=user)
    signin.login_failed(request, user.username)
    if lock is not None:
        return _back_to_login(request, signin.lock_message(lock))
    form.add_error("code", _("That code is not right, or it was already used. Enter the current code."))
    return None


@csrf_protect
@never_cache
def login_enrol(request):
    """First sign-in of someone whose role requires two factors: set up the authenticator app now."""
    user = signin.pending_user(request)
    if user is None:
        return _back_to_login(request, _("Signing in took too long. Please start again."))
    if signin.confirmed_device(user) is not None:
        return redirect("security_login_otp")
    device = services.start_enrolment(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_enrolment(actor=user, user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            next_url = signin.pending_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)
            signin.finish(request, user)
            return recovery_codes_page(request, codes, next_url)
    return render(request, "security/enrol.html", enrol_context(user, device, form, during_login=True))


def enrol_context(user, device, form, *, during_login: bool) -> dict:
    return {
        "form": form,
        "subject": user,
        "qr": otp.qr_data_uri(otp.provisioning_uri(device)),
        "secret": otp.grouped(device.secret),
        "during_login": during_login,
        "demo_code": _demo_code(user, device),
    }


def recovery_codes_page(request, codes: list[str], next_url: str):
    """The recovery codes, shown once and never cached."""
    response = render(request, "security/recovery_codes.html", {"codes": codes, "next": next_url})
    add_never_cache_headers(response)
    return response
