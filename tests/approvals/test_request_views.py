"""Opening and editing requests, and the risk register, through the browser pages."""

import re

import pytest

from approvals.models import ApprovalRequest
from governance.models import Risk, UseCase
from tests.approvals.workflow import LOGGING_POINTS, approved_use_case, complete_use_case, submit
from tests.factories import AIModelFactory, RiskFactory, UseCaseFactory, VendorFactory, data_category

pytestmark = pytest.mark.django_db


def request_data(model, owner, **overrides):
    data = {
        "title": "Ticket summaries",
        "department": "Service desk",
        "purpose": "Summarise support tickets.",
        "approved_purpose": "Summaries read by an agent before replying.",
        "prohibited_uses": "No replies sent without a person.",
        "data_categories": [data_category("customer-records").pk],
        "deployment_mode": "on_premises",
        "hosting_country": "de",
        "autonomy": "advisory",
        "primary_model": model.pk,
        "log_contents": "Prompts and outputs",
        "log_location": "SIEM",
        "log_access": "Security operations",
        "log_retention_days": "90",
        **LOGGING_POINTS,
        "business_owner": owner.pk,
        "technical_owner": owner.pk,
        "risk_owner": owner.pk,
        "owners_shared_reason": "A team of one while the service desk pilot runs.",
    }
    data.update(overrides)
    return data


def test_a_business_owner_opens_a_request(client, alice):
    model = AIModelFactory()
    client.force_login(alice)
    assert client.get("/use-cases/new/").status_code == 200
    response = client.post("/use-cases/new/", request_data(model, alice))
    assert response.status_code == 302
    use_case = UseCase.objects.get()
    assert response["Location"] == use_case.get_absolute_url()
    assert use_case.hosting_country == "DE"
    assert use_case.business_owner == alice
    assert use_case.history.first().history_user == alice


def test_errors_are_shown_next_to_their_fields_and_nothing_is_saved(client, alice):
    model = AIModelFactory()
    client.force_login(alice)
    response = client.post("/use-cases/new/", request_data(model, alice, hosting_country="Germany", title=""))
    assert response.status_code == 400
    assert 'id="id_title-error"' in response.text or "This field is required" in response.text
    assert "two-letter" in response.text.lower()
    assert not UseCase.objects.exists()


def test_the_primary_model_cannot_be_its_own_fallback(client, alice):
    model = AIModelFactory()
    client.force_login(alice)
    response = client.post("/use-cases/new/", request_data(model, alice, fallback_models=[model.pk]))
    assert response.status_code == 400
    assert "cannot be its own fallback" in response.text


def test_a_reviewer_cannot_open_a_request(client, bob):
    client.force_login(bob)
    assert client.get("/use-cases/new/").status_code == 403


def test_an_owner_edits_a_draft_with_a_reason(client, alice):
    use_case = complete_use_case(alice)
    client.force_login(alice)
    data = request_data(use_case.primary_model, alice, title="Better title", reason="Clearer for reviewers")
    assert client.post(f"/use-cases/{use_case.reference}/edit/", data).status_code == 302
    use_case.refresh_from_db()
    assert use_case.title == "Better title"
    assert use_case.history.first().history_change_reason == "Clearer for reviewers"


def test_a_request_in_review_cannot_be_edited(client, alice):
    round = submit(complete_use_case(alice))
    client.force_login(alice)
    assert client.get(f"/use-cases/{round.use_case.reference}/edit/").status_code == 403


def test_an_outsider_gets_404_on_edit(client, alice, charlie):
    use_case = UseCaseFactory(user=alice)
    client.force_login(charlie)
    assert client.get(f"/use-cases/{use_case.reference}/edit/").status_code == 404


def data_of(use_case, **overrides):
    """What the edit page posts for `use_case` when its owner changes nothing but `overrides`."""
    data = {
        name: getattr(use_case, name)
        for name in (
            *("title", "department", "purpose", "approved_purpose", "prohibited_uses", "no_fallback_reason"),
            *("deployment_mode", "hosting_country", "autonomy", "tool_use_detail"),
            *("log_contents", "log_location", "log_access", "log_retention_days"),
            *LOGGING_POINTS,
        )
    }
    data |= {
        "primary_model": use_case.primary_model_id,
        "fallback_models": list(use_case.fallback_models.values_list("pk", flat=True)),
        "data_categories": list(use_case.data_categories.values_list("pk", flat=True)),
        "business_owner": use_case.business_owner_id,
        "technical_owner": use_case.technical_owner_id,
        "risk_owner": use_case.risk_owner_id,
        "owners_shared_reason": use_case.owners_shared_reason or "A team of one while the pilot runs.",
    }
    if use_case.tool_use:
        data["tool_use"] = "on"
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def test_the_edit_page_of_an_approved_request_names_what_is_material(client, alice, team):
    use_case, _ = approved_use_case(alice, team)
    client.force_login(alice)
    body = client.get(f"/use-cases/{use_case.reference}/edit/").text
    notice = re.search(r'<p class="notice" role="note" id="material-fields">(.*?)</p>', body, re.S).group(1)
    for label in ("approved purpose", "prohibited uses", "autonomy", "tools or agents enabled", "fallback models"):
        assert label in notice
    assert "say why" in notice


