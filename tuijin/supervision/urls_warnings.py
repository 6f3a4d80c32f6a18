from django.urls import path

from . import views_warnings

urlpatterns = [
    path("warnings/", views_warnings.warning_board, name="warning_board"),
]
