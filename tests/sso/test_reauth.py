"""A person who signs in through the provider has no password here: a grave action long after they were
last authenticated sends them to sign in at the provider again (prompt=login), not to a password field."""

import time

import pytest
from django.contrib.auth import get_user_model

from approvals.models import ApprovalRequest
from governance.roles import Role
from governance.sessions import PASSWORD_AT
from tests.approvals.workflow import approved_use_case
from tests.factories import UserFactory
from tests.sso.test_sign_in import follow_to_app, sign_in

pytestmark = pytest.mark.django_db


def test_revoking_asks_for_a_fresh_sign_in_at_the_provider(sso, client, alice, team):
    use_case, round = approved_use_case(alice, team)
    sso.set_account("erin", groups=["clearance-executives"], name="Erin Exec")
    _, browser = sign_in(client, "erin")
    revoke = f"/use-cases/{use_case.reference}/revoke/"

    # Just signed in at the provider: no confirmation asked.
    assert "Confirm it is you at" not in client.get(revoke).text

    session = client.session
    session[PASSWORD_AT] = int(time.time()) - 3600
    session.save()
    page = client.get(revoke)
    assert 'type="password"' not in page.text
    assert "Confirm it is you at Acme Sign-In" in page.text
    refused = client.post(revoke, {"reason": "The vendor left the market."})
    assert refused.status_code == 400
    assert "Confirm that it is you at Acme Sign-In first. Nothing was changed." in refused.text
    round.refresh_from_db()
    assert round.status != ApprovalRequest.Status.REVOKED

    # The link: the provider asks for the password again although its session is alive, then back here.
    start = client.get(f"/oidc/authenticate/?reauth=1&next={revoke}")
    assert "prompt=login" in start["Location"] and "max_age=0" in start["Location"]
    back, asked = follow_to_app(client, browser, start["Location"], login="erin")
    assert asked and back["Location"] == revoke
    assert "Confirm it is you at" not in client.get(revoke).text
    assert client.post(revoke, {"reason": "The vendor left the market."}).status_code == 302
    round.refresh_from_db()
    assert round.status == ApprovalRequest.Status.REVOKED


def test_changing_roles_asks_an_admin_from_the_provider_to_sign_in_there_again(sso, client):
    sso.set_account("gail", groups=["clearance-admins"], name="Gail Admin")
    lena = UserFactory(username="lena")
    _, browser = sign_in(client, "gail")
    gail = get_user_model().objects.get(username="gail")
    assert gail.is_staff  # the admin role opens the admin site
    grant = {"role": Role.PRIVACY.value, "reason": "Joins the privacy office."}

    session = client.session
    session[PASSWORD_AT] = int(time.time()) - 3600
    session.save()
    page = client.get(f"/people/{lena.pk}/")
    assert 'type="password"' not in page.text
    link = f"/oidc/authenticate/?reauth=1&amp;next=%2Fpeople%2F{lena.pk}%2F"
    assert link in page.text and "Confirm it is you at Acme Sign-In" in page.text
    refused = client.post(f"/people/{lena.pk}/roles/grant/", grant)
    assert refused.status_code == 400
    assert "Confirm that it is you at Acme Sign-In first. Nothing was changed." in refused.text
    assert not lena.groups.exists()

    start = client.get(link.replace("&amp;", "&"))
    back, asked = follow_to_app(client, browser, start["Location"], login="gail")
    assert asked and back["Location"] == f"/people/{lena.pk}/"
    assert client.post(f"/people/{lena.pk}/roles/grant/", grant).status_code == 302
    assert set(lena.groups.values_list("name", flat=True)) == {Role.PRIVACY}


def test_the_admin_role_taken_away_by_the_provider_closes_the_admin_site(sso, client):
    sso.set_account("gail", groups=["clearance-admins"])
    sign_in(client, "gail")
    client.post("/logout/")
    sso.set_account("gail", groups=["clearance-owners"])
    sign_in(client, "gail")
    gail = get_user_model().objects.get(username="gail")
    assert not gail.is_staff
    assert client.get("/admin/").status_code == 302
