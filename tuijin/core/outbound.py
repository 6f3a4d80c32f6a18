"""The one seam for outbound HTTP. Nothing else in Tuijin talks to the network, so tests patch `post_json`."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from django.utils.translation import gettext as _

MAX_REPLY_BYTES = 64 * 1024


class OutboundError(Exception):
    """A message could not be delivered; the text says why, for the person who set the channel up."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A robot endpoint never redirects; following one would turn the POST into a GET somewhere else."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).hostname or url


def post_json(url: str, payload: dict, *, timeout: float = 5.0) -> dict:
    """POST `payload` as UTF-8 JSON to `url` and return the JSON reply (empty dict when there is none).

    Raises OutboundError on a URL that is not http(s), a network error, a non-2xx answer, or a group
    robot's reply with a non-zero `errcode` (WeCom and DingTalk answer 200 with the error in the body)."""
    parts = urllib.parse.urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OutboundError(_("Not an http(s) address: %(url)s") % {"url": url})
    host = parts.hostname
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "Tuijin"},
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            status = response.status
            raw = response.read(MAX_REPLY_BYTES)
    except urllib.error.HTTPError as exc:
        raise OutboundError(
            _("%(host)s answered HTTP %(status)s.") % {"host": host, "status": exc.code}
        ) from exc
    except urllib.error.URLError as exc:
        raise OutboundError(
            _("Could not reach %(host)s: %(reason)s") % {"host": host, "reason": exc.reason}
        ) from exc
    except (OSError, ValueError) as exc:  # timeouts, resets, malformed URLs
        raise OutboundError(
            _("Could not reach %(host)s: %(reason)s") % {"host": host, "reason": exc}
        ) from exc
    if not 200 <= status < 300:
        raise OutboundError(_("%(host)s answered HTTP %(status)s.") % {"host": host, "status": status})
    try:
        reply = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError):
        reply = {}
    if not isinstance(reply, dict):
        reply = {}
    errcode = reply.get("errcode", 0)
    if errcode not in (0, "0", None):
        raise OutboundError(
            _("%(host)s refused the message: error %(code)s %(message)s")
            % {"host": host, "code": errcode, "message": reply.get("errmsg", "")}
        )
    return reply
