from django.urls import path

from . import views_import as views

urlpatterns = [
    path("plans/import/", views.import_upload, name="import_upload"),
    path("plans/<uuid:code>/import/", views.import_upload, name="plan_import"),
    path("plans/import/<str:token>/", views.import_preview, name="import_preview"),
    path("plans/import/<str:token>/columns/", views.import_columns, name="import_columns"),
    path("plans/import/<str:token>/confirm/", views.import_confirm, name="import_confirm"),
    path("plans/import/<str:token>/cancel/", views.import_cancel, name="import_cancel"),
    path("plans/<uuid:code>/export.xlsx", views.plan_export, {"fmt": "xlsx"}, name="plan_export_xlsx"),
    path("plans/<uuid:code>/export.csv", views.plan_export, {"fmt": "csv"}, name="plan_export_csv"),
]