def test_a_material_edit_of_an_approved_request_is_named_before_it_is_saved(client, alice, team):
    use_case, round1 = approved_use_case(alice, team)
    client.force_login(alice)
    data = data_of(use_case, approved_purpose="Any purpose.", autonomy="autonomous", reason="Broader use")

    response = client.post(f"/use-cases/{use_case.reference}/edit/", data)

    assert response.status_code == 200
    assert "These changes are material: approved purpose, autonomy." in response.text
    assert "Saving them suspends the approval and starts a new review" in response.text
    assert 'name="confirm_material" value="approved_purpose,autonomy"' in response.text
    use_case.refresh_from_db()
    assert (use_case.status, use_case.autonomy) == (UseCase.Status.APPROVED, "advisory")
    assert use_case.rounds.count() == 1


def test_a_confirmed_material_edit_of_an_approved_request_opens_a_new_round(client, alice, team):
    use_case, _ = approved_use_case(alice, team)
    client.force_login(alice)
    data = data_of(use_case, hosting_country="US", reason="Moving to the US region")
    response = client.post(
        f"/use-cases/{use_case.reference}/edit/", {**data, "confirm_material": "hosting_country"}, follow=True
    )
    assert "approval is suspended" in response.text
    assert list(use_case.rounds.order_by("number").values_list("status", flat=True)) == ["suspended", "in_review"]


def test_a_confirmation_of_other_changes_is_asked_again(client, alice, team):
    use_case, _ = approved_use_case(alice, team)
    client.force_login(alice)
    data = data_of(use_case, hosting_country="US", autonomy="autonomous", reason="Moving")
    response = client.post(f"/use-cases/{use_case.reference}/edit/", {**data, "confirm_material": "hosting_country"})
    assert response.status_code == 200
    assert "These changes are material: hosting country, autonomy." in response.text
    assert use_case.rounds.count() == 1


def test_a_non_material_edit_of_an_approved_request_is_saved_at_once(client, alice, team):
    use_case, _ = approved_use_case(alice, team)
    client.force_login(alice)
    data = data_of(use_case, title="Ticket summaries (EMEA)", reason="Typo in the title")
    response = client.post(f"/use-cases/{use_case.reference}/edit/", data)
    assert response.status_code == 302
    use_case.refresh_from_db()
    assert (use_case.status, use_case.title) == (UseCase.Status.APPROVED, "Ticket summaries (EMEA)")
    assert use_case.history.first().history_change_reason == "Typo in the title"


def test_an_approved_request_is_not_edited_without_a_reason(client, alice, team):
    use_case, _ = approved_use_case(alice, team)
    client.force_login(alice)
    response = client.post(f"/use-cases/{use_case.reference}/edit/", data_of(use_case, title="Renamed"))
    assert response.status_code == 400
    assert "Say why an approved request changes" in response.text
    use_case.refresh_from_db()
    assert use_case.title != "Renamed"


def test_model_facts_warn_when_compliance_will_review(client, alice):
    vendor = VendorFactory(name="Sber", hq_country="RU", sanctions_status="sanctioned")
    model = AIModelFactory(vendor=vendor, name="GigaChat")
    client.force_login(alice)
    body = client.get("/catalog/model-facts/", {"primary_model": model.pk, "hosting_country": "ru"}).text
    assert "Compliance will review: vendor status sanctioned" in body
    assert "hosting country RU is restricted" in body
    assert client.get("/catalog/model-facts/", {"primary_model": "x"}).status_code == 200


# --- Risk register --------------------------------------------------------------------------------


RISK = {
    "title": "Prompt injection from ticket text",
    "category": "security",
    "inherent_likelihood": "4",
    "inherent_impact": "4",
    "mitigations": "Tool calls disabled",
    "residual_likelihood": "2",
    "residual_impact": "3",
}


