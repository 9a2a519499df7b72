"""A deactivated account's open session ends at its next request: the session keeps only the user's id and
the backend that signed them in, and that backend's `get_user` must refuse an inactive account."""

import pytest
from django.contrib.auth import get_backends

from governance.roles import Role
from tests.approvals.workflow import person

pytestmark = pytest.mark.django_db


def test_every_configured_backend_refuses_an_inactive_account_its_session(db):
    gone = person("gone", Role.LEGAL, is_active=False)
    for backend in get_backends():
        if hasattr(backend, "get_user"):
            assert backend.get_user(gone.pk) is None, f"{type(backend).__name__} keeps a deactivated account signed in"


def test_a_deactivated_persons_next_request_is_signed_out(client):
    lena = person("lena", Role.LEGAL)
    client.force_login(lena)
    assert client.get("/reviews/").status_code == 200
    type(lena).objects.filter(pk=lena.pk).update(is_active=False)
    response = client.get("/reviews/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/").wsgi_request.user.is_anonymous
