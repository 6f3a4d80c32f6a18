from django.urls import path

from . import views, views_leases, views_portal

urlpatterns = [
    path("", views.home, name="spaces_home"),
    path("dashboard.xlsx", views.dashboard_xlsx, name="spaces_dashboard_xlsx"),
    path("policies/", views.policy_list, name="spaces_policy_list"),
    path("policies/<uuid:code>/", views.policy_edit, name="spaces_policy_edit"),
    # inventory
    path("buildings/", views.building_list, name="spaces_building_list"),
    path("buildings/new/", views.building_create, name="spaces_building_create"),
    path("buildings/<uuid:code>/", views.building_edit, name="spaces_building_edit"),
    path("inventory/", views.space_list, name="spaces_space_list"),
    path("inventory/new/", views.space_create, name="spaces_space_create"),
    path("inventory/<uuid:code>/", views.space_detail, name="spaces_space_detail"),
    path("inventory/<uuid:code>/edit/", views.space_edit, name="spaces_space_edit"),
    path("inventory/<uuid:code>/photos/", views.space_photo_add, name="spaces_space_photo_add"),
    path("photos/<uuid:code>/", views.photo_file, name="spaces_photo"),
    # applicants' portal
    path("my/", views_portal.portal, name="spaces_portal"),
    path("apply/<str:kind>/", views_portal.apply, name="spaces_apply"),
    path("applications/<uuid:code>/", views_portal.application_detail, name="spaces_application"),
    path(
        "applications/<uuid:code>/withdraw/",
        views_portal.application_withdraw,
        name="spaces_application_withdraw",
    ),
    path("documents/<uuid:code>/", views_portal.document_file, name="spaces_document"),
    # review, queue, allocation
    path("applications/", views.application_list, name="spaces_application_list"),
    path(
        "applications/<uuid:code>/review/<str:step>/",
        views.application_review,
        name="spaces_application_review",
    ),
    path(
        "applications/<uuid:code>/objection/",
        views.application_objection,
        name="spaces_application_objection",
    ),
    path("applications/<uuid:code>/allocate/", views.allocate, name="spaces_allocate"),
    path("queue/<str:kind>/", views.queue, name="spaces_queue"),
    # leases
    path("leases/", views_leases.lease_list, name="spaces_lease_list"),
    path("leases/<uuid:code>/", views_leases.lease_detail, name="spaces_lease_detail"),
    path("leases/<uuid:code>/check-in/", views_leases.lease_check_in, name="spaces_lease_check_in"),
    path("leases/<uuid:code>/check-out/", views_leases.lease_check_out, name="spaces_lease_check_out"),
    path("leases/<uuid:code>/notice/", views_leases.lease_notice, name="spaces_lease_notice"),
    path("leases/<uuid:code>/renew/", views_leases.lease_renew, name="spaces_lease_renew"),
    path("leases/<uuid:code>/payments/", views_leases.lease_payment, name="spaces_lease_payment"),
]
