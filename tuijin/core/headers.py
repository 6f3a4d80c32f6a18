"""Response headers Django does not set by itself: the Permissions-Policy (which browser features a page may use).

The Content-Security-Policy comes from django-csp (`CONTENT_SECURITY_POLICY` in settings); HSTS, referrer,
opener and frame policies from Django's SecurityMiddleware and XFrameOptionsMiddleware.
"""

from django.conf import settings


def permissions_policy(features: dict[str, list[str]]) -> str:
    """`camera=(self), geolocation=()` from {"camera": ["self"], "geolocation": []}."""
    parts = []
    for feature, allowed in features.items():
        origins = " ".join(origin if origin == "self" else f'"{origin}"' for origin in allowed)
        parts.append(f"{feature}=({origins})")
    return ", ".join(parts)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
