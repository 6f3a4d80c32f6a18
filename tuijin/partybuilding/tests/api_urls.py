"""The site's URLs plus this app's API router on a NinjaAPI of its own, for the API tests: the lead mounts the
router in tuijin/api.py (`api.add_router("/party/", ...)`); these tests do not depend on that."""

from django.urls import path
from ninja import NinjaAPI

from tuijin.org.api import BearerToken
from tuijin.partybuilding.api import router
from tuijin.urls import urlpatterns as site

api = NinjaAPI(title="Tuijin API (party building tests)", version="test", auth=BearerToken(),
               urls_namespace="party_api_test")  # fmt: skip
api.add_router("/party/", router)

urlpatterns = [path("api/test/", api.urls), *site]
