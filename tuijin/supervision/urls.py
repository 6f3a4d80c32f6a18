from django.urls import include, path

urlpatterns = [
    path("", include("tuijin.supervision.urls_warnings")),
    path("", include("tuijin.supervision.urls_orders")),
    path("", include("tuijin.supervision.urls_checks")),
    path("", include("tuijin.supervision.views_policy")),
]
