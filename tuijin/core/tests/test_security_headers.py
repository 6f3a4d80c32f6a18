"""Every response carries the browser security headers: a Content-Security-Policy without inline script, frame,
referrer, opener and permissions policies, nosniff; HSTS once the site runs on HTTPS."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tuijin.conftest import PASSWORD


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def assert_strict_csp(response):
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no host
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["font-src"] == ["'self'"]
    assert set(policy["img-src"]) == {"'self'", "data:", "blob:"}
    assert policy["style-src-elem"] == ["'self'"]  # style attributes only, no injected <style>


def assert_headers(response):
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    assert "camera=(self)" in permissions  # the phone report form may take a photo
    for feature in ("geolocation=()", "microphone=()", "payment=()", "usb=()"):
        assert feature in permissions


@pytest.mark.django_db
def test_it_sends_the_headers_on_the_login_page_and_on_errors(client):
    for response in (client.get(reverse("login")), client.get("/no-such-page/")):
        assert_strict_csp(response)
        assert_headers(response)


@pytest.mark.django_db
def test_it_sends_the_headers_on_signed_in_pages_and_the_api(client, task, sup):
    client.login(username=sup.username, password=PASSWORD)
    for url in (
        reverse("home"),
        reverse("task_list"),
        reverse("task_detail", args=[task.code]),
        "/api/v1/tasks",
    ):
        response = client.get(url)
        assert response.status_code in (200, 401), url
        assert_strict_csp(response)
        assert_headers(response)


@pytest.mark.django_db
def test_it_serves_the_api_docs_under_the_same_policy(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert_strict_csp(response)
    page = response.content.decode()
    assert "swagger-ui-bundle.js" in page and "cdn" not in page.lower()


@pytest.mark.django_db
@override_settings(
    SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=False
)
def test_it_asks_browsers_to_keep_to_https(client):
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get(reverse("login"))  # never over plain HTTP


@pytest.mark.django_db
@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_it_redirects_to_https_unless_the_proxy_says_the_request_was_https(client):
    response = client.get(reverse("login"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get(reverse("healthz")).status_code != 301  # health probes may come over plain HTTP
