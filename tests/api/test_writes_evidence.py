"""POST …/checklist/<item>/evidence/: a file for an answer, with the upload page's limit, sniffing and hashing."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from checklist.models import Evidence
from tests.api.helpers import service_account, session_client, token_client
from tests.api.test_writes_support import (  # noqa: F401 (the *_fixture names are fixtures)
    csrf_client,
    draft_fixture,
    new_draft,
    other_owner_fixture,
    owner_fixture,
    pipeline_fixture,
    url,
    with_csrf,
)
from tests.approvals.workflow import business_items, submit

pytestmark = pytest.mark.django_db

REPORT = b"Red-team report: 200 prompts, 3 injections succeeded.\n"


def upload_url(use_case, item=None):
    return url("api_evidence_upload", use_case.reference, (item or business_items()[0]).code)


def a_file(content=REPORT, name="report.txt"):
    return {"file": SimpleUploadedFile(name, content)}


def test_it_attaches_a_file_with_its_sha256(owner, draft):
    response = session_client(owner).post(upload_url(draft), a_file(), format="multipart")
    assert response.status_code == 201, response.json()
    produced = response.json()["evidence"]
    assert produced["sha256"] == hashlib.sha256(REPORT).hexdigest()
    assert produced["content_type"].startswith("text/plain")
    evidence = Evidence.objects.get(pk=produced["id"])
    assert evidence.uploaded_by == owner
    assert evidence.file.read() == REPORT


def test_the_kind_is_read_from_the_content(owner, draft):
    response = session_client(owner).post(
        upload_url(draft), a_file(b"MZ\x90\x00\x03" + bytes(200), "report.pdf"), format="multipart"
    )
    assert response.status_code == 400
    assert "not accepted" in response.json()["file"][0]
    assert not Evidence.objects.exists()


def test_the_same_file_twice_is_refused(owner, draft):
    client = session_client(owner)
    assert client.post(upload_url(draft), a_file(), format="multipart").status_code == 201
    response = client.post(upload_url(draft), a_file(), format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": ["This file is already attached to this answer."]}


def test_a_file_over_the_limit_is_refused(owner, draft, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    response = session_client(owner).post(upload_url(draft), a_file(b"x" * 101), format="multipart")
    assert response.status_code == 413
    assert "larger than 100 bytes" in response.json()["detail"]
    huge = session_client(owner).post(upload_url(draft), a_file(b"x" * 200_000), format="multipart")
    assert huge.status_code == 413
    assert not Evidence.objects.filter(answer__use_case=draft).exists()


def test_a_body_without_a_file_is_refused(owner, draft):
    response = session_client(owner).post(upload_url(draft), {}, format="multipart")
    assert response.status_code == 400
    assert list(response.json()) == ["file"]


def test_json_is_not_an_upload(owner, draft):
    assert session_client(owner).post(upload_url(draft), {"file": "x"}, format="json").status_code == 415


def test_an_unanswered_item_takes_no_evidence(pipeline):
    _, client = pipeline
    mine = client.post(url("api_use_case_create"), new_draft(), format="json").json()["reference"]
    item = business_items()[0]
    response = client.post(url("api_evidence_upload", mine, item.code), a_file(), format="multipart")
    assert response.status_code == 400
    assert response.json() == {"item": [f"Answer {item.code} before attaching evidence to it."]}


def test_a_submit_token_attaches_evidence_to_its_own_draft(pipeline, draft):
    account, client = pipeline
    mine = client.post(url("api_use_case_create"), new_draft(), format="json").json()["reference"]
    item = business_items()[0]
    client.put(url("api_checklist_answer", mine, item.code), {"response": "yes"}, format="json")
    response = client.post(url("api_evidence_upload", mine, item.code), a_file(), format="multipart")
    assert response.status_code == 201, response.json()
    evidence = Evidence.objects.get(pk=response.json()["evidence"]["id"])
    assert evidence.uploaded_by == account.user
    assert evidence.history.get().history_user == account.user
    assert client.post(upload_url(draft), a_file(), format="multipart").status_code == 404


def test_outsiders_get_404(draft, other_owner):
    assert session_client(other_owner).post(upload_url(draft), a_file(), format="multipart").status_code == 404


def test_no_evidence_once_in_review(owner, draft):
    submit(draft)
    assert session_client(owner).post(upload_url(draft), a_file(), format="multipart").status_code == 403


@pytest.mark.parametrize("scopes", [("read",), ("gateway",)])
def test_it_refuses_a_token_without_the_submit_scope(scopes, draft):
    _, raw = service_account(*scopes)
    assert token_client(raw).post(upload_url(draft), a_file(), format="multipart").status_code == 403


def test_it_refuses_get(owner, draft):
    assert session_client(owner).get(upload_url(draft)).status_code == 405


def test_it_needs_the_csrf_token_from_a_browser(owner, draft):
    client = csrf_client(owner)
    assert client.post(upload_url(draft), a_file(), format="multipart").status_code == 403
    assert with_csrf(client).post(upload_url(draft), a_file(), format="multipart").status_code == 201
