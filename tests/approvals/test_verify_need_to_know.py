"""Verifying a record tells anyone holding it whether it is genuine and current; the request behind it
(reference, title, why it was suspended) only to people who may see that request."""

import pytest

from approvals.documents.records import approval_record_render
from approvals.services import approval_revoke
from tests.approvals.workflow import approved_use_case, person

pytestmark = pytest.mark.django_db

URL = "/records/verify/"
SECRET_REASON = "Vendor breach under embargo until Friday"


@pytest.fixture
def record(alice, team):
    use_case, round = approved_use_case(alice, team, title="Project Nightingale")
    return approval_record_render(round_id=round.pk)


@pytest.fixture
def revoked(record, team):
    approval_revoke(use_case=record.round.use_case, user=team["executive"], reason=SECRET_REASON)
    return record


def secrets_of(record) -> list[str]:
    return [record.round.use_case.reference, record.round.use_case.title, SECRET_REASON]


def test_an_outsider_learns_only_that_it_is_genuine_and_current(client, charlie, record):
    client.force_login(charlie)
    body = client.post(URL, {"sha256": record.sha256}).text
    assert "Genuine" in body and "it is the current approval" in body
    assert not [s for s in secrets_of(record)[:2] if s in body]


def test_an_outsider_is_not_told_why_an_approval_was_revoked(client, charlie, revoked):
    client.force_login(charlie)
    body = client.get(URL, {"sha256": revoked.sha256}).text
    assert "not the current approval" in body
    assert not [s for s in secrets_of(revoked) if s in body]


def test_an_outsider_gets_json_without_details(client, charlie, revoked):
    client.force_login(charlie)
    answer = client.get(URL, {"sha256": revoked.sha256, "format": "json"}).json()
    assert answer == {
        "genuine": True,
        "sha256": revoked.sha256,
        "current": False,
        "message": "This is a genuine approval record, but it is not the current approval.",
    }


def test_an_account_with_no_role_gets_the_same_short_answer(client, revoked):
    client.force_login(person("auditor"))
    answer = client.get(URL, {"sha256": revoked.sha256, "format": "json"}).json()
    assert set(answer) == {"genuine", "sha256", "current", "message"}


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_people_who_see_the_use_case_get_its_details(client, alice, bob, revoked, who):
    client.force_login({"alice": alice, "bob": bob}[who])
    body = client.get(URL, {"sha256": revoked.sha256}).text
    assert all(s in body for s in secrets_of(revoked))
    answer = client.get(URL, {"sha256": revoked.sha256, "format": "json"}).json()
    assert answer["use_case"]["reference"] == revoked.round.use_case.reference
    assert SECRET_REASON in answer["standing"]


# --- Size limit while reading ---------------------------------------------------------------------


def test_an_upload_declared_far_over_the_limit_is_refused_unread(client, charlie, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    monkeypatch.setattr("approvals.views.MAX_UPLOAD_BYTES", 1024)
    started = []
    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", lambda self, *a, **k: started.append(a))
    client.force_login(charlie)
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 200_000, content_type="application/pdf")
    response = client.post(URL, {"file": upload})
    assert response.status_code == 400
    assert "larger than 1024 bytes" in response.text
    assert started == []
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 200_000, content_type="application/pdf")
    json_answer = client.post(f"{URL}?format=json", {"file": upload})
    assert json_answer.status_code == 400 and json_answer.json()["errors"]["file"][0]["code"] == "too_large"


def test_an_upload_over_the_limit_within_the_form_allowance_is_stopped_while_read(client, charlie, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    monkeypatch.setattr("approvals.views.MAX_UPLOAD_BYTES", 1024)
    client.force_login(charlie)
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 3000, content_type="application/pdf")
    response = client.post(URL, {"file": upload})
    assert response.status_code == 400
    assert "larger than 1024 bytes" in response.text
