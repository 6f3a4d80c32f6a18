"""The API's page-number pagination, with the page number bounded.

django-ninja's PageNumberPagination accepts any page number; one beyond what a database can OFFSET (a 25-digit
page) made PostgreSQL and SQLite fail with a server error. Here a page past 1,000,000 is refused as invalid input
(422), like any other bad parameter."""

from __future__ import annotations

from typing import Optional

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class BoundedPageNumberPagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: Optional[int] = Field(None, ge=1)  # noqa: UP045 — the same annotation as ninja's own Input
