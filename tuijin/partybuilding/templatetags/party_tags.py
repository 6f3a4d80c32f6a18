"""Template helpers of the party-building pages."""

from decimal import Decimal

from django import template

from ..access import scope_of

register = template.Library()


@register.simple_tag(takes_context=True)
def party_scope(context):
    """The signed-in user's standing in 双报到 (see access.Scope), for menus that depend on it."""
    request = context.get("request")
    return scope_of(request.user) if request is not None else None


@register.filter
def hours(value) -> str:
    """2.0 → 2, 2.5 → 2.5 (hours are kept in half hours)."""
    if value in (None, ""):
        return "0"
    value = Decimal(value).quantize(Decimal("0.1"))
    return f"{value:f}" if value != value.to_integral() else f"{value.to_integral():f}"
