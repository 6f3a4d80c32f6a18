from django.urls import path

from . import views, views_prep, views_runsheet

urlpatterns = [
    path("", views.programme_list, name="events_programme_list"),
    path("new/", views.programme_form, name="events_programme_create"),
    path("<uuid:code>/", views.programme_detail, name="events_programme_detail"),
    path("<uuid:code>/edit/", views.programme_form, name="events_programme_edit"),
    path("<uuid:programme_code>/activities/new/", views.activity_form, name="events_activity_create"),
    path("<uuid:code>/run-sheet/", views_runsheet.run_sheet, name="events_run_sheet"),
    path(
        "<uuid:code>/run-sheet.docx",
        views_runsheet.run_sheet_export,
        {"fmt": "docx"},
        name="events_run_sheet_docx",
    ),
    path(
        "<uuid:code>/run-sheet.xlsx",
        views_runsheet.run_sheet_export,
        {"fmt": "xlsx"},
        name="events_run_sheet_xlsx",
    ),
    path("activities/<uuid:code>/", views.activity_detail, name="events_activity_detail"),
    path("activities/<uuid:code>/edit/", views.activity_form, name="events_activity_edit"),
    path("activities/<uuid:code>/delete/", views.activity_delete, name="events_activity_delete"),
    path("activities/<uuid:code>/generate/", views_prep.generate, name="events_generate"),
    path("activities/<uuid:code>/tasks/new/", views_prep.prep_task_add, name="events_prep_task_add"),
    path("activities/<uuid:code>/tasks/link/", views_prep.prep_task_link, name="events_prep_task_link"),
    path("activities/<uuid:code>/checklist/new/", views_prep.check_add, name="events_check_add"),
    path("checklist/<uuid:code>/sign/", views_prep.check_sign, name="events_check_sign"),
    path("checklist/<uuid:code>/undo/", views_prep.check_undo, name="events_check_undo"),
    path("checklist/<uuid:code>/delete/", views_prep.check_delete, name="events_check_delete"),
    path("templates/", views_prep.template_list, name="events_template_list"),
    path("templates/new/", views_prep.template_form, name="events_template_create"),
    path("templates/standard/", views_prep.template_standard, name="events_template_standard"),
    path("templates/<uuid:code>/", views_prep.template_detail, name="events_template_detail"),
    path("templates/<uuid:code>/edit/", views_prep.template_form, name="events_template_edit"),
    path(
        "template-items/<uuid:code>/delete/",
        views_prep.template_item_delete,
        name="events_template_item_delete",
    ),
]
