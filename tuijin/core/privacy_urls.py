"""Mounted by tuijin/urls.py under privacy/."""

from django.urls import path

from . import privacy_views

urlpatterns = [
    path("reveal/<str:key>/<str:code>/", privacy_views.reveal, name="personal_data_reveal"),
]
