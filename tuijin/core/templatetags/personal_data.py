"""`{% personal_data obj "field" %}`: a personal-data value as the viewer may see it (see tuijin/core/privacy.py)."""

from django import template
from django.urls import NoReverseMatch, reverse

from tuijin.core import privacy
from tuijin.core.privacy_views import dom_id

register = template.Library()


@register.inclusion_tag("core/personal_data.html#value", takes_context=True)
def personal_data(context, obj, name: str, empty: str = "—"):
    """Full for the person themselves, masked with a "show in full" button where the policy allows a logged
    disclosure, masked otherwise. Needs no query beyond the viewer's roles."""
    request = context.get("request")
    viewer = getattr(request, "user", None) or context.get("user")
    value = (getattr(obj, name, "") or "") if obj is not None else ""
    shown = {"empty": empty, "value": "", "masked": "", "url": "", "dom_id": "", "kind": ""}
    if not value:
        return shown
    level = privacy.access(viewer, obj, name)
    entry = privacy.field_for(obj, name)
    shown.update(kind=entry.kind if entry else "", masked=privacy.mask(obj, name, value))
    if level == privacy.Access.FULL:
        shown["value"] = value
    elif level == privacy.Access.REVEAL:
        try:
            shown["url"] = reverse("personal_data_reveal", args=[entry.key, entry.code_of(obj)])
        except NoReverseMatch:  # the route is not mounted: stay masked (system check tuijin.W010 says so)
            return shown
        shown["dom_id"] = dom_id(entry, obj)
        shown["csrf_token"] = context.get("csrf_token")
    return shown
