from django.utils.functional import SimpleLazyObject

from .services import unread_count


def unread(request):
    """The signed-in user's unread count, counted (one query) only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
