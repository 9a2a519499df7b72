"""The request form in the article's six steps, its model picker and its owners rule."""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from approvals.documents.records import record_context
from governance.forms import STEPS, UseCaseForm, model_label, models_for_picker
from governance.models import UseCase
from tests.approvals.test_request_views import request_data
from tests.approvals.workflow import approved_use_case
from tests.factories import AIModelFactory, UseCaseFactory, UserFactory, VendorFactory

pytestmark = pytest.mark.django_db

NEW = "/use-cases/new/"
STEP_RE = re.compile(
    r'<fieldset class="card form-section form-step" id="step-(\w+)"(.*?)</fieldset>\s*'
    r'(?=<fieldset class="card form-section form-step"|<div class="form-actions")',
    re.S,
)


@pytest.fixture
def tomas(db):
    return UserFactory(username="tomas", first_name="Tomás", last_name="Rivera")


@pytest.fixture
def rhea(db):
    return UserFactory(username="rhea", first_name="Rhea", last_name="Okafor")


def three_owners(alice, tomas, rhea):
    return {"business_owner": alice.pk, "technical_owner": tomas.pk, "risk_owner": rhea.pk, "owners_shared_reason": ""}


# --- Steps --------------------------------------------------------------------------------------------


def test_the_form_asks_the_articles_six_questions_in_order(client, alice):
    AIModelFactory()
    client.force_login(alice)
    body = client.get(NEW).text
    progress = re.findall(r'<span class="step-count">(Step \d of 6 — [^<]+)</span>', body)
    assert progress == [
        "Step 1 of 6 — What data",
        "Step 2 of 6 — Where inference happens",
        "Step 3 of 6 — Auditability",
        "Step 4 of 6 — Failure modes",
        "Step 5 of 6 — Vendor and jurisdiction",
        "Step 6 of 6 — Replaceability",
    ]
    # Every field of the form is in exactly one step, and the step list links to each.
    names = [name for *_, fields in STEPS for name in fields]
    assert sorted(names) == sorted(UseCaseForm(user=alice).fields)
    for key, *_ in STEPS:
        assert f'href="#step-{key}" data-step-link="step-{key}"' in body


def test_each_step_holds_its_questions_fields(client, alice):
    AIModelFactory()
    client.force_login(alice)
    body = client.get(NEW).text
    steps = dict(STEP_RE.findall(body))
    assert list(steps) == ["data", "deployment", "audit", "failure", "vendor", "replace"]
    assert 'name="data_categories"' in steps["data"] and 'name="risk_owner"' in steps["data"]
    assert 'name="hosting_country"' in steps["deployment"]
    assert 'name="log_retention_days"' in steps["audit"]
    assert 'name="tool_use"' in steps["failure"]
    assert 'name="primary_model"' in steps["vendor"] and 'name="eu_ai_act_class"' in steps["vendor"]
    assert 'name="fallback_models"' in steps["replace"]
    assert "Next: Where inference happens" in steps["data"]
    assert "data-step-back" in steps["replace"] and "data-step-next" not in steps["replace"]


def test_required_fields_are_marked_in_words_and_for_assistive_technology(client, alice):
    AIModelFactory()
    client.force_login(alice)
    body = client.get(NEW).text
    for name in ("title", "purpose", "hosting_country", "primary_model", "business_owner", "risk_owner"):
        field = re.search(rf'<div class="field" id="{name}">(.*?)</div>', body, re.S).group(1)
        assert '<span class="required" aria-hidden="true">required</span>' in field, name
        assert re.search(rf'<(input|select|textarea)[^>]*name="{name}"[^>]*aria-required="true"', body), name
    department = re.search(r'<div class="field" id="department">(.*?)</div>', body, re.S).group(1)
    assert "required" not in department
    # A required group of radio buttons is a radio group that says so.
    assert re.search(r'<fieldset class="choices" role="radiogroup" aria-required="true"><legend>Deployment mode', body)


