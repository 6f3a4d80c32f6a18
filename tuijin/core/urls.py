from django.urls import path

from . import views

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("audit/", views.audit_log, name="audit_log"),
]
