"""Uploading evidence: the size limit holds while the body is read, the kind of file is told by its
content, and a refused file leaves nothing behind."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client

from checklist.models import Evidence
from checklist.sniff import ACCEPTED
from tests.factories import AnswerFactory, UseCaseFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.fixture
def answer(alice):
    return AnswerFactory(use_case=UseCaseFactory(user=alice))


@pytest.fixture
def upload_url(answer):
    return f"/use-cases/{answer.use_case.reference}/answers/{answer.item_id}/evidence/"


@pytest.fixture
def small_limit(settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # every upload goes to a temporary file, as a large one would
    return settings.EVIDENCE_MAX_BYTES


@pytest.fixture
def files_written(monkeypatch):
    """The uploads the temporary-file handler started writing, and whether each was closed."""
    started = []
    original = TemporaryFileUploadHandler.new_file

    def new_file(self, *args, **kwargs):
        original(self, *args, **kwargs)
        started.append(self)

    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", new_file)
    return started


def stored(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_a_body_declared_over_the_limit_is_refused_unread(
    client, alice, answer, upload_url, small_limit, files_written, media_root
):
    client.force_login(alice)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * 200_000, "application/pdf")
    response = client.post(upload_url, {"file": big}, follow=True)
    assert response.status_code == 200
    assert "larger than 1024 bytes" in response.text and "Nothing was stored" in response.text
    assert files_written == []
    assert not Evidence.objects.exists() and stored(media_root) == []


def test_a_file_over_the_limit_is_stopped_while_it_streams(
    client, alice, answer, upload_url, small_limit, files_written, media_root
):
    client.force_login(alice)
    # Over the limit, but within the room a form is allowed: only the streaming check can stop it.
    over = SimpleUploadedFile("over.pdf", b"%PDF-1.7\n" + b"0" * 3000, "application/pdf")
    response = client.post(upload_url, {"file": over}, follow=True)
    assert "larger than 1024 bytes" in response.text
    assert len(files_written) == 1 and files_written[0].file.closed
    assert not Evidence.objects.exists() and stored(media_root) == []


def test_a_file_at_the_limit_is_taken(client, alice, answer, upload_url, small_limit):
    client.force_login(alice)
    exact = SimpleUploadedFile("exact.pdf", b"%PDF-1.7\n" + b"0" * (1024 - 9), "application/pdf")
    client.post(upload_url, {"file": exact})
    assert Evidence.objects.get().size == 1024


def test_a_file_of_a_kind_not_accepted_is_refused_by_its_content(client, alice, answer, upload_url, media_root):
    client.force_login(alice)
    disguised = SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" * 8, "application/pdf")
    response = client.post(upload_url, {"file": disguised}, follow=True)
    assert "not accepted as evidence" in response.text
    assert ACCEPTED in response.text
    assert not Evidence.objects.exists() and stored(media_root) == []


def test_the_kind_found_is_stored_not_the_one_the_client_sent(client, alice, answer, upload_url):
    client.force_login(alice)
    client.post(upload_url, {"file": SimpleUploadedFile("scan.txt", PNG, "text/html")})
    assert Evidence.objects.get().content_type == "image/png"


@pytest.mark.parametrize(
    "name, data, content_type",
    [
        ("promptfoo-results.json", b'{"results": {"stats": {"successes": 12, "failures": 1}}}', "application/json"),
        ("garak.report.jsonl", b'{"entry_type": "init"}\n{"entry_type": "eval", "passed": 9}\n', "application/jsonl"),
        ("findings.csv", b"probe,passed,total\ndan,9,10\n", "text/csv"),
    ],
)
def test_evaluation_results_are_taken(client, alice, answer, upload_url, name, data, content_type):
    client.force_login(alice)
    client.post(upload_url, {"file": SimpleUploadedFile(name, data, "application/octet-stream")})
    assert Evidence.objects.get().content_type == content_type


def test_the_upload_still_needs_the_csrf_token(alice, answer, upload_url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(upload_url, {"file": SimpleUploadedFile("n.txt", b"notes\n")})
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_an_outsider_gets_404_even_for_an_oversized_body(client, charlie, upload_url, small_limit):
    client.force_login(charlie)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 200_000, "application/pdf")
    assert client.post(upload_url, {"file": big}).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["notes\x00.txt", "../../etc/passwd", "a" * 1000 + ".txt", "\u202etxt.exe", "con.txt", "  .txt", "é" * 300],
)
def test_an_odd_file_name_is_stored_safely_or_refused_not_500(client, alice, answer, upload_url, media_root, name):
    client.raise_request_exception = True
    client.force_login(alice)
    response = client.post(upload_url, {"file": SimpleUploadedFile(name, b"notes\n", "text/plain")})
    assert response.status_code == 302
    for evidence in Evidence.objects.all():
        assert not {"\x00", "/", "\u202e"} & set(evidence.name) and len(evidence.name) <= 255
        assert media_root in (media_root / evidence.file.name).resolve().parents
