from django.urls import path

from . import views

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_form, name="plan_create"),
    path("plans/<uuid:code>/", views.plan_detail, name="plan_detail"),
    path("plans/<uuid:code>/edit/", views.plan_form, name="plan_edit"),
    path("plans/<uuid:code>/reporting/", views.plan_reporting, name="plan_reporting"),
    path("plans/<uuid:plan_code>/tasks/new/", views.task_form, name="task_create"),
    path("plans/<uuid:plan_code>/tasks/<uuid:code>/edit/", views.task_form, name="task_edit"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<uuid:code>/", views.task_detail, name="task_detail"),
    path("tasks/<uuid:code>/report/", views.report_form, name="report_create"),
    path("tasks/<uuid:code>/<slug:action>/", views.task_action, name="task_action"),
    path("evidence/<uuid:code>/", views.evidence_file, name="evidence_file"),
    path("evidence/<uuid:code>/thumb/", views.evidence_file, {"variant": "thumb"}, name="evidence_thumb"),
]
