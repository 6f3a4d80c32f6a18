"""Carries the request's address and id to the audit log without threading `request` through every service."""

import uuid
from contextvars import ContextVar

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

current_request_meta: ContextVar[dict | None] = ContextVar("current_request_meta", default=None)


def client_ip(request) -> str | None:
    from django.conf import settings

    if settings.USE_X_FORWARDED:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


def record_denial(request) -> None:
    """One audit row per refused request (HTTP 403: a permission check, a CSRF failure, a 三员 boundary)."""
    from .audit import record
    from .models import PERMISSION_DENIED

    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    path = request.path[:240]
    record(
        actor=user if signed_in else None,
        actor_name="" if signed_in else "anonymous",
        action=PERMISSION_DENIED,
        object_type="request",
        object_id=request.method[:16],
        object_repr=f"{request.method} {path}",
        after={"method": request.method, "path": path},
        success=False,
    )


class RequestContextMiddleware:
    """Gives each request an id and an address for its audit rows, and records every refusal (403)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request.META.get("HTTP_X_REQUEST_ID") or str(uuid.uuid4())
        token = current_request_meta.set({"ip": client_ip(request), "request_id": request.request_id})
        try:
            response = self.get_response(request)
            if response.status_code == 403:
                record_denial(request)
        finally:
            current_request_meta.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the user chose another language with the switch (cookie); the browser's
    Accept-Language is ignored because shared office machines often carry an English system locale."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NulCharacterMiddleware:
    """Refuse (400) a request whose query string, form fields or JSON body carries a NUL character.

    No field of ours can hold one, and PostgreSQL refuses it in any string ("A string literal cannot contain NUL"),
    which reached users as a server error wherever a parameter went into a query. Found by schemathesis."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            return HttpResponseBadRequest(_("The request contains a NUL character, which no field accepts."))
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        if "%00" in request.META.get("QUERY_STRING", "") or any("\x00" in v for v in request.GET.values()):
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method == "POST" and content_type.startswith("application/x-www-form-urlencoded"):
            return any("\x00" in v for values in request.POST.lists() for v in values[1])
        if content_type.startswith("application/json"):
            return b"\\u0000" in request.body or b"\x00" in request.body
        return False
