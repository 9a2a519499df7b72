"""The API's permission matrix: every route under /api/v1/, asked by every role with a session and by tokens
of each scope, about objects in every state, against what each must get. A refused request must leave every
domain table as it was; a route with no case fails `test_every_api_route_has_a_case`."""

import importlib
import pkgutil

import pytest
from django.db import DatabaseError, transaction
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

import tests.api
from identity.service_accounts import service_account_create, token_issue, token_revoke
from tests.api.matrix import PRINCIPALS, TOKEN_GATEWAY, TOKEN_READ, TOKEN_REVOKED, TOKEN_SUBMIT, TOKENS, ApiCase
from tests.matrix_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    ADMIN,
    ANONYMOUS,
    World,
    fingerprint,
    fingerprint_diff,
    media_root_fixture,
    quiet_refusals_fixture,
    world_fixture,
)

pytestmark = pytest.mark.django_db


def _cases() -> list[ApiCase]:
    cases = []
    for module in pkgutil.iter_modules(tests.api.__path__):
        if module.name.startswith("matrix_"):
            cases += importlib.import_module(f"tests.api.{module.name}").CASES
    return cases


CASES = _cases()


def api_routes(patterns=None, prefix: str = "") -> set[str]:
    found = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found |= api_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and (prefix + str(pattern.pattern)).startswith("api/v1/"):
            found.add(pattern.name or f"<unnamed> {prefix}{pattern.pattern}")
    return found


def test_every_api_route_has_a_case():
    missing = sorted(api_routes() - {case.route for case in CASES})
    assert not missing, "API routes with no case in tests/api/matrix_*.py: " + ", ".join(missing)


def test_every_case_names_an_api_route_and_every_principal():
    routes = api_routes()
    wrong = [f"{case.route} {case.variant}" for case in CASES if case.route not in routes]
    wrong += [
        f"{case.route} {case.variant}: {set(PRINCIPALS) ^ set(case.expect)}"
        for case in CASES
        if set(case.expect) != set(PRINCIPALS)
    ]
    assert not wrong


@pytest.fixture(scope="module")
def tokens(world, django_db_blocker) -> dict[str, str]:
    """A token for each scope, and a revoked one; made inside the world's transaction."""
    admin = world.users[ADMIN]
    raw = {}
    with django_db_blocker.unblock():
        for principal, scopes in (
            (TOKEN_READ, ["read"]),
            (TOKEN_SUBMIT, ["submit"]),
            (TOKEN_GATEWAY, ["gateway"]),
            (TOKEN_REVOKED, ["read", "submit"]),
        ):
            account = service_account_create(user=admin, name=f"Matrix {principal}", scopes=scopes)
            token, raw[principal] = token_issue(user=admin, account=account, name="matrix")
        token_revoke(user=admin, token=token)
    return raw


def _client(world: World, tokens: dict[str, str], principal: str) -> APIClient:
    client = APIClient(raise_request_exception=False)
    if principal in TOKENS:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens[principal]}")
    elif principal != ANONYMOUS:
        client.force_login(world.users[principal])
    return client


def _ask(client: APIClient, case: ApiCase, principal: str, world: World) -> str | None:
    target = case.url(world)
    check_rows = case.method != "get" and principal not in case.changes
    with transaction.atomic():
        before = fingerprint() if check_rows else None
        body = case.data(world) if case.data else None
        kwargs = {"format": "multipart" if case.multipart else "json"} if body is not None else {}
        response = getattr(client, case.method)(target, body, **kwargs)
        changed = []
        if check_rows:
            try:
                with transaction.atomic():
                    changed = fingerprint_diff(before, fingerprint())
            except DatabaseError as exc:
                changed = [f"the transaction is broken ({exc.__class__.__name__})"]
        transaction.set_rollback(True)
    expected = case.expect[principal]
    where = f"{principal}: {case.method.upper()} {target} [{case.route} {case.variant}]".rstrip()
    if response.status_code != expected:
        return f"{where}: got {response.status_code}, expected {expected}"
    if changed:
        return f"{where}: refused ({response.status_code}) but changed {', '.join(changed)}"
    return None


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_each_principal_gets_what_the_policy_says(world, tokens, principal):
    failures = [
        failure
        for case in CASES
        if (failure := _ask(_client(world, tokens, principal), case, principal, world)) is not None
    ]
    assert not failures, f"{principal}: {len(failures)} of {len(CASES)} requests differ:\n" + "\n".join(failures)
