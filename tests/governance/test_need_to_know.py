"""Who sees which use case: owners their own from the first draft; reviewers, executives and admins
every use case submitted at least once, never a draft that was not; an account with no role none."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.permissions import can_view_use_case
from governance.roles import Role
from governance.selectors import use_cases_visible_to
from tests.approvals.workflow import complete_use_case, person, submit
from tests.factories import UseCaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(alice):
    return complete_use_case(alice, title="Unsent draft of alice")


@pytest.fixture
def submitted(alice):
    return submit(complete_use_case(alice, title="Submitted request of alice")).use_case


@pytest.mark.parametrize(
    "role", [Role.LEGAL, Role.PRIVACY, Role.SECURITY, Role.PROCUREMENT, Role.COMPLIANCE, Role.EXECUTIVE, Role.ADMIN]
)
def test_every_reviewing_role_sees_submitted_use_cases_but_no_draft(role, draft, submitted):
    viewer = person("viewer", role)
    assert can_view_use_case(viewer, submitted) and not can_view_use_case(viewer, draft)
    assert list(use_cases_visible_to(viewer)) == [submitted]


def test_a_draft_returned_to_its_owner_stays_visible_to_reviewers(alice, bob, team):
    from tests.approvals.workflow import sign

    round = submit(complete_use_case(alice))
    sign(round, "legal", team["legal"], "request_changes", comment="Name the log retention.")
    round.use_case.refresh_from_db()
    assert round.use_case.status == round.use_case.Status.CHANGES_REQUESTED
    assert can_view_use_case(bob, round.use_case)


def test_owners_see_their_own_drafts_and_nothing_of_others(alice, charlie, draft, submitted):
    assert set(use_cases_visible_to(alice)) == {draft, submitted}
    assert can_view_use_case(alice, draft)
    assert list(use_cases_visible_to(charlie)) == []
    assert not can_view_use_case(charlie, submitted)


def test_a_named_owner_who_did_not_create_it_sees_the_draft(alice, charlie):
    use_case = UseCaseFactory(user=alice, technical_owner=charlie)
    assert can_view_use_case(charlie, use_case)
    assert use_case in use_cases_visible_to(charlie)


def test_an_account_with_no_role_sees_nothing(draft, submitted):
    nobody = person("nobody")
    assert list(use_cases_visible_to(nobody)) == []
    assert not can_view_use_case(nobody, submitted)


def test_an_account_stripped_of_its_roles_loses_even_its_own_use_cases(alice, draft):
    alice.groups.clear()
    alice = type(alice).objects.get(pk=alice.pk)
    assert not can_view_use_case(alice, draft)
    assert list(use_cases_visible_to(alice)) == []


def test_an_inactive_reviewer_sees_nothing(submitted):
    gone = person("gone", Role.LEGAL, is_active=False)
    assert not can_view_use_case(gone, submitted)
    assert list(use_cases_visible_to(gone)) == []


@pytest.mark.parametrize(
    "path",
    ["", "edit/", "risks/", "submit/"],
)
def test_a_reviewer_gets_404_on_every_page_of_a_draft(client, bob, draft, path):
    client.force_login(bob)
    response = client.get(f"/use-cases/{draft.reference}/{path}")
    assert response.status_code == 404
    assert draft.title not in response.text


def test_a_reviewer_cannot_download_a_drafts_evidence(client, alice, bob, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from checklist.services import evidence_add

    answer = draft.answers.first()
    evidence = evidence_add(answer=answer, user=alice, upload=SimpleUploadedFile("n.txt", b"notes\n"))
    client.force_login(bob)
    assert client.get(f"/use-cases/{draft.reference}/evidence/{evidence.pk}/").status_code == 404
    client.force_login(alice)
    assert client.get(f"/use-cases/{draft.reference}/evidence/{evidence.pk}/").status_code == 200


def test_the_list_hides_drafts_from_reviewers_and_everything_from_role_less(client, bob, draft, submitted):
    client.force_login(bob)
    body = client.get("/use-cases/").text
    assert submitted.title in body and draft.title not in body
    client.force_login(UserFactory(username="nobody"))
    body = client.get("/use-cases/").text
    assert submitted.title not in body and draft.title not in body


def list_queries(client) -> int:
    client.get("/use-cases/")  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/use-cases/").status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("viewer", ["alice", "bob"])
def test_the_list_costs_the_same_queries_for_1_and_10_use_cases(client, alice, bob, viewer):
    client.force_login({"alice": alice, "bob": bob}[viewer])
    submit(complete_use_case(alice))
    UseCaseFactory(user=alice)
    one = list_queries(client)
    for _ in range(4):
        submit(complete_use_case(alice))
        UseCaseFactory(user=alice)
    assert list_queries(client) == one
