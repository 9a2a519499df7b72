"""The owner's request form, step by step, in the browser: from "new request" to "submitted", counting the
pages the browser loads on the way; the model picker; the risk register's suggestions; and the same form
without JavaScript.

On the form as it was (one long page, no suggestions, no way from the risk register to the submit check)
this journey loaded 18 pages; `PAGE_LOADS` is what it loads now.
"""

import re

from playwright.sync_api import expect

from governance.failure_modes import FailureMode
from governance.forms import RISK_SUGGESTIONS
from tests.e2e.conftest import PASSWORD
from tests.e2e.test_workflow import (  # noqa: F401  (fixtures)
    FALLBACK_OPTION,
    MODEL_OPTION,
    answer_business_items,
    open_request,
    people,
    record_failure_modes,
    registry,
    stepped,
)

PAGE_LOADS_BEFORE = 18
PAGE_LOADS = 10


def visible_step(page):
    """The step on show, once the form's script has hidden the others."""
    stepped(page)
    return page.locator("fieldset.form-step:visible")


def test_the_owner_goes_from_new_request_to_submitted_in_fewer_page_loads(visit, people, registry):  # noqa: F811
    owner = visit(axe=True)
    owner.login("olivia")
    page = owner.page
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))

    # The six steps of the form are one page: Next and Back load nothing.
    reference = open_request(owner, title="Qwen2.5-Coder for code review")
    assert len(loads) == 2  # the form, and the draft it opened

    # The same way as before: the submit check names the gaps, the owner answers hers.
    page.get_by_role("link", name="Check and submit for review").click()
    gaps = page.locator("ul.gaps").get_by_role("listitem")
    gaps.filter(has_text="Answer checklist item GOV-1").get_by_role("link").click()
    answer_business_items(owner, reference)
    record_failure_modes(owner, reference)

    # The risk register: a suggestion fills the form in place, without scores; the owner scores and records it.
    page.get_by_role("link", name="Risk register").click()
    title, _, description = RISK_SUGGESTIONS[FailureMode.DATA_LEAKAGE]
    suggestions = page.get_by_role("region", name="Suggested risks: the article's failure modes")
    expect(suggestions.get_by_role("link")).to_have_count(len(FailureMode.values))
    suggestions.get_by_role("link", name=title).click()
    form = page.locator("form.risk-form")
    expect(form.get_by_label("Title")).to_have_value(title)
    expect(form.get_by_label("Description")).to_have_value(description)
    expect(form.get_by_label("Inherent likelihood")).to_have_value("")
    expect(form.get_by_label("Inherent likelihood")).to_be_focused()
    expect(page.get_by_text("Likelihood: how often it would happen")).to_be_visible()
    owner.screenshot("risk-register-suggestions")
    # The screenshot leaves empty style attributes on the form's fields, which htmx would copy onto the fields
    # it swaps in next: the page's CSP (rightly) refuses that, and the console would report it.
    page.evaluate("document.querySelectorAll('[style=\"\"]').forEach(e => e.removeAttribute('style'))")
    assert owner.axe_violations() == []
    form.get_by_label("Inherent likelihood").select_option("4")
    form.get_by_label("Inherent impact").select_option("5")
    form.get_by_label("Residual likelihood").select_option("2")
    form.get_by_label("Residual impact").select_option("3")
    expect(page.locator("#live-score")).to_contain_text("Residual: 6 · Medium")
    form.get_by_label("Mitigations").fill("Inference on-premises with no egress; a secrets scanner before prompts.")
    form.get_by_role("button", name="Record the risk").click()
    expect(page.locator("#risk-register").get_by_role("status")).to_contain_text("Risk recorded.")
    expect(page.get_by_text(f"{title} (recorded)")).to_be_visible()

    # From the register straight to the submit check.
    page.locator("#risk-register").get_by_role("link", name="Check and submit for review").click()
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(re.compile(rf"/use-cases/{reference}/$"))
    expect(page.locator("h1")).to_contain_text("In review")

    assert len(loads) == PAGE_LOADS, "\n".join(loads)
    assert PAGE_LOADS < PAGE_LOADS_BEFORE


def test_the_form_shows_one_step_at_a_time(visit, people, registry):  # noqa: F811
    owner = visit(axe=True)
    owner.login("olivia")
    page = owner.page
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    page.get_by_role("link", name="Request to use an AI model").click()
    expect(visible_step(page)).to_have_count(1)
    expect(visible_step(page).locator(".step-count")).to_have_text("Step 1 of 6 — What data")
    assert owner.axe_violations() == []
    # Next does not go on while a required field of the step is empty, and says which.
    page.get_by_role("button", name="Next: Where inference happens").click()
    message = visible_step(page).locator("[data-step-message]")
    expect(message).to_have_text("Still required on this step: Title, Purpose, Technical owner, Risk owner.")
    expect(visible_step(page).locator(".step-count")).to_have_text("Step 1 of 6 — What data")
    # The step list jumps anywhere; Back returns.
    steps = page.get_by_role("navigation", name="Steps of the request")
    steps.get_by_role("link", name="Where inference happens").click()
    expect(visible_step(page).locator(".step-count")).to_have_text("Step 2 of 6 — Where inference happens")
    expect(steps.get_by_role("link", name="2. Where inference happens")).to_have_attribute("aria-current", "step")
    owner.screenshot("request-form-step")
    assert owner.axe_violations() == []
    page.get_by_role("button", name="Back").locator("visible=true").click()
    expect(visible_step(page).locator(".step-count")).to_have_text("Step 1 of 6 — What data")
    # Naming one person for two roles brings the warning and asks why.
    expect(page.get_by_label("Why one person holds two owner roles")).to_be_hidden()
    page.get_by_label("Risk owner").select_option(label="Olivia Hart")
    expect(page.get_by_text("One person holds two owner roles. Three different people")).to_be_visible()
    expect(page.get_by_label("Why one person holds two owner roles")).to_be_visible()
    page.get_by_label("Risk owner").select_option(label="Rhea Okafor")
    expect(page.get_by_label("Why one person holds two owner roles")).to_be_hidden()
    assert len(loads) == 1


