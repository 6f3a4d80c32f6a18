"""API for the coordination app, mounted in tuijin/api.py."""

from ninja import Router

router = Router(tags=["coordination"])
