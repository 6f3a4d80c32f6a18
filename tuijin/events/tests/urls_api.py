"""The site's URLs plus the events router under /api/v1-events/, for the API tests while the router is not yet
mounted in tuijin/api.py (mounting it there too does no harm: a router is not changed by being mounted)."""

from django.urls import path
from ninja import NinjaAPI

from tuijin.events.api import router
from tuijin.org.api import BearerToken
from tuijin.urls import urlpatterns as site

api = NinjaAPI(title="events (test)", version="test", auth=BearerToken(), urls_namespace="events-api-test")
api.add_router("/events", router)

urlpatterns = [path("api/v1-events/", api.urls), *site]
