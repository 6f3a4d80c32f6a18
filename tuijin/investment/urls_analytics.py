"""Analytics of the pipeline; included at `investment/analytics/`."""

from django.urls import path

from . import views_analytics as views

urlpatterns = [
    path("", views.analytics, name="investment_analytics"),
    path("batches/", views.batches, name="investment_analytics_batches"),
    path("projects/", views.drill, name="investment_analytics_projects"),
]
