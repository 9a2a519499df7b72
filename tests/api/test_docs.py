"""The API's reference pages, Swagger UI and Redoc: for anyone signed in with a role, drawn from assets this
server serves (no other host), under a Content-Security-Policy that still forbids scripts from elsewhere."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from governance.roles import Role
from tests.approvals.workflow import person

pytestmark = pytest.mark.django_db

PAGES = ["api_docs", "api_redoc"]


def signed_in(*roles):
    client = Client()
    client.force_login(person("maria", *roles))
    return client


@pytest.mark.parametrize("route", PAGES)
@pytest.mark.parametrize("role", [Role.BUSINESS_OWNER, Role.LEGAL, Role.EXECUTIVE, Role.ADMIN])
def test_it_shows_the_page_to_anyone_with_a_role(route, role):
    response = signed_in(role).get(reverse(route))
    assert response.status_code == 200
    assert reverse("api_schema") in response.content.decode()


@pytest.mark.parametrize("route", PAGES)
def test_it_sends_an_anonymous_visitor_to_sign_in(route):
    response = Client().get(reverse(route))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("route", PAGES)
def test_it_tells_an_account_with_no_role_nothing(route):
    assert signed_in().get(reverse(route)).status_code == 404


@pytest.mark.parametrize("route", PAGES)
def test_it_refuses_other_methods(route):
    client = signed_in(Role.BUSINESS_OWNER)
    assert client.post(reverse(route)).status_code == 405


@pytest.mark.parametrize("route", PAGES)
def test_it_loads_only_assets_from_this_server(route):
    html = signed_in(Role.BUSINESS_OWNER).get(reverse(route)).content.decode()
    assert not re.search(r"(https?:)?//[a-z0-9]", html, re.IGNORECASE), "an address on another host"
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(asset.startswith("/static/") for asset in assets)
    assert "<script>" not in html and "<style" not in html and " style=" not in html


@pytest.mark.parametrize("route", PAGES)
def test_it_keeps_scripts_to_this_server_under_the_content_security_policy(route):
    policy = signed_in(Role.BUSINESS_OWNER).get(reverse(route))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    # What the bundles need (styles written at run time), and nothing from another host.
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert "http" not in policy and "*" not in policy


def test_it_leaves_the_other_pages_under_the_strict_policy():
    policy = signed_in(Role.BUSINESS_OWNER).get(reverse("use_case_list"))["Content-Security-Policy"]
    assert "style-src 'self';" in policy and "unsafe-inline" not in policy


def test_the_static_files_they_name_exist():
    from django.contrib.staticfiles import finders

    client = signed_in(Role.BUSINESS_OWNER)
    html = "".join(client.get(reverse(route)).content.decode() for route in PAGES)
    for asset in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(asset), asset
