"""A person who signs in through the provider has no password here: a grave action long after they were
last authenticated sends them to sign in at the provider again (prompt=login), not to a password field."""

import time

import pytest

from approvals.models import ApprovalRequest
from governance.sessions import PASSWORD_AT
from tests.approvals.workflow import approved_use_case
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
