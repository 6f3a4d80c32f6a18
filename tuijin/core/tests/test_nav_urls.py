"""The navigation links to each view's URL, reversed once per process, under whatever script prefix the site is
served (a reverse proxy may mount it under a path)."""

import pytest
from django.urls import reverse, set_script_prefix

from tuijin.conftest import PASSWORD
from tuijin.core.context_processors import NavUrls, nav_urls

LINKED = ["home", "cockpit", "plan_list", "task_list", "assessment_home", "warning_board", "order_list",
          "evidence_checks", "unit_list", "calendar", "inbox", "security_account", "set_language", "logout"]  # fmt: skip


@pytest.mark.django_db
def test_it_links_the_navigation_to_each_view(client, sup):
    assert client.login(username=sup.username, password=PASSWORD)
    html = client.get(reverse("task_list")).content.decode()
    for name in LINKED:
        assert f'"{reverse(name)}"' in html, name


@pytest.mark.django_db
def test_it_keeps_the_script_prefix_the_site_is_served_under(client, sup):
    assert client.login(username=sup.username, password=PASSWORD)
    # The WSGI handler sets the prefix from SCRIPT_NAME for each request; the test client does not.
    set_script_prefix("/tuijin/")
    try:
        mounted = client.get("/tasks/").content.decode()
    finally:
        set_script_prefix("/")
    assert 'href="/tuijin/plans/"' in mounted and 'href="/plans/"' not in mounted
    plain = client.get("/tasks/").content.decode()
    assert 'href="/plans/"' in plain and 'href="/tuijin/' not in plain


def test_it_reverses_a_name_once_and_refuses_an_unknown_one():
    urls = nav_urls()
    assert isinstance(urls, NavUrls) and nav_urls() is urls
    assert urls["plan_list"] == reverse("plan_list") == urls["plan_list"]
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        urls["no_such_view"]
