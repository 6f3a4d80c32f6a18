"""URLs for the API tests until the lead mounts the investment router in tuijin/api.py: the site's URLs, with an
API at /api/v1/ that has this router in front of the site's own."""

from django.urls import path
from ninja import NinjaAPI

from tuijin import urls as site
from tuijin.investment.api import router
from tuijin.org.api import BearerToken

api = NinjaAPI(title="Tuijin API (investment tests)", version="1-investment-tests", auth=BearerToken(),
               urls_namespace="investment_test_api")  # fmt: skip
api.add_router("/", router, url_name_prefix="investment_test")

urlpatterns = [path("api/v1/", api.urls), *site.urlpatterns]
