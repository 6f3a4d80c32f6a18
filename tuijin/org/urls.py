from django.urls import path

from . import views

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/import/", views.unit_import, name="unit_import"),
    path("units/import/template.csv", views.unit_import_template, name="unit_import_template"),
    path("units/<uuid:code>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<uuid:code>/active/", views.unit_set_active, name="unit_set_active"),
    path("units/<uuid:code>/liaison/", views.unit_liaison, name="unit_liaison"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<uuid:code>/", views.user_detail, name="user_detail"),
    path("users/<uuid:code>/roles/", views.user_roles, name="user_roles"),
    path("users/<uuid:code>/password/", views.user_reset_password, name="user_reset_password"),
    path("users/<uuid:code>/active/", views.user_set_active, name="user_set_active"),
    path("tokens/", views.token_list, name="token_list"),
]
