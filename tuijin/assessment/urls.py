from django.urls import path

from . import views, views_rounds

urlpatterns = [
    path("", views.assessment_home, name="assessment_home"),
    path("schemes/new/", views.scheme_form, name="scheme_create"),
    path("schemes/<uuid:code>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<uuid:code>/edit/", views.scheme_form, name="scheme_edit"),
    path("schemes/<uuid:code>/compute/", views.scheme_compute, name="scheme_compute"),
    path("schemes/<uuid:code>/indicators/new/", views.indicator_form, name="indicator_create"),
    path(
        "schemes/<uuid:code>/indicators/<uuid:indicator_code>/", views.indicator_form, name="indicator_edit"
    ),
    path(
        "schemes/<uuid:code>/indicators/<uuid:indicator_code>/delete/",
        views.indicator_delete,
        name="indicator_delete",
    ),
    path("schemes/<uuid:code>/manual/", views.manual_scores, name="manual_scores"),
    path("schemes/<uuid:code>/adjustments/", views.adjustments, name="adjustments"),
    path(
        "schemes/<uuid:code>/<slug:kind>/<uuid:entry_code>/delete/", views.entry_delete, name="entry_delete"
    ),
    path("manual/<uuid:code>/evidence/", views.manual_evidence, name="manual_evidence"),
    path("rounds/<uuid:code>/", views_rounds.round_detail, name="round_detail"),
    path("rounds/<uuid:code>/circular.docx", views_rounds.round_circular_docx, name="round_circular_docx"),
    path("rounds/<uuid:code>/scores.xlsx", views_rounds.round_scores_xlsx, name="round_scores_xlsx"),
    path("rounds/<uuid:code>/units/<uuid:unit_code>/", views_rounds.score_detail, name="score_detail"),
    path("rounds/<uuid:code>/<slug:action>/", views_rounds.round_action, name="round_action"),
]
