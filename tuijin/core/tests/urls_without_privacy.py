"""The project's URLs without the personal-data routes (for the system check that notices)."""

from django.urls import URLResolver

from tuijin.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    p for p in project_urlpatterns
    if not (isinstance(p, URLResolver) and getattr(p.urlconf_module, "__name__", "") == "tuijin.core.privacy_urls")
]  # fmt: skip
