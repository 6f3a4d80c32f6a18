"""Task endpoints of the JSON API (filled in by the API work)."""

from ninja import Router

router = Router(tags=["tasks"])
