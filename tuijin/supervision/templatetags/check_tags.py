"""Evidence-check flags in the reader's language."""

from django import template

from tuijin.supervision.evidence_checks import describe_flag

register = template.Library()


@register.filter
def flag_text(flag) -> str:
    return describe_flag(flag)
