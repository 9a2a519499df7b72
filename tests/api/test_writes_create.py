"""POST /api/v1/drafts/: opening a draft request, by a business owner's session or a submit token."""

import pytest

from approvals.models import ApprovalEvent
from governance.models import UseCase
from governance.roles import Role
from tests.api.helpers import service_account, session_client, token_client
from tests.api.test_writes_support import (  # noqa: F401 (the *_fixture names are fixtures)
    csrf_client,
    new_draft,
    owner_fixture,
    pipeline_fixture,
    url,
    with_csrf,
)
from tests.approvals.workflow import person
from tests.factories import AIModelFactory

pytestmark = pytest.mark.django_db

CREATE = "/api/v1/drafts/"


def test_it_opens_a_draft_for_a_business_owner(owner):
    response = session_client(owner).post(CREATE, new_draft(), format="json")
    assert response.status_code == 201, response.json()
    use_case = UseCase.objects.get(reference=response.json()["reference"])
    assert use_case.status == UseCase.Status.DRAFT
    assert use_case.created_by == owner
    assert (use_case.business_owner.username, use_case.technical_owner.username, use_case.risk_owner.username) == (
        "alice",
        "charlie",
        "erin",
    )
    assert use_case.hosting_country == "DE"  # cleaned by the request form
    assert response.json() == {
        "reference": use_case.reference,
        "title": "Ticket triage",
        "status": "draft",
        "url": f"http://testserver/use-cases/{use_case.reference}/",
    }


def test_it_opens_a_draft_for_a_submit_token_and_names_the_account_in_the_history(pipeline):
    account, client = pipeline
    response = client.post(CREATE, new_draft(data_categories=["customer-records"]), format="json")
    assert response.status_code == 201, response.json()
    use_case = UseCase.objects.get(reference=response.json()["reference"])
    assert use_case.created_by == account.user
    assert list(use_case.data_categories.values_list("slug", flat=True)) == ["customer-records"]
    assert use_case.history.get().history_user == account.user
    assert account.user.has_perm("governance.change_usecase", use_case)


def test_it_refuses_a_reviewer():
    reviewer = person("lena", Role.LEGAL)
    response = session_client(reviewer).post(CREATE, new_draft(), format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only business owners open requests."}
    assert not UseCase.objects.exists()


def test_it_refuses_a_person_without_a_role():
    assert session_client(person("nadia")).post(CREATE, new_draft(), format="json").status_code == 403


@pytest.mark.parametrize("scopes", [("read",), ("gateway",)])
def test_it_refuses_a_token_without_the_submit_scope(scopes):
    _, raw = service_account(*scopes)
    response = token_client(raw).post(CREATE, new_draft(), format="json")
    assert response.status_code == 403
    assert not UseCase.objects.exists()


def test_it_refuses_get(owner):
    assert session_client(owner).get(CREATE).status_code == 405


def test_it_applies_the_request_forms_rules(owner):
    model = AIModelFactory()
    body = new_draft(model, technical_owner="alice", fallback_models=[model.pk])
    response = session_client(owner).post(CREATE, body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["fallback_models"] == ["The primary model cannot be its own fallback."]
    assert "say why" in errors["owners_shared_reason"][0]
    assert not UseCase.objects.exists()


def test_it_requires_the_three_owners(pipeline):
    _, client = pipeline
    body = new_draft()
    del body["risk_owner"]
    response = client.post(CREATE, body, format="json")
    assert response.status_code == 400
    assert "risk_owner" in response.json()


def test_owners_must_be_people_who_may_own(pipeline, owner):
    account, client = pipeline
    person("olga", Role.BUSINESS_OWNER, is_active=False)
    for name in ("olga", "nobody", account.user.username):
        response = client.post(CREATE, new_draft(risk_owner=name), format="json")
        assert response.status_code == 400, name
        assert "risk_owner" in response.json()
    assert not UseCase.objects.exists()


def test_it_needs_the_csrf_token_from_a_browser(owner):
    client = csrf_client(owner)
    assert client.post(CREATE, new_draft(), format="json").status_code == 403
    assert not UseCase.objects.exists()
    assert with_csrf(client).post(CREATE, new_draft(), format="json").status_code == 201


def test_it_records_no_event_for_a_draft(owner):
    session_client(owner).post(CREATE, new_draft(), format="json")
    assert not ApprovalEvent.objects.exists()
