"""The site's URLs plus the reviews router on an API of its own, so the API tests do not depend on where the
project mounts it (tuijin/api.py)."""

from django.urls import path
from ninja import NinjaAPI

from tuijin.org.api import BearerToken
from tuijin.reviews.api import router
from tuijin.urls import urlpatterns as site

api = NinjaAPI(
    title="Tuijin reviews (tests)", version="test", auth=BearerToken(), urls_namespace="reviews_test_api"
)
api.add_router("/", router)

urlpatterns = [path("reviews-api/", api.urls), *site]
