"""The JSON API under /api/v1/: one NinjaAPI, each app adds its router."""

from ninja import NinjaAPI

from tuijin.coordination.api import router as coordination_router
from tuijin.events.api import router as events_router
from tuijin.investment.api import router as investment_router
from tuijin.org.api import BearerToken
from tuijin.partybuilding.api import router as party_router
from tuijin.reviews.api import router as reviews_router
from tuijin.servicedesk.api import router as servicedesk_router
from tuijin.spaces.api import router as spaces_router
from tuijin.tasks.api import router as tasks_router

# /api/v1/docs: "ninja" is in INSTALLED_APPS so its Swagger UI is served from our static files, not a CDN.
api = NinjaAPI(title="Tuijin API", version="1", auth=BearerToken(), urls_namespace="api")
api.add_router("/", tasks_router)
api.add_router("/party/", party_router)
api.add_router("/", reviews_router)
api.add_router("/events", events_router)
api.add_router("/", investment_router)
api.add_router("/spaces/", spaces_router)
api.add_router("/coordination/", coordination_router)
api.add_router("/service-requests/", servicedesk_router)