def test_no_select_offers_a_row_of_dashes(client, alice):
    AIModelFactory()
    client.force_login(alice)
    body = client.get(NEW).text
    assert "---------" not in body
    assert '<option value="" selected>Choose a model</option>' in body
    assert '<option value="" selected>Choose the technical owner</option>' in body


def test_the_steps_script_is_a_deferred_static_file(client, alice):
    client.force_login(alice)
    body = client.get(NEW).text
    assert '<script src="/static/js/request-form.js" defer></script>' in body
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), "no inline script: the CSP forbids it"


def test_an_error_opens_the_form_on_its_step(client, alice, tomas, rhea):
    model = AIModelFactory()
    client.force_login(alice)
    data = request_data(model, alice, hosting_country="Germany", **three_owners(alice, tomas, rhea))
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert 'data-first-error="step-deployment"' in response.text
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', response.text, re.S).group(1)
    assert 'href="#id_hosting_country"' in summary  # the request form's script opens the field's step
    assert not UseCase.objects.exists()


def test_the_first_step_with_an_error_is_the_one_shown(client, alice, tomas, rhea):
    model = AIModelFactory()
    client.force_login(alice)
    data = request_data(model, alice, log_retention_days="forever", **three_owners(alice, tomas, rhea))
    data.pop("primary_model")
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert 'data-first-error="step-audit"' in response.text  # step 3 before step 5
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', response.text, re.S).group(1)
    assert 'href="#id_log_retention_days"' in summary and 'href="#id_primary_model"' in summary
    assert summary.index("#id_log_retention_days") < summary.index("#id_primary_model")  # in the order of the steps


def test_a_valid_form_opens_on_its_first_step(client, alice):
    client.force_login(alice)
    assert "data-first-error" not in client.get(NEW).text


# --- Model picker -------------------------------------------------------------------------------------


def approve(*use_cases):
    UseCase.objects.filter(pk__in=[u.pk for u in use_cases]).update(status=UseCase.Status.APPROVED)


def test_each_model_option_names_vendor_country_sanctions_licence_and_approved_uses(client, alice):
    vendor = VendorFactory(name="Sber", hq_country="RU", sanctions_status="sanctioned")
    model = AIModelFactory(name="GigaChat", vendor=vendor, licence_name="Proprietary")
    approve(UseCaseFactory(primary_model=model), UseCaseFactory(primary_model=model))
    UseCaseFactory(primary_model=model)  # a draft is no approval
    client.force_login(alice)
    body = client.get(NEW).text
    label = "GigaChat — Sber (RU) · sanctions: sanctioned · Proprietary · already approved for 2 uses"
    assert f">{label}</option>" in body  # the primary model, a plain select
    assert f"{label}</label>" in body  # the fallbacks, plain check boxes
    assert 'id="id_primary_model-filter"' in body and 'maxlength="100"' in body


def test_the_count_covers_approved_with_conditions_and_not_suspended_or_drafts():
    model = AIModelFactory(licence_name="")
    approved, conditional, suspended = (UseCaseFactory(primary_model=model) for _ in range(3))
    approve(approved)
    UseCase.objects.filter(pk=conditional.pk).update(status=UseCase.Status.APPROVED_WITH_CONDITIONS)
    UseCase.objects.filter(pk=suspended.pk).update(status=UseCase.Status.SUSPENDED)
    listed = models_for_picker().get(pk=model.pk)
    assert listed.approved_uses == 2
    assert model_label(listed).endswith("· licence not recorded · already approved for 2 uses")


def test_one_approved_use_is_singular():
    model = AIModelFactory()
    approve(UseCaseFactory(primary_model=model))
    assert model_label(models_for_picker().get(pk=model.pk)).endswith("already approved for 1 use")


def test_retired_models_are_not_offered():
    retired = AIModelFactory(lifecycle="retired")
    assert retired not in models_for_picker()


