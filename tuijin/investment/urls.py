from django.urls import path

from . import views, views_enterprises, views_registry

urlpatterns = [
    path("", views.board, name="investment_board"),
    path("projects/", views.project_list, name="investment_project_list"),
    path("projects/new/", views.project_form, name="investment_project_create"),
    path("projects/<uuid:code>/", views.project_detail, name="investment_project_detail"),
    path("projects/<uuid:code>/edit/", views.project_form, name="investment_project_edit"),
    path("projects/<uuid:code>/move/", views.project_move, name="investment_project_move"),
    path("projects/<uuid:code>/sign-again/", views.project_sign_again, name="investment_project_sign_again"),
    path(
        "projects/<uuid:code>/follow-ups/new/", views.project_follow_up, name="investment_project_follow_up"
    ),
    path("enterprises/", views_enterprises.enterprise_list, name="investment_enterprise_list"),
    path("enterprises/new/", views_enterprises.enterprise_form, name="investment_enterprise_create"),
    path(
        "enterprises/<uuid:code>/", views_enterprises.enterprise_detail, name="investment_enterprise_detail"
    ),
    path(
        "enterprises/<uuid:code>/edit/", views_enterprises.enterprise_form, name="investment_enterprise_edit"
    ),
    path(
        "enterprises/<uuid:code>/contacts/new/",
        views_enterprises.contact_form,
        name="investment_contact_create",
    ),
    path(
        "enterprises/<uuid:code>/contacts/<uuid:contact_code>/edit/",
        views_enterprises.contact_form,
        name="investment_contact_edit",
    ),  # fmt: skip
    path(
        "enterprises/<uuid:code>/contacts/<uuid:contact_code>/delete/",
        views_enterprises.contact_delete,
        name="investment_contact_delete",
    ),  # fmt: skip
    path("categories/", views_registry.category_list, name="investment_category_list"),
    path("categories/<uuid:code>/", views_registry.category_list, name="investment_category_edit"),
    path("partners/", views_registry.firm_list, name="investment_firm_list"),
    path("partners/<uuid:code>/", views_registry.firm_form, name="investment_firm_edit"),
    path("partners/<uuid:code>/funds/new/", views_registry.fund_create, name="investment_fund_create"),
    path("policies/", views_registry.policy_list, name="investment_policy_list"),
    path("policies/new/", views_registry.policy_form, name="investment_policy_create"),
    path("policies/<uuid:code>/", views_registry.policy_form, name="investment_policy_edit"),
    path("measures/<uuid:task_code>/", views_registry.measure_form, name="investment_measure_form"),
    path(
        "measures/<uuid:task_code>/unbind/", views_registry.measure_unbind, name="investment_measure_unbind"
    ),
]
# Analytics, import and export (the analytics/import helper's files; the lead may move these two includes).
from django.urls import include  # noqa: E402

urlpatterns += [path("analytics/", include("tuijin.investment.urls_analytics")), path("", include("tuijin.investment.urls_import"))]  # fmt: skip
