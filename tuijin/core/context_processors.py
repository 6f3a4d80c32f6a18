from django.conf import settings


def site(request):
    user = getattr(request, "user", None)
    roles = user.role_codes() if user is not None and user.is_authenticated else set()
    return {
        "SITE_NAME": settings.SITE_NAME,
        "user_roles": roles,
        "outside_applicant": roles == {"applicant"},  # talents and enterprises: their portals, not the task engine
    }
