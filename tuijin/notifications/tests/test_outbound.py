"""The outbound seam against a real HTTP server on this machine: success, HTTP errors, robot errors."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tuijin.core import outbound
from tuijin.core.outbound import OutboundError


class RobotHandler(BaseHTTPRequestHandler):
    """Answers like a group robot; the path picks the answer."""

    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, self.headers["Content-Type"], json.loads(body.decode("utf-8"))))
        status, reply = {
            "/ok": (200, {"errcode": 0, "errmsg": "ok"}),
            "/refused": (200, {"errcode": 93000, "errmsg": "invalid webhook url"}),
            "/broken": (502, {"error": "bad gateway"}),
            "/moved": (302, {}),
            "/empty": (204, None),
        }[self.path]
        self.send_response(status)
        if self.path == "/moved":
            self.send_header("Location", "/ok")
        self.end_headers()
        if reply is not None:
            self.wfile.write(json.dumps(reply).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    RobotHandler.received = []
    httpd = HTTPServer(("127.0.0.1", 0), RobotHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_it_posts_utf8_json_and_returns_the_reply(server):
    reply = outbound.post_json(f"{server}/ok", {"msgtype": "markdown", "markdown": {"content": "### 督办单"}})
    assert reply == {"errcode": 0, "errmsg": "ok"}
    assert RobotHandler.received == [
        (
            "/ok",
            "application/json; charset=utf-8",
            {"msgtype": "markdown", "markdown": {"content": "### 督办单"}},
        )
    ]


def test_it_accepts_an_empty_success(server):
    assert outbound.post_json(f"{server}/empty", {}) == {}


def test_it_raises_on_a_non_2xx_answer(server):
    with pytest.raises(OutboundError, match="502"):
        outbound.post_json(f"{server}/broken", {})


def test_it_does_not_follow_redirects(server):
    with pytest.raises(OutboundError, match="302"):
        outbound.post_json(f"{server}/moved", {})
    assert [path for path, *_rest in RobotHandler.received] == ["/moved"]


def test_it_raises_on_a_robot_error_code(server):
    with pytest.raises(OutboundError, match="93000") as exc:
        outbound.post_json(f"{server}/refused", {})
    assert "invalid webhook url" in str(exc.value)


def test_it_raises_when_nothing_listens(server):
    with HTTPServer(("127.0.0.1", 0), RobotHandler) as idle:
        port = idle.server_address[1]  # bound then closed: nothing listens there any more
    with pytest.raises(OutboundError, match="127.0.0.1"):
        outbound.post_json(f"http://127.0.0.1:{port}/ok", {}, timeout=2)


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "qyapi.weixin.qq.com/x", ""])
def test_it_refuses_addresses_that_are_not_http(url):
    with pytest.raises(OutboundError):
        outbound.post_json(url, {})
