"""What every write endpoint does with a body: malformed JSON, fields it does not know, text past its limit, and
a refused state change (FSM) as a 409, never a 500."""

import pytest
from django_fsm import TransitionNotAllowed

from governance.limits import PROSE
from governance.models import UseCase
from tests.api.helpers import session_client
from tests.api.test_writes_support import (  # noqa: F401 (the *_fixture names are fixtures)
    SHARED,
    draft_fixture,
    new_draft,
    owner_fixture,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw", [b"{", b"[1, 2]", b'"text"', b"\xff\xfe"])
def test_malformed_or_non_object_json_is_400(owner, raw):
    response = session_client(owner).generic("POST", url("api_use_case_create"), raw, content_type="application/json")
    assert response.status_code == 400
    assert not UseCase.objects.exists()


def test_unknown_fields_are_refused_by_name(owner, draft):
    response = session_client(owner).post(url("api_use_case_create"), new_draft(colour="blue"), format="json")
    assert response.status_code == 400
    assert response.json() == {"colour": ["This field is not known here."]}
    edit = session_client(owner).patch(url("api_use_case_edit", draft.reference), {"owner": "x"}, format="json")
    assert edit.status_code == 400


@pytest.mark.parametrize("field", ["purpose", "approved_purpose", "log_contents", "owners_shared_reason"])
def test_text_past_its_columns_limit_is_400(owner, draft, field):
    limit = UseCase._meta.get_field(field).max_length
    body = {field: "x" * (limit + 1), "owners_shared_reason": SHARED} | {field: "x" * (limit + 1)}
    response = session_client(owner).patch(url("api_use_case_edit", draft.reference), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert limit <= PROSE


def test_a_refused_transition_is_409(owner, draft, monkeypatch):
    from approvals import services

    def refuse(**kwargs):
        raise TransitionNotAllowed("No transition from draft")

    monkeypatch.setattr(services, "use_case_submit", refuse)
    response = session_client(owner).post(url("api_use_case_submit", draft.reference))
    assert response.status_code == 409
    assert response.json() == {"detail": "No transition from draft"}


def test_a_form_encoded_body_is_415(owner):
    response = session_client(owner).post(url("api_use_case_create"), new_draft(), format="multipart")
    assert response.status_code == 415
    assert not UseCase.objects.exists()


def test_an_upload_names_only_its_file(owner, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.approvals.workflow import business_items

    target = url("api_evidence_upload", draft.reference, business_items()[0].code)
    body = {"file": SimpleUploadedFile("a.txt", b"a report\n"), "comment": "x"}
    response = session_client(owner).post(target, body, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"comment": ["This field is not known here."]}
