"""Verifying an approval record: by its file or its SHA-256, as a service, a page and JSON."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.documents.records import approval_record_render
from approvals.documents.verification import record_verify
from approvals.models import ApprovalRecord
from approvals.services import approval_revoke, use_case_edit
from tests.approvals.workflow import approve_all, approved_use_case, complete_use_case, sign, submit

pytestmark = pytest.mark.django_db

URL = "/records/verify/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def record(alice, team) -> ApprovalRecord:
    _, round = approved_use_case(alice, team)
    return approval_record_render(round_id=round.pk)


def pdf_bytes(record: ApprovalRecord) -> bytes:
    return Path(record.file.path).read_bytes()


def altered(data: bytes) -> bytes:
    """The same file with one byte changed, in the middle of it."""
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


# --- The service ----------------------------------------------------------------------------------


def test_it_accepts_the_file(record):
    result = record_verify(data=pdf_bytes(record))

    assert result.genuine
    assert result.record == record
    assert result.current
    assert result.outcome == "approved"
    assert result.as_json(detailed=True)["use_case"]["reference"] == record.round.use_case.reference


def test_it_accepts_the_hash_in_any_case_with_spaces(record):
    assert record_verify(sha256=f"  {record.sha256.upper()} \n").record == record


def test_it_rejects_the_file_with_one_byte_altered(record):
    result = record_verify(data=altered(pdf_bytes(record)))

    assert not result.genuine
    assert result.record is None
    assert not result.current


def test_it_rejects_a_malformed_hash(record):
    with pytest.raises(ValueError, match="64 hexadecimal"):
        record_verify(sha256="xyz")
    with pytest.raises(ValueError):
        record_verify()


def test_a_suspended_approval_is_genuine_but_no_longer_current(alice, team, record):
    use_case = record.round.use_case
    use_case_edit(use_case=use_case, user=alice, hosting_country="FR", reason="Paris data centre")

    result = record_verify(sha256=record.sha256)

    assert result.genuine
    assert not result.current
    assert "suspended" in result.standing
    assert "Material change" in result.standing
    assert result.outcome == "approved"  # what the round decided, whatever befell it later


def test_a_superseded_round_is_not_current_and_the_new_one_is(alice, team, record):
    use_case = record.round.use_case
    use_case_edit(use_case=use_case, user=alice, hosting_country="FR", reason="Paris data centre")
    round2 = use_case.rounds.get(number=2)
    approve_all(round2, team)
    second = approval_record_render(round_id=round2.pk)

    assert not record_verify(sha256=record.sha256).current
    assert record_verify(sha256=second.sha256).current


def test_a_revoked_approval_is_not_current(alice, team, record):
    risk_owner = record.round.use_case.risk_owner
    approval_revoke(use_case=record.round.use_case, user=risk_owner, reason="Vendor left the market")

    result = record_verify(sha256=record.sha256)

    assert result.genuine
    assert not result.current
    assert "revoked" in result.standing


def test_a_rejection_record_is_genuine_and_not_an_approval(alice, team):
    round = submit(complete_use_case(alice))
    sign(round, "legal", team["legal"], "reject", comment="No")
    record = approval_record_render(round_id=round.pk)

    result = record_verify(sha256=record.sha256)

    assert result.genuine
    assert result.outcome == "rejected"
    assert not result.current


# --- The page -------------------------------------------------------------------------------------


def test_it_shows_the_form(client, charlie):
    client.force_login(charlie)
    response = client.get(URL)

    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text
    assert 'name="sha256"' in response.text
    assert "csrfmiddlewaretoken" in response.text


def test_it_requires_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_nav_links_to_it(client, charlie):
    client.force_login(charlie)
    assert f'href="{URL}">Verify a record' in client.get("/").text


def test_an_owner_verifies_an_uploaded_record_and_sees_its_details(client, alice, record):
    client.force_login(alice)
    upload = SimpleUploadedFile("record.pdf", pdf_bytes(record), content_type="application/pdf")
    response = client.post(URL, {"file": upload})

    assert response.status_code == 200
    assert "Genuine" in response.text
    assert record.round.use_case.reference in response.text
    assert "This is the current approval" in response.text
    assert record.snapshot_sha256 in response.text


def test_an_altered_upload_is_not_genuine(client, charlie, record):
    client.force_login(charlie)
    upload = SimpleUploadedFile("record.pdf", altered(pdf_bytes(record)), content_type="application/pdf")
    response = client.post(URL, {"file": upload})

    assert response.status_code == 200
    assert "Not genuine" in response.text
    assert record.round.use_case.reference not in response.text


def test_a_pasted_hash_is_verified(client, charlie, record):
    client.force_login(charlie)
    response = client.post(URL, {"sha256": record.sha256})
    assert response.status_code == 200
    assert "Genuine" in response.text


def test_a_bad_hash_shows_an_error(client, charlie, record):
    client.force_login(charlie)
    response = client.post(URL, {"sha256": "not-a-hash"})

    assert response.status_code == 400
    assert "64 hexadecimal digits" in response.text
    assert "Genuine" not in response.text


def test_a_file_that_is_not_a_pdf_shows_an_error(client, charlie):
    client.force_login(charlie)
    upload = SimpleUploadedFile("notes.txt", b"hello, auditor", content_type="text/plain")
    response = client.post(URL, {"file": upload})

    assert response.status_code == 400
    assert "not a PDF" in response.text


def test_a_file_over_20_mb_shows_an_error(client, charlie, monkeypatch):
    monkeypatch.setattr("approvals.views.MAX_UPLOAD_BYTES", 1024)
    client.force_login(charlie)
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2048, content_type="application/pdf")
    response = client.post(URL, {"file": upload})

    assert response.status_code == 400
    assert "larger than" in response.text


def test_nothing_to_verify_shows_an_error(client, charlie):
    client.force_login(charlie)
    response = client.post(URL, {})
    assert response.status_code == 400
    assert "Upload the record or paste its SHA-256" in response.text


# --- JSON -----------------------------------------------------------------------------------------


def test_it_answers_json_for_a_genuine_record(client, alice, record):
    client.force_login(alice)
    response = client.post(URL, {"sha256": record.sha256}, headers={"Accept": "application/json"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    round = record.round
    assert response.json() == {
        "genuine": True,
        "sha256": record.sha256,
        "use_case": {"reference": round.use_case.reference, "title": round.use_case.title},
        "round": 1,
        "outcome": "approved",
        "outcome_label": "Approved",
        "round_status": "approved",
        "current": True,
        "standing": f"This is the current approval of {round.use_case.reference} until {round.expires_on}.",
        "snapshot_sha256": round.snapshot_sha256,
        "decided_at": round.decided_at.isoformat(),
        "expires_on": round.expires_on.isoformat(),
        "issued_at": record.created_at.isoformat(),
        "pages": record.pages,
        "size": record.size,
    }


def test_it_answers_json_for_an_upload_and_a_get(client, charlie, record):
    client.force_login(charlie)
    upload = SimpleUploadedFile("record.pdf", altered(pdf_bytes(record)), content_type="application/pdf")
    posted = client.post(f"{URL}?format=json", {"file": upload}).json()
    got = client.get(URL, {"sha256": record.sha256, "format": "json"}).json()

    assert posted["genuine"] is False
    assert set(posted) == {"genuine", "sha256", "message"}
    assert got["genuine"] is True


def test_json_errors_are_400_with_the_messages(client, charlie):
    client.force_login(charlie)
    response = client.get(URL, {"sha256": "abc", "format": "json"})

    assert response.status_code == 400
    assert "64 hexadecimal digits" in response.json()["errors"]["sha256"][0]["message"]
