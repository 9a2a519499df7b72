"""Every response to a signed-in person says `Cache-Control: no-store`, over every route of the URL
resolver (the permission matrix's cases, so a route added tomorrow is covered); anonymous ones do not."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client

from tests.matrix_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    ADMIN,
    EXECUTIVE,
    OWNER,
    media_root_fixture,
    quiet_refusals_fixture,
    world_fixture,
)
from tests.test_permission_matrix import EXPECTATIONS

pytestmark = pytest.mark.django_db

# The staff admin reaches the admin's pages too; the owner, a reviewer and an executive see the site as
# their roles do.
SIGNED_IN = (ADMIN, OWNER, "legal", EXECUTIVE)


def to_a_login(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and location.startswith((resolve_url(settings.LOGIN_URL), "/admin/login/"))


@pytest.mark.parametrize("role", SIGNED_IN)
def test_every_get_route_says_no_store_to_a_signed_in_person(world, role):
    clients = Client(raise_request_exception=False)
    clients.force_login(world.users[role])
    asked, missing = 0, []
    for key, cases in EXPECTATIONS.items():
        if key in ("logout", "admin:logout"):
            continue  # signs out: the response goes to someone no longer signed in
        for case in cases:
            if case.get is None:
                continue
            target = case.url(world)
            response = clients.get(target)
            if to_a_login(response):
                continue
            asked += 1
            cache_control = response.get("Cache-Control", "")
            if "no-store" not in cache_control:
                missing.append(f"GET {target} [{key}] {response.status_code}: Cache-Control {cache_control!r}")
    assert asked > 40
    assert not missing, f"{len(missing)} of {asked} responses may be stored:\n" + "\n".join(missing)


def test_a_download_says_no_store(world, client):
    client.force_login(world.users[OWNER])
    response = client.get(f"/use-cases/{world.approved.reference}/evidence/{world.evidence['approved'].pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_an_htmx_fragment_says_no_store(world, client):
    client.force_login(world.users[OWNER])
    response = client.get("/use-cases/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_anonymous_responses_keep_their_headers(client, world):
    response = client.get("/use-cases/")
    assert response["Location"].startswith("/login/")
    assert "Cache-Control" not in response
    # The sign-in page and the health checks are never cached, by Django's and their own decorators.
    assert "no-cache" in client.get("/healthz/live")["Cache-Control"]
