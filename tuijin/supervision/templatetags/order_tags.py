"""Template tags that show a task's supervision orders on the task page (filled in by the orders work)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def task_orders(context, task):
    return ""
