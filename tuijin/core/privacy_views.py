"""Showing one personal-data value in full, on request: permission-checked and written to the audit log."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from . import privacy


@login_required
@require_POST
def reveal(request, key: str, code: str):
    entry = privacy.by_key(key)
    if entry is None:
        raise Http404
    try:
        obj = entry.lookup(code)
    except (ObjectDoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    value = privacy.reveal(actor=request.user, obj=obj, name=entry.name)  # PermissionDenied → 403
    context = {"entry": entry, "obj": obj, "value": value, "dom_id": dom_id(entry, obj)}
    template = "core/personal_data.html#revealed" if request.htmx else "core/personal_data.html"
    response = render(request, template, context)
    add_never_cache_headers(response)  # Back must not show it again
    return response


def dom_id(entry: privacy.PersonalField, obj) -> str:
    return "pd-" + entry.key.replace(".", "-").replace("_", "-") + "-" + entry.code_of(obj)
