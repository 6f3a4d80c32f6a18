"""The API fuzzed from its own OpenAPI schema (schemathesis): whatever is sent, the server never errs (5xx).

Every operation is called with generated parameters and bodies — valid and invalid — by a supervisor and by a
unit user, through the whole Django stack (middleware, authentication, scoping, validation)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tuijin.api import api
from tuijin.conftest import make_user
from tuijin.org.models import ApiToken, Role

# The schema comes straight from the API object (no request, so no database is needed at collection time);
# each case is then sent through the whole WSGI application.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI handler closes "old" connections when a request starts and ends; inside the test's transaction that
    closes PostgreSQL's connection. Django's own test client switches this off the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(task, sup, alice):
    """A supervisor's and a unit user's tokens, and a task both may see, so paths can hit real rows too."""
    make_user("fuzz_unit_c", Role.UNIT, None)
    return [ApiToken.issue(sup)[1], ApiToken.issue(alice)[1]]


@pytest.mark.django_db
@schema.parametrize()
# derandomize: the same inputs on every run, so a red CI is a real regression; the inputs change with the schema.
# Random runs found the 25-digit page numbers (tuijin/core/pagination.py); drop derandomize locally to explore.
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_it_never_answers_with_a_server_error(case, tokens):
    for token in tokens:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error], excluded_checks=[]
        )
