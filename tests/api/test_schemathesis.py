"""Property-based tests of the whole API against its own schema (Schemathesis): every operation, with
requests made from the schema (valid ones, and invalid ones that must be refused), asked by a service
account's token with the read and submit scopes and by a business owner's browser session, about a small
world of use cases in several states. No answer may be a server error; the answers to valid requests must
be what the schema says (status code, content type, body).

Requests go through the real WSGI application in this process (middleware, CSRF and all); each runs in a
savepoint rolled back afterwards, so every example meets the same world."""

import re

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from django.urls import get_resolver
from django.utils.crypto import get_random_string
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from identity.service_accounts import service_account_create, token_issue
from tests.api.test_api_matrix import api_routes
from tests.matrix_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    ADMIN,
    OWNER,
    media_root_fixture,
    quiet_refusals_fixture,
    world_fixture,
)

pytestmark = pytest.mark.django_db

# Enough to reach each operation's branches, few enough that the file runs in minutes on a small machine;
# derandomized, so a failure is the same failure on the next run.
EXAMPLES = 12
VALID = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
INVALID = [not_a_server_error]
# Routes that are pages for people, not operations of the API.
NOT_OPERATIONS = {"api_docs", "api_redoc"}


def openapi() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(
    openapi(),
    config=schemathesis.Config.from_dict(
        {
            "generation": {
                "mode": "all",  # valid requests, and invalid ones (which must not cause a server error either)
                "max-examples": EXAMPLES,
                "deterministic": True,
                "database": "none",
                # Credentials are the principal's own, never generated.
                "with-security-parameters": False,
            },
            # The document is rebuilt on each request: a few examples cover its two parameters.
            "operations": [{"include-path": "/api/v1/schema/", "generation": {"max-examples": 5}}],
        }
    ),
)


# The world's use case references, once it is built: most generated references name no use case (a 404
# every time); drawing from these too reaches the answers about real use cases in each state.
REFERENCES: list[str] = []


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    if not path_parameters or "reference" not in path_parameters or not REFERENCES:
        return st.just(path_parameters)
    known = st.sampled_from(REFERENCES).map(lambda reference: {**path_parameters, "reference": reference})
    return st.one_of(known, st.just(path_parameters))


@pytest.fixture(scope="module")
def credentials(world, django_db_blocker) -> dict[str, dict]:
    """What each principal sends: the service account its bearer token; the business owner the session
    and CSRF cookies, and the CSRF token as a header (asked of unsafe methods only, harmless on others)."""
    with django_db_blocker.unblock():
        account = service_account_create(user=world.users[ADMIN], name="Schema fuzzing", scopes=["read", "submit"])
        _, raw = token_issue(user=world.users[ADMIN], account=account, name="fuzzing")
        REFERENCES[:] = [world.use_case(state).reference for state in ("draft", "review", "returned", "approved")]
        browser = Client()
        browser.force_login(world.users[OWNER])
    csrf = get_random_string(32)
    return {
        "service_account": {"headers": {"Authorization": f"Bearer {raw}"}, "cookies": {}},
        "business_owner": {
            "headers": {"X-CSRFToken": csrf},
            "cookies": {
                settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value,
                settings.CSRF_COOKIE_NAME: csrf,
            },
        },
    }


@pytest.fixture(autouse=True)
def connection_kept_across_requests():
    """Django closes the database connection at the end of each request it serves (the test client turns
    that off): here it would end the test's transaction and the world with it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def test_every_api_route_is_an_operation_of_the_schema():
    """Nothing escapes the fuzzing by being left out of the schema: each route under /api/v1/ (but the
    reference pages) has at least one operation."""
    documented = {_shape(path) for path in openapi()["paths"]}
    resolver = get_resolver()
    missing = []
    for name in sorted(name for name in api_routes() if name not in NOT_OPERATIONS):
        # Each way the route can be written, in OpenAPI's spelling with the parameters' names left out
        # (the schema may call `pk` `id`): /api/v1/use-cases/{}/.
        shapes = {
            _shape("/" + pattern % dict.fromkeys(params, "{}"))
            for possibility, *_ in resolver.reverse_dict.getlist(name)
            for pattern, params in possibility
        }
        if not shapes & documented:
            missing.append(f"{name} ({', '.join(sorted(shapes))})")
    assert not missing, "API routes missing from the schema: " + ", ".join(missing)


@pytest.mark.parametrize("principal", ["service_account", "business_owner"])
@schema.parametrize()
@hypothesis_settings(
    deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_it_answers_every_operation_as_its_schema_says(case, principal, credentials):
    sent = credentials[principal]
    with transaction.atomic():
        response = case.call(app=application, headers=sent["headers"], cookies=sent["cookies"])
        transaction.set_rollback(True)
    valid = case.meta is None or case.meta.generation.mode == GenerationMode.POSITIVE
    case.validate_response(response, checks=VALID if valid else INVALID, headers=sent["headers"])
    # Each request is asked as its principal: neither a refused credential nor a missing CSRF token may
    # turn the fuzzing into a test of the refusal alone.
    assert response.status_code != 401, response.text
    assert not (response.status_code == 403 and "CSRF" in response.text), response.text
