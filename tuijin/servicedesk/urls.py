from django.urls import path

from . import views, views_admin, views_portal

urlpatterns = [
    path("", views.request_list, name="servicedesk_list"),
    path("inbox/", views.inbox, name="servicedesk_inbox"),
    path("new/", views.request_create, name="servicedesk_create"),
    path("export.xlsx", views_admin.export_xlsx, name="servicedesk_export"),
    path("import/", views_admin.import_page, name="servicedesk_import"),
    path("import/template.xlsx", views_admin.import_template, name="servicedesk_import_template"),
    path("settings/", views_admin.settings_page, name="servicedesk_settings"),
    path("settings/categories/new/", views_admin.category_form, name="servicedesk_category_create"),
    path("settings/categories/<uuid:code>/", views_admin.category_form, name="servicedesk_category_edit"),
    path("settings/accounts/", views_admin.accounts, name="servicedesk_accounts"),
    path("files/<uuid:code>/", views.attachment_file, name="servicedesk_attachment"),
    path("portal/", views_portal.portal, name="servicedesk_portal"),
    path("portal/new/", views_portal.portal_create, name="servicedesk_portal_create"),
    path("portal/<uuid:code>/", views_portal.portal_detail, name="servicedesk_portal_detail"),
    path("portal/<uuid:code>/rate/", views_portal.portal_rate, name="servicedesk_portal_rate"),
    path("<uuid:code>/", views.request_detail, name="servicedesk_detail"),
    path("<uuid:code>/<slug:action>/", views.request_action, name="servicedesk_action"),
]