def test_the_model_picker_filters_as_the_owner_types(visit, people, registry):  # noqa: F811
    owner = visit()
    owner.login("olivia")
    page = owner.page
    owner.go("/use-cases/new/#step-vendor")
    expect(visible_step(page).locator(".step-count")).to_have_text("Step 5 of 6 — Vendor and jurisdiction")
    picker = page.get_by_label("Primary model")
    expect(picker.locator("option")).to_have_text(["Choose a model", MODEL_OPTION, FALLBACK_OPTION])
    page.get_by_label("Find a model").fill("alibaba cn")
    expect(page.locator("#id_primary_model-filter-count")).to_have_text("1 of 2 models shown")
    expect(picker.locator("option:not([hidden])")).to_have_text(["Choose a model", MODEL_OPTION])
    picker.select_option(label=MODEL_OPTION)
    expect(page.locator("#model-facts")).to_contain_text("Apache-2.0")
    owner.screenshot("model-picker")
    # The fallbacks filter the same way; a model already ticked stays in view.
    page.get_by_role("link", name="6. Replaceability").click()
    page.get_by_label(FALLBACK_OPTION).check()
    page.get_by_label("Find models").fill("qwen")
    expect(page.get_by_label(MODEL_OPTION)).to_be_visible()
    expect(page.get_by_label(FALLBACK_OPTION)).to_be_visible()
    page.get_by_label("Find models").fill("nothing like it")
    expect(page.locator("#id_fallback_models-filter-count")).to_have_text("1 of 2 models shown")
    expect(page.get_by_label(MODEL_OPTION)).to_be_hidden()


def test_a_refused_save_opens_on_the_step_with_the_error(visit, people, registry):  # noqa: F811
    owner = visit()
    owner.login("olivia")
    page = owner.page
    owner.go("/use-cases/new/")
    page.get_by_label("Title").fill("Too short a request")
    page.get_by_label("Purpose", exact=True).fill("Code review.")
    page.get_by_label("Technical owner").select_option(label="Tomás Rivera")
    page.get_by_label("Risk owner").select_option(label="Rhea Okafor")
    page.get_by_role("link", name="2. Where inference happens").click()
    page.get_by_label("Hosting country").fill("Germany")
    page.get_by_role("button", name="Open the request as a draft").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(visible_step(page).locator(".step-count")).to_have_text("Step 2 of 6 — Where inference happens")
    expect(visible_step(page).get_by_text("two-letter", exact=False)).to_be_visible()
    page.get_by_role("link", name="1. What data").click()  # away from the step, then back through the summary
    page.locator(".error-summary").get_by_role("link", name=re.compile("^Deployment mode")).click()
    expect(visible_step(page).locator(".step-count")).to_have_text("Step 2 of 6 — Where inference happens")
    expect(page.locator("#id_deployment_mode input").first).to_be_focused()
    owner.console_errors.remove("Failed to load resource: the server responded with a status of 400 (Bad Request)")


def test_without_javascript_the_form_is_one_long_page_that_works(browser, live_server, people, registry):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/login/")
        page.get_by_label("Username").fill("olivia")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(live_server.url + "/use-cases/new/")
        expect(page.locator("fieldset.form-step:visible")).to_have_count(6)
        expect(page.get_by_role("button", name=re.compile("^Next"))).to_have_count(0)
        expect(page.get_by_label("Find a model")).to_be_hidden()
        page.get_by_label("Title").fill("Without scripts")
        page.get_by_label("Purpose", exact=True).fill("Code review suggestions.")
        page.get_by_label("Technical owner").select_option(label="Tomás Rivera")
        page.get_by_label("Risk owner").select_option(label="Rhea Okafor")
        page.get_by_label("On-premises").check()
        page.get_by_label("Hosting country").fill("DE")
        page.get_by_label("Primary model").select_option(label=MODEL_OPTION)
        page.get_by_label(FALLBACK_OPTION).check()
        page.get_by_role("button", name="Open the request as a draft").click()
        page.wait_for_url(re.compile(r"/use-cases/UC-\d{4}-\d{4}/$"))
        expect(page.get_by_role("status")).to_contain_text("is open as a draft")
    finally:
        context.close()
