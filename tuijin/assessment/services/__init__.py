"""Assessment services: computing and publishing rounds, entries by assessors, and the documents of a round."""

from .entries import (
    add_adjustment,
    delete_adjustment,
    delete_indicator,
    delete_manual_score,
    enter_manual_score,
    save_indicator,
    save_scheme,
)
from .rounds import AssessmentError, compute_round, publish_round, review_round, scope_tasks

__all__ = [
    "AssessmentError", "add_adjustment", "compute_round", "delete_adjustment", "delete_indicator",
    "delete_manual_score", "enter_manual_score", "publish_round", "review_round", "save_indicator", "save_scheme",
    "scope_tasks",
]  # fmt: skip
