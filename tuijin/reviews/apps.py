"""述职评议: appraisal rounds of party organisations with secret weighted ballots."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "tuijin.reviews"
    label = "reviews"
    verbose_name = _("Performance reviews")
