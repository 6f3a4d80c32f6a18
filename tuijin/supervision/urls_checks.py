from django.urls import path

from . import views_checks

urlpatterns = [
    path("evidence-checks/", views_checks.evidence_checks, name="evidence_checks"),
]
