"""The JSON API under /api/v1/: one NinjaAPI, each app adds its router."""

from ninja import NinjaAPI

from tuijin.org.api import BearerToken
from tuijin.tasks.api import router as tasks_router

# /api/v1/docs: "ninja" is in INSTALLED_APPS so its Swagger UI is served from our static files, not a CDN.
api = NinjaAPI(title="Tuijin API", version="1", auth=BearerToken(), urls_namespace="api")
api.add_router("/", tasks_router)
