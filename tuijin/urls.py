from django.contrib.auth import views as auth_views
from django.urls import include, path

from tuijin.api import api
from tuijin.core import views as core_views
from tuijin.security import views_signin as security_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", security_views.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
    path("privacy/", include("tuijin.core.privacy_urls")),
    path("", include("tuijin.core.urls")),
    path("org/", include("tuijin.org.urls")),
    path("", include("tuijin.tasks.urls")),
    path("", include("tuijin.tasks.urls_import")),
    path("notifications/", include("tuijin.notifications.urls")),
    path("supervision/", include("tuijin.supervision.urls")),
    path("assessment/", include("tuijin.assessment.urls")),
    path("cockpit/", include("tuijin.cockpit.urls")),
    path("security/", include("tuijin.security.urls")),
    path("reviews/", include("tuijin.reviews.urls")),
    path("party/", include("tuijin.partybuilding.urls")),
    path("events/", include("tuijin.events.urls")),
    path("investment/", include("tuijin.investment.urls")),
    path("spaces/", include("tuijin.spaces.urls")),
    path("coordination/", include("tuijin.coordination.urls")),
    path("services/", include("tuijin.servicedesk.urls")),
    path("api/v1/", api.urls),
]
