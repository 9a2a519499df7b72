import pytest

from tests.factories import AnswerFactory, RiskFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "governance/vendor",
    "governance/aimodel",
    "governance/datacategory",
    "governance/usecase",
    "governance/risk",
    "checklist/checklisttemplate",
    "checklist/checklistsection",
    "checklist/checklistitem",
    "checklist/answer",
    "checklist/evidence",
    "approvals/notification",
]


@pytest.fixture
def admin_client_as_governance_admin(client, governance_admin, use_case):
    RiskFactory(use_case=use_case)
    AnswerFactory(use_case=use_case)
    client.force_login(governance_admin)
    return client


@pytest.mark.parametrize("page", PAGES)
def test_governance_admins_can_open_every_list(admin_client_as_governance_admin, page):
    assert admin_client_as_governance_admin.get(f"/admin/{page}/").status_code == 200


def test_use_case_history_page(admin_client_as_governance_admin, use_case):
    response = admin_client_as_governance_admin.get(f"/admin/governance/usecase/{use_case.pk}/history/")
    assert response.status_code == 200
    assert "Request opened" in response.text


def test_use_cases_are_read_only_in_admin(admin_client_as_governance_admin, use_case):
    client = admin_client_as_governance_admin
    assert client.get("/admin/governance/usecase/add/").status_code == 403
    response = client.post(f"/admin/governance/usecase/{use_case.pk}/change/", {"title": "Hijacked"})
    assert response.status_code == 403
    use_case.refresh_from_db()
    assert use_case.title != "Hijacked"


def test_business_owners_cannot_open_admin(client, alice):
    client.force_login(alice)
    assert client.get("/admin/").status_code == 302
