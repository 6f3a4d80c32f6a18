"""Import and export of enterprises and projects; included at `investment/` (its paths start import/ and export/)."""

from django.urls import path

from . import views_import as views

urlpatterns = [
    path("import/", views.import_upload, name="investment_import_upload"),
    path("import/template/<str:kind>.xlsx", views.import_template, name="investment_import_template"),
    path("import/<str:token>/", views.import_preview, name="investment_import_preview"),
    path("import/<str:token>/confirm/", views.import_confirm, name="investment_import_confirm"),
    path("import/<str:token>/cancel/", views.import_cancel, name="investment_import_cancel"),
    path("export/projects.xlsx", views.export_projects, name="investment_export_projects"),
    path("export/enterprises.xlsx", views.export_enterprises, name="investment_export_enterprises"),
]