def test_an_owner_adds_a_risk_inline(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    response = client.post(f"/use-cases/{use_case.reference}/risks/", RISK, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Prompt injection from ticket text" in response.text
    assert "<html" not in response.text  # a fragment for htmx
    risk = Risk.objects.get()
    assert risk.residual_score == 6 and risk.owner == use_case.risk_owner


def test_a_residual_above_inherent_is_refused_with_a_message(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    response = client.post(
        f"/use-cases/{use_case.reference}/risks/", {**RISK, "residual_likelihood": "5", "residual_impact": "5"}
    )
    assert response.status_code == 400
    assert "cannot be higher than the inherent score" in response.text
    assert not Risk.objects.exists()


def test_risks_are_locked_in_review(client, alice):
    round = submit(complete_use_case(alice))
    client.force_login(alice)
    assert client.post(f"/use-cases/{round.use_case.reference}/risks/", RISK).status_code == 403
    assert ApprovalRequest.objects.count() == 1


def test_a_reviewer_cannot_add_risks(client, alice, bob):
    from tests.approvals.workflow import complete_use_case, submit

    draft = UseCaseFactory(user=alice)
    submitted = submit(complete_use_case(alice)).use_case
    client.force_login(bob)
    assert client.post(f"/use-cases/{draft.reference}/risks/", RISK).status_code == 404
    assert client.post(f"/use-cases/{submitted.reference}/risks/", RISK).status_code == 403


def test_an_owner_edits_and_removes_a_risk(client, alice):
    use_case = UseCaseFactory(user=alice)
    risk = RiskFactory(use_case=use_case)
    client.force_login(alice)
    url = f"/use-cases/{use_case.reference}/risks/{risk.pk}/"
    assert client.post(url, {**RISK, "title": "Renamed"}).status_code == 302
    assert Risk.objects.get().title == "Renamed"
    assert client.get(url + "remove/").status_code == 405
    assert client.post(url + "remove/").status_code == 302
    assert not Risk.objects.exists()
    assert Risk.history.filter(history_type="-", history_user=alice).exists()


def test_the_live_score_fragment(client, alice):
    client.force_login(alice)
    body = client.get(
        "/catalog/risk-score/", {"inherent_likelihood": "4", "inherent_impact": "5", "residual_likelihood": "x"}
    ).text
    assert "20 · Critical" in body
    assert "Residual: —" in body


# --- Evidence -------------------------------------------------------------------------------------


def test_an_owner_attaches_evidence_and_its_hash_is_recorded(client, alice, settings, tmp_path):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from checklist.models import Evidence
    from tests.factories import AnswerFactory

    settings.MEDIA_ROOT = tmp_path
    use_case = UseCaseFactory(user=alice)
    answer = AnswerFactory(use_case=use_case)
    client.force_login(alice)
    content = "DPIA signed 2026-11-01 — 通义千问".encode()
    url = f"/use-cases/{use_case.reference}/answers/{answer.item_id}/evidence/"
    response = client.post(url, {"file": SimpleUploadedFile("dpia.txt", content, "text/plain")})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    download = client.get(f"/use-cases/{use_case.reference}/evidence/{evidence.pk}/")
    assert b"".join(download.streaming_content) == content
    again = client.post(url, {"file": SimpleUploadedFile("copy.txt", content, "text/plain")}, follow=True)
    assert "already attached" in again.text
    assert client.post(url, {}, follow=True).status_code == 200
    assert Evidence.objects.count() == 1


def test_an_outsider_cannot_download_evidence(client, alice, charlie, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from checklist.services import evidence_add
    from tests.factories import AnswerFactory

    settings.MEDIA_ROOT = tmp_path
    use_case = UseCaseFactory(user=alice)
    evidence = evidence_add(
        answer=AnswerFactory(use_case=use_case), user=alice, upload=SimpleUploadedFile("x.txt", b"x", "text/plain")
    )
    client.force_login(charlie)
    assert client.get(f"/use-cases/{use_case.reference}/evidence/{evidence.pk}/").status_code == 404


def test_the_edit_page_of_an_approved_request_names_what_reopens_review(client, alice, team):
    use_case, _ = approved_use_case(alice, team)
    client.force_login(alice)
    body = client.get(f"/use-cases/{use_case.reference}/edit/").text
    assert "suspends the approval" in body
    notice = re.search(r'<p class="notice" role="note" id="material-fields">(.*?)</p>', body, re.S).group(1)
    for name in LOGGING_POINTS:  # the four logging points the article adds are part of what is approved
        assert str(UseCase._meta.get_field(name).verbose_name) in notice
    assert "how exceptions are approved" in body


def test_the_form_asks_every_logging_point_with_the_articles_words(client, alice):
    client.force_login(alice)
    body = client.get("/use-cases/new/").text
    for label in (
        "How sensitive prompts are protected",
        "How retrieval sources are tracked",
        "How tool execution is recorded",
        "How exceptions are approved",
    ):
        assert label in body
    assert "Do not add AI into a regulated workflow without evidence design." in body
    assert "write “No tools”" in body


def test_the_use_case_page_shows_the_whole_logging_plan(client, alice):
    use_case = complete_use_case(alice)
    client.force_login(alice)
    body = client.get(use_case.get_absolute_url()).text
    for value in LOGGING_POINTS.values():
        assert value in body
    assert "hosted in DE · Germany" in body