def _queries_for_the_form(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(NEW).status_code == 200
    return len(queries)


def test_the_picker_costs_the_same_queries_for_few_and_many_models(client, alice):
    client.force_login(alice)
    for _ in range(2):
        approve(UseCaseFactory(primary_model=AIModelFactory()))
    few = _queries_for_the_form(client)
    for _ in range(12):
        approve(UseCaseFactory(primary_model=AIModelFactory(vendor=VendorFactory())))
    assert _queries_for_the_form(client) == few


# --- Owners ---------------------------------------------------------------------------------------------


def test_the_requester_is_the_business_owner_and_the_others_are_chosen(client, alice, tomas):
    client.force_login(alice)
    body = client.get(NEW).text
    business = re.search(r'<select name="business_owner".*?</select>', body, re.S).group(0)
    assert f'<option value="{alice.pk}" selected>' in business
    for name in ("technical_owner", "risk_owner"):
        select = re.search(rf'<select name="{name}".*?</select>', body, re.S).group(0)
        assert re.findall(r"<option[^>]* selected>", select) == ['<option value="" selected>']


def test_three_people_need_no_reason_and_keep_none(client, alice, tomas, rhea):
    model = AIModelFactory()
    client.force_login(alice)
    data = request_data(model, alice, **three_owners(alice, tomas, rhea))
    data["owners_shared_reason"] = "Left over from when Rhea was away."
    response = client.post(NEW, data)
    assert response.status_code == 302
    use_case = UseCase.objects.get()
    assert (use_case.business_owner, use_case.technical_owner, use_case.risk_owner) == (alice, tomas, rhea)
    assert use_case.owners_shared_reason == ""


def test_one_person_in_two_roles_must_say_why(client, alice, tomas):
    model = AIModelFactory()
    client.force_login(alice)
    data = request_data(model, alice, technical_owner=tomas.pk, risk_owner=alice.pk, owners_shared_reason="  ")
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert "One person holds two owner roles: say why" in response.text
    assert 'data-first-error="step-data"' in response.text
    assert not UseCase.objects.exists()

    data["owners_shared_reason"] = "Two-person team: the business owner also carries the risk until March."
    assert client.post(NEW, data).status_code == 302
    assert UseCase.objects.get().owners_shared_reason.startswith("Two-person team")


def test_the_edit_page_warns_when_saved_owners_are_shared(client, alice):
    use_case = UseCaseFactory(user=alice)  # opened by the service, every owner the creator
    client.force_login(alice)
    body = client.get(f"/use-cases/{use_case.reference}/edit/").text
    assert re.search(r'<p class="notice" data-shared-owners>One person holds two owner roles', body)


def test_the_warning_is_hidden_for_three_owners(client, alice, tomas, rhea):
    use_case = UseCaseFactory(user=alice, technical_owner=tomas, risk_owner=rhea)
    client.force_login(alice)
    body = client.get(f"/use-cases/{use_case.reference}/edit/").text
    assert '<p class="notice" data-shared-owners hidden>' in body


def test_the_reason_is_kept_in_the_snapshot():
    from approvals.snapshot import build_snapshot
    from checklist.models import ChecklistTemplate

    use_case = UseCaseFactory(owners_shared_reason="A team of two.")
    snapshot = build_snapshot(use_case, ChecklistTemplate.objects.order_by("-version").first())
    assert snapshot["use_case"]["owners_shared_reason"] == "A team of two."


def test_the_reason_for_shared_owner_roles_is_on_the_use_case_page_and_the_record(client, alice, team):
    reason = "Two-person team: the business owner also carries the risk until March."
    use_case, round = approved_use_case(alice, team, owners_shared_reason=reason)
    client.force_login(alice)
    assert reason in client.get(use_case.get_absolute_url()).text
    assert reason in render_to_string("approvals/record.html", record_context(round))
