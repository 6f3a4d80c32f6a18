"""述职评议 pages, mounted at reviews/."""

from django.urls import path

from . import views, views_groups, views_voting

urlpatterns = [
    path("", views.round_list, name="reviews_round_list"),
    path("new/", views.round_create, name="reviews_round_create"),
    path("vote/", views_voting.vote, name="reviews_vote"),
    path("<uuid:code>/", views.round_detail, name="reviews_round_detail"),
    path("<uuid:code>/edit/", views.round_edit, name="reviews_round_edit"),
    path("<uuid:code>/rules/", views.round_rules, name="reviews_round_rules"),
    path("<uuid:code>/ballot/", views_voting.ballot, name="reviews_ballot"),
    path("<uuid:code>/results.xlsx", views.results_xlsx, name="reviews_results_xlsx"),
    path("<uuid:code>/results.docx", views.results_docx, name="reviews_results_docx"),
    path("<uuid:code>/subjects/new/", views.subject_form, name="reviews_subject_create"),
    path("<uuid:code>/subjects/<uuid:subject_code>/", views.subject_form, name="reviews_subject_edit"),
    path(
        "<uuid:code>/subjects/<uuid:subject_code>/delete/",
        views.subject_delete,
        name="reviews_subject_delete",
    ),
    path(
        "<uuid:code>/subjects/<uuid:subject_code>/report/",
        views.subject_report,
        name="reviews_subject_report",
    ),
    path(
        "<uuid:code>/groups/<uuid:group_code>/raters/", views_groups.group_raters, name="reviews_group_raters"
    ),
    path("<uuid:code>/groups/<uuid:group_code>/codes/", views_groups.group_codes, name="reviews_group_codes"),
    path(
        "<uuid:code>/groups/<uuid:group_code>/codes/withdraw/",
        views_groups.group_codes_withdraw,
        name="reviews_group_codes_withdraw",
    ),
    path(
        "<uuid:code>/groups/<uuid:group_code>/counting/",
        views_groups.group_counting,
        name="reviews_group_counting",
    ),
    path("<uuid:code>/groups/<uuid:group_code>/paper/", views_groups.group_paper, name="reviews_group_paper"),
    path("<uuid:code>/<slug:action>/", views.round_action, name="reviews_round_action"),
]
