"""GET /api/v1/records/, /records/<id>/, /records/<id>/download/ and /records/verify/: approval records' metadata
and files to the people who may see their use case; verification as on the record verify page."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.models import ApprovalRecord
from tests.api.helpers import service_account, session_client, token_client
from tests.approvals.workflow import approved_use_case, person, reviewers

pytestmark = pytest.mark.django_db

RECORDS = reverse("api_record_list")
VERIFY = reverse("api_record_verify")


def a_record(round, content: bytes | None = None) -> ApprovalRecord:
    content = content or b"%PDF-1.4\n% " + round.use_case.reference.encode() + b"\n%%EOF\n"
    record = ApprovalRecord(
        round=round,
        sha256=hashlib.sha256(content).hexdigest(),
        snapshot_sha256=round.snapshot_sha256,
        size=len(content),
        pages=1,
    )
    record.file.save("record.pdf", ContentFile(content), save=False)
    record.save()
    return record


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def team(db):
    return reviewers()


@pytest.fixture
def record(alice, team):
    _, round = approved_use_case(alice, team)
    return a_record(round)


def test_it_shows_a_records_metadata(alice, record):
    data = session_client(alice).get(reverse("api_record_detail", args=[record.pk])).json()
    assert data["use_case"] == record.round.use_case.reference
    assert (data["round"], data["round_status"]) == (1, "approved")
    assert data["sha256"] == record.sha256
    assert data["expires_on"] == record.round.expires_on.isoformat()
    assert data["download"].endswith(reverse("api_record_download", args=[record.pk]))


def test_it_downloads_the_pdf(team, record):
    response = session_client(team["privacy"]).get(reverse("api_record_download", args=[record.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == record.sha256
    assert record.download_name in response["Content-Disposition"]


def test_it_lists_the_records_the_caller_may_see(alice, charlie, record):
    assert [row["id"] for row in session_client(alice).get(RECORDS).json()["results"]] == [record.pk]
    assert session_client(alice).get(RECORDS, {"use_case": "UC-0000-0000"}).json()["count"] == 0
    assert session_client(charlie).get(RECORDS).json()["count"] == 0
    assert session_client(person("nadia")).get(RECORDS).json()["count"] == 0


@pytest.mark.parametrize("route", ["api_record_detail", "api_record_download"])
def test_an_outsider_gets_404(route, charlie, record):
    assert session_client(charlie).get(reverse(route, args=[record.pk])).status_code == 404
    assert session_client(person("nadia")).get(reverse(route, args=[record.pk])).status_code == 404
    assert session_client(charlie).get(reverse(route, args=[999999])).status_code == 404


@pytest.mark.parametrize("route", ["api_record_detail", "api_record_download"])
def test_tokens_read_records_by_scope(route, record):
    url = reverse(route, args=[record.pk])
    assert token_client(service_account("read", name="Reader")[1]).get(url).status_code == 200
    assert token_client(service_account("submit", name="Submitter")[1]).get(url).status_code == 404
    assert token_client(service_account("gateway", name="Gateway")[1]).get(url).status_code == 403


def test_it_verifies_a_record_by_its_sha256_with_details_for_who_may_see_it(alice, charlie, record):
    data = session_client(alice).get(VERIFY, {"sha256": record.sha256.upper()}).json()
    assert data["genuine"] is True and data["current"] is True
    assert data["use_case"]["reference"] == record.round.use_case.reference
    # Someone who may not see the use case learns only that it is genuine and current.
    brief = session_client(charlie).get(VERIFY, {"sha256": record.sha256}).json()
    assert brief == {"genuine": True, "sha256": record.sha256, "current": True, "message": brief["message"]}


def test_it_verifies_an_uploaded_record(team, record):
    upload = SimpleUploadedFile("record.pdf", record.file.open("rb").read(), content_type="application/pdf")
    data = session_client(team["legal"]).post(VERIFY, {"file": upload}, format="multipart").json()
    assert data["genuine"] is True and data["round"] == 1


def test_an_altered_file_is_not_genuine(alice, record):
    upload = SimpleUploadedFile("record.pdf", record.file.open("rb").read() + b" ", content_type="application/pdf")
    data = session_client(alice).post(VERIFY, {"file": upload}, format="multipart").json()
    assert data["genuine"] is False


@pytest.mark.parametrize(
    "query", [{}, {"sha256": "abc"}, {"sha256": "g" * 64}, {"sha256": "a" * 101}], ids=["none", "short", "hex", "long"]
)
def test_a_malformed_sha256_is_a_400(alice, query):
    response = session_client(alice).get(VERIFY, query)
    assert response.status_code == 400


def test_an_upload_that_is_not_a_pdf_is_a_400(alice):
    upload = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    response = session_client(alice).post(VERIFY, {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()


def test_an_upload_larger_than_any_record_is_refused_unread(alice, settings):
    response = session_client(alice).post(
        VERIFY, b"x", content_type="multipart/form-data; boundary=b", CONTENT_LENGTH=str(30 * 1024 * 1024)
    )
    assert response.status_code == 400
    assert "larger" in response.json()["file"][0]


def test_tokens_verify_unless_they_only_serve_the_gateway(record):
    for scopes, status in ((("read",), 200), (("submit",), 200), (("gateway",), 403)):
        client = token_client(service_account(*scopes, name=f"Account {scopes[0]}")[1])
        assert client.get(VERIFY, {"sha256": record.sha256}).status_code == status


def test_a_person_without_a_role_may_verify_as_on_the_page(record):
    data = session_client(person("nadia")).get(VERIFY, {"sha256": record.sha256}).json()
    assert data["genuine"] is True and "use_case" not in data


def test_the_list_costs_the_same_queries_for_any_number_of_rows(alice, team, record):
    client = session_client(team["privacy"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(RECORDS).json()["count"] == 1
    for _ in range(2):
        a_record(approved_use_case(alice, team)[1])
    with CaptureQueriesContext(connection) as many:
        assert client.get(RECORDS).json()["count"] == 3
    assert len(many) == len(few)
