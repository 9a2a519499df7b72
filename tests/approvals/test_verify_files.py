"""`manage.py verify_files`: every approval record's and evidence file's bytes are there and still hash
to the SHA-256 stored with them; anything else is listed and the command fails."""

import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from approvals.models import ApprovalRecord
from checklist.models import Answer
from checklist.services import evidence_add
from tests.approvals.workflow import approve_all, complete_use_case, submit

PDF = b"%PDF-1.7\n% an approval record\n"


@pytest.fixture
def evidence(alice):
    """Uploaded by the owner while the request is a draft."""
    draft = complete_use_case(alice)
    answer = Answer.objects.filter(use_case=draft).first()
    upload = SimpleUploadedFile("dpa.txt", b"Data processing agreement, signed.", content_type="text/plain")
    return evidence_add(answer=answer, user=alice, upload=upload)


@pytest.fixture
def record(evidence, team):
    """The record of the same request's approval, stored as the renderer stores one."""
    round = submit(evidence.answer.use_case)
    approve_all(round, team)
    round.refresh_from_db()
    record = ApprovalRecord(
        round=round,
        sha256=hashlib.sha256(PDF).hexdigest(),
        snapshot_sha256=round.snapshot_sha256,
        size=len(PDF),
        pages=1,
    )
    record.file.save(record.download_name, ContentFile(PDF), save=False)
    record.save()
    return record


def run() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("verify_files", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing() -> tuple[CommandError, str]:
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_files", stdout=StringIO(), stderr=err)
    return failure.value, err.getvalue()


def test_it_passes_when_every_file_is_there_unchanged(record, evidence):
    out, err = run()

    assert (
        "All 2 stored files match their SHA-256 (1 approval record, 1 evidence file, 0 evaluation result files, "
        "0 condition evidence files, "
        "0 report exports)." in out
    )
    assert err == ""


def test_it_lists_a_missing_record_file_and_fails(record, evidence, media_root):
    Path(media_root, record.file.name).unlink()

    failure, err = run_failing()

    assert err.strip() == f"approval record {record.pk}: {record.file.name}: missing"
    assert str(failure) == "1 of 2 stored files are missing or altered."
    assert failure.returncode == 1


def test_it_lists_an_altered_evidence_file_and_fails(record, evidence, media_root):
    altered = b"Data processing agreement, unsigned."
    Path(media_root, evidence.file.name).write_bytes(altered)

    failure, err = run_failing()

    assert err.strip() == (
        f"evidence file {evidence.pk}: {evidence.file.name}: altered "
        f"(SHA-256 {hashlib.sha256(altered).hexdigest()}, recorded {evidence.sha256})"
    )
    assert str(failure) == "1 of 2 stored files are missing or altered."


def test_it_lists_every_problem_not_only_the_first(record, evidence, media_root):
    Path(media_root, record.file.name).write_bytes(PDF + b"%%EOF\n")
    Path(media_root, evidence.file.name).unlink()

    failure, err = run_failing()

    assert len(err.strip().splitlines()) == 2
    assert f"approval record {record.pk}" in err and f"evidence file {evidence.pk}" in err
    assert str(failure) == "2 of 2 stored files are missing or altered."
