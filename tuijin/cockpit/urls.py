from django.urls import path

from . import views

urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("data/", views.cockpit_data, name="cockpit_data"),
    path("recount/", views.cockpit_recount, name="cockpit_recount"),
    path("list/<slug:metric>/", views.cockpit_list, name="cockpit_list"),
]
