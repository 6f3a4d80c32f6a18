"""Template tags that show a task's supervision orders on the task page."""

from django import template
from django.template.loader import render_to_string

from tuijin.supervision.orders import visible_orders

register = template.Library()


@register.simple_tag(takes_context=True)
def task_orders(context, task):
    """The orders on this task the user may see, and an "Issue order" button for the supervision office."""
    request = context["request"]
    user = request.user
    orders = visible_orders(user).filter(task=task).select_related("unit").order_by("-issued_at", "-id")
    can_issue = user.is_supervisor and task.is_open
    # No request: the card needs no context processors, whose queries (the unread count…) would run again for it.
    return render_to_string(
        "supervision/_task_orders.html", {"task": task, "orders": list(orders), "can_issue": can_issue}
    )
