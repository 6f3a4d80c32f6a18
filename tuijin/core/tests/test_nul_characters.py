"""A NUL character in a parameter is refused with 400 on every database, never sent on to PostgreSQL (500)."""

import pytest

from tuijin.org.models import ApiToken


@pytest.mark.django_db
def test_it_refuses_nul_in_a_query_string_a_form_and_a_json_body(client, sup):
    _token, key = ApiToken.issue(sup)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/projects", {"category": "G\x00R", "year": 2021}, **auth).status_code == 400
    assert client.get("/api/v1/projects?sector=%00", **auth).status_code == 400
    # forms posted as multipart are Django's: its CharField refuses NUL with a message (ProhibitNullCharactersValidator)
    response = client.post("/api/v1/tasks/x/extensions", '{"reason": "a\\u0000b"}', content_type="application/json",
                           **auth)  # fmt: skip
    assert response.status_code == 400
    assert client.get("/api/v1/projects", {"year": 2021}, **auth).status_code == 200
