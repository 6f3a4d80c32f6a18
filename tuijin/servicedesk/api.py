"""API for the servicedesk app, mounted in tuijin/api.py."""

from ninja import Router

router = Router(tags=["servicedesk"])
