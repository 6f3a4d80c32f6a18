from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


class NavUrls(dict):
    """`{{ nav.home }}`: the URL of a view that takes no arguments — `{% url 'home' %}` — reversed once per process.

    The navigation links to some twenty-five views on every page; a reverse() is worth tens of microseconds and
    its answer only changes with the URLconf and the script prefix, which key the cache (see `nav_urls`)."""

    def __missing__(self, name: str) -> str:
        url = self[name] = reverse(name)
        return url


_nav_urls: dict[tuple[str, str], NavUrls] = {}


def nav_urls() -> NavUrls:
    key = (str(get_urlconf() or settings.ROOT_URLCONF), get_script_prefix())
    urls = _nav_urls.get(key)
    if urls is None:
        urls = _nav_urls[key] = NavUrls()
    return urls


def site(request):
    user = getattr(request, "user", None)
    roles = user.role_codes() if user is not None and user.is_authenticated else set()
    return {
        "SITE_NAME": settings.SITE_NAME,
        "user_roles": roles,
        "outside_applicant": roles == {"applicant"},  # talents and enterprises: their portals, not the task engine
        "nav": nav_urls(),
    }
