"""API for the spaces app, mounted in tuijin/api.py."""

from ninja import Router

router = Router(tags=["spaces"])
