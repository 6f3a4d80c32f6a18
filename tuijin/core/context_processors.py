from django.conf import settings


def site(request):
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "user_roles": user.role_codes() if user is not None and user.is_authenticated else set(),
    }
