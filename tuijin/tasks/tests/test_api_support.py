"""Helpers for the API tests (no tests here): a bearer token per cast member and a tiny real PNG."""

import io
import json

from django.conf import settings
from django.test import Client
from PIL import Image

from tuijin.org.models import ApiToken

BASE = "/api/v1"


class Api:
    """The test client speaking to /api/v1 as one cast member, through a bearer token of their own."""

    def __init__(self, client: Client, user=None, key: str | None = None, language: str = "en"):
        if user is not None and key is None:
            _token, key = ApiToken.issue(user)
        self.client = client
        # The site speaks Chinese unless the language cookie says otherwise (Accept-Language is ignored).
        self.headers = {"HTTP_COOKIE": f"{settings.LANGUAGE_COOKIE_NAME}={language}"}
        if key is not None:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"

    def get(self, path: str, **params):
        return self.client.get(BASE + path, params, **self.headers)

    def post(self, path: str, body: dict | None = None):
        """POST a JSON body."""
        return self.client.post(
            BASE + path, json.dumps(body or {}), content_type="application/json", **self.headers
        )

    def post_form(self, path: str, fields: dict):
        """POST multipart/form-data, files included."""
        return self.client.post(BASE + path, fields, **self.headers)


def tiny_png(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(out, "PNG")
    return out.getvalue()
