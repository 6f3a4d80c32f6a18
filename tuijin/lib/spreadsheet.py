"""Task lists (清单) in and out of spreadsheets.

Reading lives in :mod:`tuijin.lib.spreadsheet_read`, writing in :mod:`tuijin.lib.spreadsheet_write`;
this module re-exports the public API so callers import from one place.
"""

from tuijin.lib.spreadsheet_read import (
    FIELD_LABELS,
    FIELDS,
    ParsedRow,
    ParsedSheet,
    Problem,
    read_task_list,
    split_units,
)
from tuijin.lib.spreadsheet_write import EXPORT_COLUMNS, neutralise, write_task_list, write_task_list_csv

__all__ = [
    "EXPORT_COLUMNS",
    "FIELDS",
    "FIELD_LABELS",
    "ParsedRow",
    "ParsedSheet",
    "Problem",
    "neutralise",
    "read_task_list",
    "split_units",
    "write_task_list",
    "write_task_list_csv",
]
