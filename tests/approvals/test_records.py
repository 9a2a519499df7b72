"""Approval records: one immutable PDF per decided round, complete, readable in any script the registry
holds, rendered on commit (or by the sweep), stored with its SHA-256, and downloadable by those who may
see the use case."""

import hashlib
import subprocess
import urllib.request
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.documents import records
from approvals.documents.pdf import StaticOnlyFetcher
from approvals.documents.records import RecordRefused, approval_record_render, record_context, render_document
from approvals.models import ApprovalRecord, ApprovalRequest
from approvals.services import use_case_edit
from approvals.tasks import render_missing_records
from checklist.models import ChecklistItem
from checklist.services import answer_record, evidence_add
from governance.roles import Function, Role
from tests.approvals.workflow import (
    approve_all,
    approved_use_case,
    complete_use_case,
    sign,
    submit,
)
from tests.factories import AIModelFactory, RiskFactory, UserFactory, VendorFactory

pytestmark = pytest.mark.django_db

Status = ApprovalRequest.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_text(record: ApprovalRecord) -> str:
    """The record's text as pdftotext reads it, whitespace collapsed (table cells wrap lines)."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", record.file.path, "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())


def squeezed(text: str) -> str:
    """Without any whitespace: long hashes may wrap inside their cell."""
    return "".join(text.split())


def security_item() -> ChecklistItem:
    return ChecklistItem.objects.filter(owner_function=Function.SECURITY).order_by("pk").first()


@pytest.fixture
def jisoo(db):
    """A business owner whose name is written in Hangul."""
    return UserFactory(username="jisoo", first_name="김지수", last_name="", roles=[Role.BUSINESS_OWNER])


@pytest.fixture
def decided(jisoo, team):
    """A round approved with conditions: a Chinese model of a vendor written in Cyrillic, a reviewer's
    answer with evidence given during review, a conditional approval and a comment."""
    vendor = VendorFactory(name="SberDevices", native_name="ГигаЧат", hq_country="RU")
    model = AIModelFactory(
        vendor=vendor,
        name="Qwen2.5-72B-Instruct",
        native_name="通义千问",
        version="qwen2.5-72b-instruct-2024-09",
        licence_name="Qwen LICENSE AGREEMENT",
        licence_restrictions="MAU > 100M needs a licence",
    )
    use_case = complete_use_case(jisoo, title="Ticket summaries", primary_model=model)
    RiskFactory(
        use_case=use_case,
        title="Model output leaks secrets",
        inherent_likelihood=4,
        inherent_impact=4,
        residual_likelihood=1,
        residual_impact=4,
        mitigations="Secret scanning on every output",
    )
    round = submit(use_case)
    answer = answer_record(
        use_case=use_case,
        item=security_item(),
        user=team["security"],
        response="partial",
        justification="Prompt injection tested on the staging gateway only",
    )
    evidence_add(
        answer=answer,
        user=team["security"],
        upload=SimpleUploadedFile("pentest-report.txt", b"no findings of note", content_type="text/plain"),
    )
    sign(round, "legal", team["legal"])
    sign(round, "privacy", team["privacy"], comment="Fine for internal tickets")
    sign(
        round,
        "security",
        team["security"],
        "approve_with_conditions",
        conditions="Re-test prompt injection before go-live",
        comment="Staging only so far",
    )
    sign(round, "procurement", team["procurement"], comment="Open weights, no contract")
    round.refresh_from_db()
    return round


# --- Contents -------------------------------------------------------------------------------------


def test_a_record_holds_every_signoff_answer_and_risk(decided, team):
    record = approval_record_render(round_id=decided.pk)
    text = pdf_text(record)
    use_case = decided.use_case

    for expected in [
        use_case.reference,
        "Ticket summaries",
        "Approved with conditions",
        "review round 1",
        "Qwen2.5-72B-Instruct",
        "qwen2.5-72b-instruct-2024-09",
        "SberDevices",
        "Qwen LICENSE AGREEMENT",
        "MAU > 100M needs a licence",
        "Open weights",
        "Fallback-2026-01",  # the fallback model's version
        "On-premises",
        "Customer records",
        # every sign-off: signer, decision, conditions and comments
        *(team[f].get_full_name() for f in ("legal", "privacy", "security", "procurement")),
        "Approve with conditions",
        "Re-test prompt injection before go-live",
        "Staging only so far",
        "Fine for internal tickets",
        "Open weights, no contract",
        # the checklist: business answers from the snapshot, the reviewer's given in review
        "GOV-1",
        "Prompt injection tested on the staging gateway only",
        "Partially",
        "pentest-report.txt",
        # the risks, inherent and residual
        "Customer data leaks into prompts",
        "5 × 5",
        "25 Critical",
        "2 × 3",
        "6 Medium",
        "Model output leaks secrets",
        "4 Low",
        "Secret scanning on every output",
        # the event log and the verification line
        "Submitted",
        "Page 1 of",
        "SHA-256 of this file",
        "/records/verify/",
    ]:
        assert squeezed(expected) in squeezed(text), expected
    evidence_sha = hashlib.sha256(b"no findings of note").hexdigest()
    assert evidence_sha in squeezed(text)
    assert decided.snapshot_sha256 in squeezed(text)


def test_names_in_chinese_korean_and_russian_are_real_glyphs(decided):
    text = pdf_text(approval_record_render(round_id=decided.pk))

    assert "通义千问" in text
    assert "ГигаЧат" in text
    assert "김지수" in text


def test_the_facts_come_from_the_snapshot_not_the_live_use_case(jisoo, team):
    use_case, round = approved_use_case(jisoo, team, title="As approved")
    use_case_edit(use_case=use_case, user=jisoo, title="Renamed later", reason="Tidy the title")

    text = pdf_text(approval_record_render(round_id=round.pk))

    assert "As approved" in text
    assert "Renamed later" not in text


def test_a_rejected_round_has_a_record_too(jisoo, team):
    round = submit(complete_use_case(jisoo))
    sign(round, "legal", team["legal"], "reject", comment="The licence forbids this use")
    round.refresh_from_db()

    text = pdf_text(approval_record_render(round_id=round.pk))

    assert "Rejected" in text
    assert "The licence forbids this use" in text


def test_building_the_record_runs_the_same_queries_for_one_risk_and_many(jisoo, team):
    def decided_round(risks: int, answers: int) -> ApprovalRequest:
        use_case = complete_use_case(jisoo)
        for n in range(risks):
            RiskFactory(use_case=use_case, title=f"Risk {n}")
        round = submit(use_case)
        for item in ChecklistItem.objects.filter(owner_function=Function.SECURITY).order_by("pk")[:answers]:
            answer = answer_record(use_case=use_case, item=item, user=team["security"], response="yes")
            evidence_add(answer=answer, user=team["security"], upload=SimpleUploadedFile(f"{item.code}.txt", b"x"))
        approve_all(round, team)
        return round

    small, big = decided_round(risks=0, answers=1), decided_round(risks=8, answers=4)
    counts = []
    for round in (small, big):
        round = ApprovalRequest.objects.select_related("use_case", "checklist_template", "submitted_by").get(
            pk=round.pk
        )
        with CaptureQueriesContext(connection) as ctx:
            record_context(round)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 8


# --- Storage and immutability ---------------------------------------------------------------------


def test_the_stored_sha256_is_the_sha256_of_the_stored_file(decided, media):
    record = approval_record_render(round_id=decided.pk)

    data = Path(record.file.path).read_bytes()
    assert data.startswith(b"%PDF-")
    assert record.sha256 == hashlib.sha256(data).hexdigest()
    assert record.size == len(data)
    assert record.pages >= 2
    assert record.snapshot_sha256 == decided.snapshot_sha256
    assert record.render_seconds > 0
    assert record.file.name == f"records/{decided.use_case.reference}/{decided.use_case.reference}-round-1.pdf"
    assert Path(record.file.path).is_relative_to(media)


def test_rendering_again_returns_the_first_record(decided):
    first = approval_record_render(round_id=decided.pk)
    again = approval_record_render(round_id=decided.pk)

    assert again.pk == first.pk
    assert ApprovalRecord.objects.count() == 1


def test_a_record_cannot_be_changed(decided):
    record = approval_record_render(round_id=decided.pk)
    record.pages = 1
    with pytest.raises(ValueError, match="immutable"):
        record.save()


@pytest.mark.parametrize("decision", ["request_changes", None])
def test_a_round_without_an_outcome_has_no_record(jisoo, team, decision):
    round = submit(complete_use_case(jisoo))
    if decision:
        sign(round, "legal", team["legal"], decision, comment="Name the fallback's owner")

    with pytest.raises(RecordRefused):
        approval_record_render(round_id=round.pk)
    assert not ApprovalRecord.objects.exists()


def test_a_late_render_of_a_suspended_approval_still_happens(jisoo, team):
    use_case, round = approved_use_case(jisoo, team)
    use_case_edit(use_case=use_case, user=jisoo, hosting_country="FR", reason="Paris data centre")
    round.refresh_from_db()
    assert round.status == Status.SUSPENDED

    text = pdf_text(approval_record_render(round_id=round.pk))

    assert "Approved" in text
    assert "already suspended" in text


def test_a_new_round_makes_a_second_record_and_keeps_the_first(client, jisoo, team):
    use_case, round1 = approved_use_case(jisoo, team)
    first = approval_record_render(round_id=round1.pk)
    first_sha = hashlib.sha256(Path(first.file.path).read_bytes()).hexdigest()

    use_case_edit(use_case=use_case, user=jisoo, hosting_country="FR", reason="Paris data centre")
    round2 = use_case.rounds.get(number=2)
    approve_all(round2, team)
    second = approval_record_render(round_id=round2.pk)

    assert ApprovalRecord.objects.count() == 2
    assert second.sha256 != first.sha256
    assert second.snapshot_sha256 == round2.snapshot_sha256 != first.snapshot_sha256
    first.refresh_from_db()
    assert first.sha256 == first_sha == hashlib.sha256(Path(first.file.path).read_bytes()).hexdigest()
    client.force_login(jisoo)
    for record in (first, second):
        response = client.get(f"/records/{record.pk}/download/")
        assert response.status_code == 200
        assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == record.sha256


# --- Safety: nothing is fetched -------------------------------------------------------------------


def test_markup_in_user_text_stays_text_and_nothing_is_fetched(jisoo, team, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the renderer tried to reach the network")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    fetched = []
    real_fetch = StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    purpose = 'Summaries <img src="http://example.com/x.png"> for agents'
    _, round = approved_use_case(jisoo, team, purpose=purpose)

    text = pdf_text(approval_record_render(round_id=round.pk))

    assert purpose in text
    assert fetched == []  # the stylesheet is parsed once, outside the document; the document loads nothing


def test_the_fetcher_refuses_outside_urls_and_files(monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: pytest.fail("network reached"))
    html = (
        '<html><head><link rel="stylesheet" href="file:///etc/passwd"></head><body>'
        '<img src="http://example.com/x.png"><p>Hi</p></body></html>'
    )

    rendered = render_document(html)

    assert rendered.data.startswith(b"%PDF-")
    assert set(rendered.refused) == {"file:///etc/passwd", "http://example.com/x.png"}


# --- Queued on commit, and swept ------------------------------------------------------------------


def test_rendering_is_queued_when_a_round_is_decided(jisoo, team, celery_eager, django_capture_on_commit_callbacks):
    round = submit(complete_use_case(jisoo))
    *first, last = list(round.signoffs.order_by("pk"))
    for signoff in first:
        sign(round, signoff.function, team[signoff.function])
    assert not ApprovalRecord.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        sign(round, last.function, team[last.function])

    record = ApprovalRecord.objects.get(round=round)
    assert record.snapshot_sha256 == round.snapshot_sha256


def test_no_rendering_is_queued_when_changes_are_requested(
    jisoo, team, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr("approvals.services.enqueue_safely", lambda task, *args: queued.append(task.name))
    round = submit(complete_use_case(jisoo))

    with django_capture_on_commit_callbacks(execute=True):
        sign(round, "legal", team["legal"], "request_changes", comment="Name the fallback's owner")

    assert "approvals.tasks.render_approval_record" not in queued


def test_the_task_renders_once_and_skips_a_round_without_outcome(jisoo, team, celery_eager):
    from approvals.tasks import render_approval_record

    _, round = approved_use_case(jisoo, team)
    open_round = submit(complete_use_case(jisoo))

    first = render_approval_record.delay(round.pk).get()
    assert render_approval_record.delay(round.pk).get() == first == ApprovalRecord.objects.get().pk
    assert render_approval_record.delay(open_round.pk).get() is None


def test_the_sweep_renders_the_records_a_lost_task_left(jisoo, team, celery_eager):
    _, round = approved_use_case(jisoo, team)  # on-commit never runs here: as if the broker lost it
    submit(complete_use_case(jisoo))  # in review: nothing to render
    assert not ApprovalRecord.objects.exists()

    assert render_missing_records.delay(min_age_seconds=0).get() == 1

    assert ApprovalRecord.objects.get().round == round
    assert render_missing_records.delay(min_age_seconds=0).get() == 0


def test_the_sweep_leaves_fresh_decisions_to_their_task(jisoo, team):
    approved_use_case(jisoo, team)
    assert render_missing_records(min_age_seconds=3600) == 0


def test_one_failing_round_does_not_stop_the_sweep(jisoo, team, monkeypatch):
    _, bad = approved_use_case(jisoo, team)
    _, good = approved_use_case(jisoo, team)
    real = records.approval_record_render

    def flaky(*, round_id):
        if round_id == bad.pk:
            raise OSError("disk full")
        return real(round_id=round_id)

    monkeypatch.setattr(records, "approval_record_render", flaky)
    assert records.records_render_missing() == 1
    assert list(ApprovalRecord.objects.values_list("round", flat=True)) == [good.pk]


# --- Download -------------------------------------------------------------------------------------


@pytest.fixture
def record(decided):
    return approval_record_render(round_id=decided.pk)


def test_the_owner_downloads_the_record(client, jisoo, record):
    client.force_login(jisoo)
    response = client.get(f"/records/{record.pk}/download/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reference = record.round.use_case.reference
    assert response["Content-Disposition"] == f'attachment; filename="{reference}-round-1.pdf"'
    assert b"".join(response.streaming_content) == Path(record.file.path).read_bytes()


def test_a_reviewer_downloads_the_record(client, team, record):
    client.force_login(team["security"])
    response = client.get(f"/records/{record.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_an_outsider_gets_404(client, charlie, record):
    client.force_login(charlie)
    assert client.get(f"/records/{record.pk}/download/").status_code == 404
    assert client.get("/records/999999/download/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, record):
    response = client.get(f"/records/{record.pk}/download/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_download_refuses_post(client, jisoo, record):
    client.force_login(jisoo)
    assert client.post(f"/records/{record.pk}/download/").status_code == 405


# --- The use case page ----------------------------------------------------------------------------


def test_the_use_case_page_offers_the_record_and_its_hash(client, jisoo, record):
    client.force_login(jisoo)
    body = client.get(record.round.use_case.get_absolute_url()).text

    assert "Download approval record (PDF)" in body
    assert f"/records/{record.pk}/download/" in body
    assert record.sha256 in body


def test_a_decided_round_without_a_record_shows_it_is_being_prepared(client, jisoo, team):
    use_case, _ = approved_use_case(jisoo, team)
    open_case = complete_use_case(jisoo)
    submit(open_case)
    client.force_login(jisoo)

    assert "Record being prepared" in client.get(use_case.get_absolute_url()).text
    body = client.get(open_case.get_absolute_url()).text
    assert "Record being prepared" not in body
    assert "Download approval record" not in body


def page_queries(client, use_case) -> int:
    client.get(use_case.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(use_case.get_absolute_url()).status_code == 200
    return len(ctx.captured_queries)


def test_the_use_case_page_runs_the_same_queries_for_one_round_and_three(client, jisoo, team, monkeypatch):
    monkeypatch.setattr(records, "render_document", lambda html: records.RenderedPdf(b"%PDF-1.7 stub", 1, ()))
    use_case, round1 = approved_use_case(jisoo, team)
    approval_record_render(round_id=round1.pk)
    client.force_login(jisoo)
    one = page_queries(client, use_case)

    for n, country in ((2, "FR"), (3, "NL")):
        use_case_edit(use_case=use_case, user=jisoo, hosting_country=country, reason="Moving")
        round = use_case.rounds.get(number=n)
        approve_all(round, team)
        # The stub is the same bytes each time; the records' hashes must still differ.
        monkeypatch.setattr(
            records,
            "render_document",
            lambda html, n=n: records.RenderedPdf(b"%PDF-1.7 stub " + bytes([48 + n]), 1, ()),
        )
        approval_record_render(round_id=round.pk)

    assert ApprovalRecord.objects.count() == 3
    assert page_queries(client, use_case) == one


# --- Admin ----------------------------------------------------------------------------------------


def test_admins_read_records_in_the_admin_and_cannot_change_them(client, governance_admin, record):
    client.force_login(governance_admin)

    assert record.sha256 in client.get("/admin/approvals/approvalrecord/").text
    assert client.get(f"/admin/approvals/approvalrecord/{record.pk}/change/").status_code == 200
    assert client.get(f"/admin/approvals/approvalrecord/{record.pk}/history/").status_code == 200
    assert client.get("/admin/approvals/approvalrecord/add/").status_code == 403
    response = client.post(f"/admin/approvals/approvalrecord/{record.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert ApprovalRecord.objects.filter(pk=record.pk).exists()


def test_the_fetcher_refuses_a_path_that_climbs_out_of_static():
    from approvals.documents.pdf import StaticOnlyFetcher

    fetcher = StaticOnlyFetcher()
    with pytest.raises(ValueError, match="Refused"):
        fetcher.fetch("static:../../config/settings.py")
    with pytest.raises(ValueError, match="Refused"):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.refused == ["static:../../config/settings.py", "file:///etc/passwd"]
