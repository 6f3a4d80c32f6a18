"""Template tags that show a task's warnings on the task page (filled in by the warnings work)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def task_warnings(context, task):
    return ""
