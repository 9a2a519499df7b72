"""In-process (no broker), a render runs on the background thread after the response: the sign-off that
decides a round, and the request for a report export, return before their PDF is made."""

import threading

import pytest

from approvals import background
from approvals.documents import records
from approvals.models import ApprovalRecord
from governance.roles import Role
from reports import figures
from reports.models import ReportExport
from tests.approvals.workflow import answer_items, complete_use_case, sign, submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def in_background(settings, celery_eager):
    settings.CLEARANCE_RENDER_IN_BACKGROUND = True
    yield
    assert background.wait_idle(timeout=60)  # nothing of this test's left running into the next


def held_until(release: threading.Event, started: threading.Event, result):
    """A stand-in renderer that refuses to run on the test's (the request's) thread, says when it
    started, and waits for the test to let it finish."""
    request_thread = threading.current_thread()

    def render(*args, **kwargs):
        if threading.current_thread() is request_thread:
            raise AssertionError("rendered inside the request")
        started.set()
        assert release.wait(timeout=30)
        return result

    return render


def test_the_deciding_sign_off_returns_before_the_record_is_rendered(client, alice, team, in_background, monkeypatch):
    started, release = threading.Event(), threading.Event()
    stub = records.RenderedPdf(b"%PDF-1.7 stub", 1, ())
    monkeypatch.setattr(records, "render_document", held_until(release, started, stub))
    round = submit(complete_use_case(alice))
    *first, last = list(round.signoffs.order_by("pk"))
    for signoff in first:
        sign(round, signoff.function, team[signoff.function])
    answer_items(round, last.function, team[last.function])
    client.force_login(team[last.function])

    response = client.post(f"/reviews/{last.pk}/", {"decision": "approve"})

    assert response.status_code == 302
    round.refresh_from_db()
    assert round.status == "approved"
    assert started.wait(timeout=30)  # the render runs, on the background thread...
    assert not ApprovalRecord.objects.filter(round=round).exists()  # ...and the response did not wait for it
    release.set()
    assert background.wait_idle(timeout=30)
    assert ApprovalRecord.objects.get(round=round).snapshot_sha256 == round.snapshot_sha256


def test_an_export_request_returns_before_the_pdf_is_rendered(client, in_background, monkeypatch):
    ellen = UserFactory(username="ellen", roles=[Role.EXECUTIVE], password=None)
    started, release = threading.Event(), threading.Event()
    monkeypatch.setattr(figures, "render_pdf", held_until(release, started, b"%PDF-1.7 fake"))
    client.force_login(ellen)

    response = client.post("/reports/exports/", {})

    assert response.status_code == 302
    assert started.wait(timeout=30)
    export = ReportExport.objects.get()
    assert export.status == ReportExport.Status.RENDERING
    release.set()
    assert background.wait_idle(timeout=30)
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE
