"""The project's URLs with the personal-data routes, whether or not tuijin/urls.py mounts them yet."""

from django.urls import include, path

from tuijin.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("privacy/", include("tuijin.core.privacy_urls"))]
