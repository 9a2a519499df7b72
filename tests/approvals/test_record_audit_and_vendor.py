"""The approval record prints the article's whole audit plan (question 3) and the vendor's commitments
(question 5) as they stood when the request was submitted."""

import subprocess

import pytest
from django.template.loader import render_to_string

from approvals.documents.records import approval_record_render
from approvals.models import ApprovalRequest
from governance.models import UseCase
from governance.services import registry_save
from tests.approvals.test_request_views import request_data
from tests.approvals.workflow import approve_all, business_items, submit
from tests.factories import AIModelFactory, AnswerFactory, RiskFactory, VendorFactory, failure_modes_tested

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

LOGGING = {
    "log_contents": "Prompts, outputs and the model version of every call",
    "log_location": "The gateway log store in the Frankfurt data centre",
    "log_access": "Security operations and internal audit",
    "log_retention_days": "400",
    "log_prompt_protection": "Customer names and account numbers masked before a prompt is stored",
    "log_retrieval_sources": "The knowledge-base article IDs behind every answer",
    "log_tool_execution": "No tools: tool use is off for this request",
    "log_exceptions": "The CISO approves any gap in writing, for 30 days at most",
}

VENDOR_AT_SUBMISSION = {
    "ownership_detail": "Listed on the Korea Exchange",
    "data_retention": "API prompts deleted after 30 days",
    "incident_notification": "Customers told of incidents within 72 hours",
    "exit_terms": "All customer data deleted within 60 days of termination",
    "assurance_evidence": "ISO 27001 certificate 2025",
    "support_region": "Asia-Pacific, Korean and English",
    "source": "Vendor trust portal",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(record) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", record.file.path, "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())


def intake(client, owner) -> UseCase:
    """A request opened through the request form, with every logging point, then answered and risked."""
    vendor = VendorFactory(name="LG AI Research", hq_country="KR", ownership="listed", **VENDOR_AT_SUBMISSION)
    model = AIModelFactory(vendor=vendor, name="EXAONE 3.5")
    client.force_login(owner)
    data = request_data(model, owner, fallback_models=[AIModelFactory(name="Fallback").pk], **LOGGING)
    response = client.post("/use-cases/new/", data)
    assert response.status_code == 302, response.text
    use_case = UseCase.objects.get()
    RiskFactory(use_case=use_case)
    for item in business_items():
        AnswerFactory(use_case=use_case, item=item, answered_by=owner)
    failure_modes_tested(use_case, owner)
    return use_case


def test_the_record_prints_all_eight_logging_points_and_the_vendor_facts(client, alice, team, governance_admin):
    use_case = intake(client, alice)
    round = submit(use_case)
    vendor = use_case.primary_model.vendor
    vendor.data_retention = "Prompts kept for five years"
    vendor.exit_terms = "No deletion on exit"
    registry_save(vendor, user=governance_admin, reason="New terms", changed=["data_retention", "exit_terms"])
    approve_all(ApprovalRequest.objects.get(pk=round.pk), team)

    text = pdf_text(approval_record_render(round_id=round.pk))

    for label in (
        "What gets logged",
        "Where logs are stored",
        "Who can access logs",
        "How long logs are retained",
        "How sensitive prompts are protected",
        "How retrieval sources are tracked",
        "How tool execution is recorded",
        "How exceptions are approved",
    ):
        assert label in text
    for field, value in LOGGING.items():
        assert (f"{value} days" if field == "log_retention_days" else value) in text
    assert "Vendor and jurisdiction" in text
    for value in VENDOR_AT_SUBMISSION.values():
        assert value in text
    assert "KR · South Korea" in text
    assert "DE · Germany" in text
    assert "Prompts kept for five years" not in text
    assert "No deletion on exit" not in text


def test_a_round_frozen_before_vendor_commitments_says_so_instead_of_printing_todays():
    old_vendor = {"name": "Baidu", "hq_country": "CN", "ownership": "listed", "sanctions_status": "clear"}
    html = render_to_string(
        "approvals/record/vendor.html",
        {"vendor": old_vendor, "use_case": {"hosting_country": "CN"}, "ownership": "Publicly listed"},
    )
    assert "submitted before vendor commitments were frozen" in html
    assert "CN · China" in html
