"""Small display helpers of the spaces pages."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def wan(amount) -> str:
    """Yuan shown in 万元 with two decimals (12,345.00 元 → 1.23)."""
    if amount in (None, ""):
        return "—"
    return f"{Decimal(amount) / Decimal(10000):,.2f}"
