"""述职评议: appraisal rounds of party organisations with secret weighted ballots."""

from django.db import models  # noqa: F401
