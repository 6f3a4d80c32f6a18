"""双报到 and 办实事 pages, mounted at party/."""

from django.urls import path

from . import views, views_practical, views_reports, views_service

urlpatterns = [
    path("", views.home, name="party_home"),
    path("communities/", views.community_list, name="party_community_list"),
    path("communities/new/", views.community_form, name="party_community_create"),
    path("communities/<uuid:code>/edit/", views.community_form, name="party_community_edit"),
    path("posts/", views.post_list, name="party_post_list"),
    path("registrations/", views.registration_list, name="party_registration_list"),
    path("registrations/new/", views.registration_create, name="party_registration_create"),
    path("registrations/<uuid:code>/", views.registration_detail, name="party_registration_detail"),
    path("registrations/<uuid:code>/edit/", views.registration_edit, name="party_registration_edit"),
    path("registrations/<uuid:code>/decide/", views.registration_decide, name="party_registration_decide"),
    path("members/", views.member_list, name="party_member_list"),
    path("members/register/", views.member_register, name="party_member_register"),
    path("members/<uuid:code>/", views.member_detail, name="party_member_detail"),
    path("members/<uuid:code>/edit/", views.member_edit, name="party_member_edit"),
    path("members/<uuid:code>/decide/", views.member_decide, name="party_member_decide"),
    path("members/<uuid:code>/withdraw/", views.member_withdraw, name="party_member_withdraw"),
    path("needs/", views_service.need_list, name="party_need_list"),
    path("needs/new/", views_service.need_form, name="party_need_create"),
    path("needs/<uuid:code>/", views_service.need_detail, name="party_need_detail"),
    path("needs/<uuid:code>/edit/", views_service.need_form, name="party_need_edit"),
    path("needs/<uuid:code>/<slug:action>/", views_service.need_action, name="party_need_action"),
    path("records/", views_service.record_list, name="party_record_list"),
    path("records/new/", views_service.record_create, name="party_record_create"),
    path("records/<uuid:code>/decide/", views_service.record_decide, name="party_record_decide"),
    path("feedback/", views_reports.feedback_index, name="party_feedback_index"),
    path("feedback/<uuid:unit_code>/<str:period>/", views_reports.feedback_page, name="party_feedback"),
    path(
        "feedback/<uuid:unit_code>/<str:period>/xlsx",
        views_reports.feedback_export,
        name="party_feedback_xlsx",
    ),
    path("summary/", views_reports.summary, name="party_summary"),
    path("summary/<int:year>.xlsx", views_reports.summary_export, name="party_summary_xlsx"),
    path("practical/", views_practical.practical_list, name="party_practical_list"),
    path("practical/<uuid:code>/", views_practical.practical_public, name="party_practical_public"),
    path("practical/<uuid:code>/manage/", views_practical.practical_manage, name="party_practical_manage"),
    path(
        "practical/<uuid:code>/settings/", views_practical.practical_settings, name="party_practical_settings"
    ),
    path(
        "practical/items/<uuid:task_code>/updates/",
        views_practical.public_update_create,
        name="party_public_update_create",
    ),
    path(
        "practical/updates/<uuid:code>/<slug:action>/",
        views_practical.public_update_action,
        name="party_public_update_action",
    ),
]
