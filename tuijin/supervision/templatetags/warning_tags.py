"""Template tags that show a task's warnings on the task page, and a warning's reason in words."""

from django import template
from django.template.loader import render_to_string

from tuijin.supervision.models import Warning
from tuijin.supervision.warnings import describe

register = template.Library()


@register.simple_tag(takes_context=True)
def task_warnings(context, task):
    """The task's open warnings, red first (one query). Whoever sees the task page may see its warnings."""
    warnings = sorted(
        Warning.objects.filter(task=task, resolved_at__isnull=True),
        key=lambda w: (w.level != Warning.Level.RED, w.first_seen, w.pk),
    )
    # No request: the card needs no context processors, whose queries would run again for it.
    return render_to_string(
        "supervision/_task_warnings.html",
        {"task": task, "warnings": warnings, "has_red": any(w.level == Warning.Level.RED for w in warnings)},
    )


@register.filter
def warning_reason(warning: Warning) -> str:
    return describe(warning)
