"""The review workflow, done by people in the browser.

A business owner opens a request for an open-weight Chinese coding model hosted on-premises, completes it
from the gaps the submit page names, records its risks inline and submits it; legal, privacy, security and
procurement each sign from their queue, one with conditions; the owner downloads the approval record, which
names the four of them. A request sent back for changes is edited, resubmitted and approved in round 2.

Only the reference data (people and their roles, the vendors and models) comes from factories.
"""

import re
import subprocess
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from governance.failure_modes import FailureMode
from governance.models import AIModel, Vendor
from governance.roles import Role
from tests.approvals.workflow import business_items
from tests.factories import AIModelFactory, UserFactory, VendorFactory

# Function (as pages name it) -> the reviewer who signs for it, with a name the record must show.
REVIEWERS = {
    "Legal": ("lena", Role.LEGAL, "Lena", "Lindqvist"),
    "Privacy": ("priya", Role.PRIVACY, "Priya", "Raman"),
    "Security": ("bruno", Role.SECURITY, "Bruno", "Søndergaard"),
    "Procurement": ("pedro", Role.PROCUREMENT, "Pedro", "Álvarez"),
}
# The item each reviewer verifies on the sign page (one of their function's own).
REVIEWER_ITEMS = {"Legal": "GOV-3", "Privacy": "DATA-2", "Security": "SEC-2", "Procurement": "DEP-1"}

# The model picker's options: vendor, vendor country, sanctions status, licence, approved uses.
MODEL_OPTION = (
    "Qwen2.5-Coder-32B-Instruct — Alibaba Cloud (CN) · sanctions: clear · Apache-2.0 · already approved for 0 uses"
)
FALLBACK_OPTION = (
    "StarCoder2-15B — Hugging Face (US) · sanctions: clear · BigCode OpenRAIL-M · already approved for 0 uses"
)
RECORD_LINK = "Download approval record (PDF)"
RECORD_WAIT_SECONDS = 60


@pytest.fixture
def people(db):
    """The owner, the two co-owners she names on the form, an outsider business owner, and one reviewer per
    always-routed function."""
    UserFactory(username="olivia", first_name="Olivia", last_name="Hart", roles=[Role.BUSINESS_OWNER])
    UserFactory(username="tomas", first_name="Tomás", last_name="Rivera", roles=[Role.BUSINESS_OWNER])
    UserFactory(username="rhea", first_name="Rhea", last_name="Okafor", roles=[Role.BUSINESS_OWNER])
    UserFactory(username="charlie", first_name="Charlie", last_name="Outsider", roles=[Role.BUSINESS_OWNER])
    for username, role, first, last in REVIEWERS.values():
        UserFactory(username=username, first_name=first, last_name=last, roles=[role])


@pytest.fixture
def registry(db):
    """A Qwen2.5-Coder-like open-weight model from a Chinese vendor that is clear of sanctions, and a fallback."""
    alibaba = VendorFactory(
        name="Alibaba Cloud",
        hq_country="CN",
        ownership=Vendor.Ownership.LISTED,
        sanctions_status=Vendor.SanctionsStatus.CLEAR,
    )
    qwen = AIModelFactory(
        vendor=alibaba,
        name="Qwen2.5-Coder-32B-Instruct",
        family="Qwen2.5",
        version="Qwen2.5-Coder-32B-Instruct (2024-11)",
        origin_country="CN",
        distribution=AIModel.Distribution.OPEN_WEIGHTS,
        licence_name="Apache-2.0",
        architecture=AIModel.Architecture.DENSE,
        languages="English, Chinese, 40+ programming languages",
    )
    hugging_face = VendorFactory(name="Hugging Face", hq_country="US", sanctions_status=Vendor.SanctionsStatus.CLEAR)
    AIModelFactory(
        vendor=hugging_face,
        name="StarCoder2-15B",
        family="StarCoder2",
        version="StarCoder2-15B",
        licence_name="BigCode OpenRAIL-M",
    )
    return qwen


@pytest.fixture
def task_runner():
    """Whoever runs the tasks the pages queue (approval records, e-mail).

    The embedded default (no REDIS_URL) runs them in-process as they are queued. With REDIS_URL, as in the
    PostgreSQL + Redis leg, nothing else consumes the queue during the tests, so a real worker takes them from
    Redis here, as in production: the record then appears a moment after the last signature.
    """
    if not settings.REDIS_URL:
        yield
        return
    from config.celery import app

    app.control.purge()  # tasks queued by other tests refer to rows they rolled back
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=60):
        yield


# --- What people do ---------------------------------------------------------------------------------


def stepped(page) -> None:
    """Wait for the request form's script to show it one step at a time (it runs once the page is parsed)."""
    expect(page.locator("form.request-form.is-stepped")).to_have_count(1)


def next_step(page, progress: str) -> None:
    """Go on to the next step of the request form (no page load); `progress` is the step it shows."""
    stepped(page)
    page.get_by_role("button", name="Next").locator("visible=true").click()
    expect(page.locator("fieldset.form-step:visible .step-count")).to_have_text(progress)


def open_request(visitor, *, title: str, log_retention: str = "90", screenshot: str | None = None) -> str:
    """The owner answers the six steps of "Request to use an AI model" and opens the draft; returns its reference."""
    page = visitor.page
    page.get_by_role("link", name="Request to use an AI model").click()
    expect(page.get_by_role("heading", name="Request to use an AI model")).to_be_visible()
    stepped(page)
    expect(page.locator("fieldset.form-step:visible .step-count")).to_have_text("Step 1 of 6 — What data")

    # 1. What is it for, who owns it, and what data will it process?
    page.get_by_label("Title").fill(title)
    page.get_by_label("Department").fill("Platform engineering")
    page.get_by_label("Purpose", exact=True).fill(
        "Review pull requests and suggest fixes in our internal repositories, inside the engineering network."
    )
    page.get_by_label("Approved purpose").fill(
        "Code review suggestions on internal repositories; an engineer accepts or rejects every suggestion."
    )
    page.get_by_label("Prohibited uses").fill(
        "No customer data, no secrets or credentials in prompts, no automatic merges, no production access."
    )
    # The business owner is the person filling the form unless she says otherwise; the others are chosen.
    expect(page.get_by_label("Business owner")).to_have_value(str(_user_pk("olivia")))
    expect(page.get_by_label("Technical owner")).to_have_value("")
    page.get_by_label("Technical owner").select_option(label="Tomás Rivera")
    page.get_by_label("Risk owner").select_option(label="Rhea Okafor")
    page.get_by_label("Source code (confidential)").check()
    if screenshot:
        visitor.screenshot(screenshot)
    next_step(page, "Step 2 of 6 — Where inference happens")
    page.get_by_label("On-premises").check()
    page.get_by_label("Hosting country").fill("DE")
    next_step(page, "Step 3 of 6 — Auditability")
    page.get_by_label("What is logged").fill("Prompts, suggestions, the repository and commit, user and model version")
    page.get_by_label("Where logs are stored").fill("The on-premises SIEM in Frankfurt")
    page.get_by_label("Who can read the logs").fill("Security operations and the platform team leads")
    page.get_by_label("Log retention (days)").fill(log_retention)
    page.get_by_label("How sensitive prompts are protected").fill(
        "The gateway's secret scanner masks keys and tokens before a prompt is stored"
    )
    page.get_by_label("How retrieval sources are tracked").fill("The repository, commit and files read, per request")
    page.get_by_label("How tool execution is recorded").fill(
        "Every repository read is logged with the path, commit and user"
    )
    page.get_by_label("How exceptions are approved").fill("The CISO approves any gap in writing, for 14 days at most")
    next_step(page, "Step 4 of 6 — Failure modes")
    page.get_by_label("Human-reviewed before use").check()
    page.get_by_label("Tools or agents enabled").check()
    page.get_by_label("Tool use detail").fill("Read-only access to the repository under review; no shell, no network.")
    next_step(page, "Step 5 of 6 — Vendor and jurisdiction")
    # Choosing the model shows its facts (htmx).
    page.get_by_label("Primary model").select_option(label=MODEL_OPTION)
    facts = page.locator("#model-facts")
    expect(facts).to_contain_text("Apache-2.0")
    expect(facts).to_contain_text("Open weights")
    expect(facts).to_contain_text("Clear")
    next_step(page, "Step 6 of 6 — Replaceability")
    page.get_by_label(FALLBACK_OPTION).check()
    page.get_by_role("button", name="Open the request as a draft").click()
    page.wait_for_url(re.compile(r"/use-cases/UC-\d{4}-\d{4}/$"))
    reference = re.search(r"UC-\d{4}-\d{4}", page.url).group(0)
    expect(page.get_by_role("status")).to_contain_text(f"{reference} is open as a draft")
    expect(page.get_by_role("heading", name=title)).to_contain_text("Draft")
    return reference


def save_checklist_sections(page, codes: list[str], *, name: str) -> None:
    """Save the section forms holding the items `codes` (filled in already): one save per section, in place
    (htmx), each section saying what it saved; `name` must then show on each item's row."""
    sections: dict[str, list[str]] = {}
    for code in codes:
        section_id = page.locator(f"#checklist-{code}").evaluate("row => row.closest('.checklist-section').id")
        sections.setdefault(section_id, []).append(code)
    url = page.url
    for section_id, in_section in sections.items():
        section = page.locator(f"#{section_id}")
        section.get_by_role("button", name=re.compile("^Save ")).click()
        expect(section.locator(".section-status")).to_contain_text(f"saved ({', '.join(in_section)})")
        for code in in_section:
            expect(page.locator(f"#checklist-{code}")).to_contain_text(name)
    assert page.url == url


def save_review_checklist(page, codes: list[str], *, name: str) -> None:
    """On a sign page, save the reviewer's items `codes` (filled in already, whatever their sections) with the
    checklist's one button, in place (htmx); the status says what was saved and `name` shows on each row."""
    url = page.url
    page.locator("#checklist").get_by_role("button", name="Save all answers").click()
    expect(page.locator("#checklist-status")).to_contain_text(f"saved ({', '.join(codes)})")
    for code in codes:
        expect(page.locator(f"#checklist-{code}")).to_contain_text(name)
    assert page.url == url


def answer_business_items(visitor, reference: str) -> None:
    """On the use case page, the owner answers every checklist item the business owns, a section at a time."""
    page = visitor.page
    codes = []
    for item in business_items():
        if item.code == "SEC-3":  # one honest partial answer, with its justification
            page.get_by_label(f"Answer to {item.code}", exact=True).select_option(label="Partially")
            page.get_by_label(f"Justification for {item.code}", exact=True).fill(
                "Tested on Python, Go and TypeScript; the COBOL estate is out of scope."
            )
        else:
            page.get_by_label(f"Answer to {item.code}", exact=True).select_option(label="Yes")
        codes.append(item.code)
    save_checklist_sections(page, codes, name="Olivia Hart")
    expect(page).to_have_url(re.compile(rf"/use-cases/{reference}/"))


def record_failure_modes(visitor, reference: str) -> None:
    """From the use case page, the owner answers question 4 for all ten failure modes on one form."""
    page = visitor.page
    page.get_by_role("link", name="Failure modes (question 4)").click()
    expect(page.get_by_role("heading", name=re.compile("^Failure modes \\(question 4\\)"))).to_be_visible()
    for mode, label in FailureMode.choices:
        fieldset = page.locator(f"#failure-mode-{mode}")
        if mode == "multilingual":
            fieldset.get_by_label(label, exact=True).select_option(label="Not applicable")
            fieldset.get_by_label("Why not tested, or why it does not apply").fill("Code and English comments only.")
        else:
            fieldset.get_by_label(label, exact=True).select_option(label="Tested")
            fieldset.get_by_label("How it was tested (dataset or harness, sample size)").fill(
                f"Evaluation harness, 100 cases of {label.lower()}."
            )
            fieldset.get_by_label("What was found").fill("Below the agreed threshold.")
    page.get_by_role("button", name="Save all ten").click()
    expect(page.get_by_role("status")).to_contain_text("Failure-mode tests saved.")
    page.get_by_role("link", name=reference).click()
    expect(page.locator("#checklist-SEC-1")).to_contain_text("Hallucination")


def add_risk(page, *, title, category, inherent, residual, mitigations, expected_score: str) -> None:
    """Add a risk with the inline form of the risk register (htmx: the register is swapped in place)."""
    form = page.locator("form.risk-form")
    form.get_by_label("Title").fill(title)
    form.get_by_label("Category").select_option(label=category)
    form.get_by_label("Description").fill(f"{title}: found while preparing the request.")
    form.get_by_label("Inherent likelihood").select_option(str(inherent[0]))
    form.get_by_label("Inherent impact").select_option(str(inherent[1]))
    form.get_by_label("Residual likelihood").select_option(str(residual[0]))
    form.get_by_label("Residual impact").select_option(str(residual[1]))
    expect(page.locator("#live-score")).to_contain_text(expected_score)
    form.get_by_label("Mitigations").fill(mitigations)
    url = page.url
    form.get_by_role("button", name="Record the risk").click()
    register = page.locator("#risk-register")
    expect(register.get_by_role("status")).to_contain_text("Risk recorded.")
    expect(register.get_by_role("row").filter(has_text=title)).to_be_visible()
    # The empty form came back with the register, and the browser stayed on the page.
    expect(page.locator("form.risk-form").get_by_label("Title")).to_have_value("")
    assert page.url == url


def submit_request(visitor, reference: str, *, round_number: int, screenshot: str | None = None) -> None:
    page = visitor.page
    page.get_by_role("link", name="Check and submit for review").click()
    expect(page.get_by_role("heading", name=re.compile("for review$"))).to_be_visible()
    expect(page.get_by_text("Everything the reviewers need is there.")).to_be_visible()
    routed = page.get_by_role("heading", name="Who will review, and why").locator("xpath=..").get_by_role("listitem")
    expect(routed).to_have_text(
        [re.compile(rf"^{function}\b") for function in ("Legal", "Privacy", "Security", "Procurement")]
    )
    if screenshot:
        visitor.screenshot(screenshot)
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(re.compile(rf"/use-cases/{reference}/$"))
    expect(page.get_by_role("status")).to_contain_text(
        f"{reference} is submitted: round {round_number} is with the reviewers."
    )
    expect(page.locator("h1")).to_contain_text("In review")


def sign(
    visit,
    function: str,
    reference: str,
    *,
    decision: str = "Approve",
    conditions: str = "",
    comment: str = "",
    verify_item: bool = False,
    changed: tuple[str, str, str] | None = None,
    screenshot: str | None = None,
):
    """A reviewer signs in, opens their sign-off from the review queue, and records a decision. `changed`:
    a (field, before, after) row the page must show in what changed since the previous round."""
    username = REVIEWERS[function][0]
    reviewer = visit()
    reviewer.login(username)
    page = reviewer.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(function)
    row.get_by_role("link", name=f"Review {reference} for {function}", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(rf"^{function} review: "))).to_be_visible()
    expect(page.get_by_text("Qwen2.5-Coder-32B-Instruct, version")).to_be_visible()
    if changed:
        label, before, after = changed
        expect(page.get_by_role("heading", name=re.compile(r"^What changed since round \d+$"))).to_be_visible()
        row = page.locator("table.round-diff").get_by_role("row").filter(has_text=label)
        expect(row.get_by_role("cell")).to_have_text([before, after])

    if decision.startswith("Approve"):
        # Approval is offered once the function's items are answered: the reviewer answers the open items
        # listed beside the decision, saves them all at once, and the decision follows on the same page.
        open_items = page.locator("ul.open-items a")
        codes = [text.split(" ")[0] for text in open_items.all_inner_texts()]
        if codes:
            expect(page.locator("#open-items")).to_contain_text(f"{len(codes)} of your")
            expect(page.get_by_label(decision, exact=True)).to_have_count(0)
        for code in codes:
            page.get_by_label(f"Answer to {code}", exact=True).select_option(label="Yes")
            page.get_by_label(f"Justification for {code}", exact=True).fill(f"Checked by {function.lower()}.")
        if codes:
            first, last = REVIEWERS[function][2:]
            save_review_checklist(page, codes, name=f"{first} {last}")
        expect(page.locator("ul.open-items")).to_have_count(0)
    if verify_item:
        first, last = REVIEWERS[function][2:]
        expect(page.locator(f"#checklist-{REVIEWER_ITEMS[function]}")).to_contain_text(f"{first} {last}")

    page.get_by_label(decision, exact=True).check()
    if conditions:
        # One condition: what, who on the use case (its business owner), by when.
        page.get_by_label("Condition 1", exact=True).fill(conditions)
        page.get_by_label("Owner of condition 1", exact=True).select_option(index=1)
        due = (timezone.localdate() + timedelta(days=60)).isoformat()
        page.get_by_label("Due on (condition 1)", exact=True).fill(due)
    if comment:
        page.get_by_label("Comment", exact=True).fill(comment)
    if screenshot:
        reviewer.screenshot(screenshot)
    page.get_by_role("button", name="Record decision").click()
    # The browser keeps the fragment of the page it posted from (#checklist-… after an answer) on the redirect.
    page.wait_for_url(re.compile(r"/reviews/(#[\w-]+)?$"))
    # The queue has a status line of its own (how many sign-offs match): the message is in .messages.
    expect(page.locator(".messages")).to_contain_text(f"Your {function} decision on {reference} is recorded.")


def wait_for_record(page):
    """The record is rendered by a task: at once in-process, a moment later by a worker. Reload until its link
    is there, for a bounded time."""
    link = page.get_by_role("link", name=RECORD_LINK)
    deadline = time.monotonic() + RECORD_WAIT_SECONDS
    while not link.is_visible():
        expect(page.get_by_text("Record being prepared")).to_be_visible()
        assert time.monotonic() < deadline, f"No approval record after {RECORD_WAIT_SECONDS} s"
        page.wait_for_timeout(500)
        page.reload()
    return link


def pdf_text(path) -> str:
    output = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return " ".join(output.stdout.decode().split())


def _user_pk(username: str) -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username).pk


# --- The scenarios ---------------------------------------------------------------------------------


def test_an_owner_submits_and_four_reviewers_approve_one_with_conditions(
    visit, people, registry, task_runner, tmp_path
):
    owner = visit()
    owner.login("olivia")
    page = owner.page
    reference = open_request(owner, title="Qwen2.5-Coder for code review", screenshot="workflow-01-request-form")
    expect(page.get_by_text("Source code · Confidential")).to_be_visible()
    expect(page.get_by_text("On-premises, hosted in DE")).to_be_visible()

    # The submit page names everything still missing, in one list: each business item, the risks and
    # each failure mode of question 4.
    page.get_by_role("link", name="Check and submit for review").click()
    gaps = page.locator("ul.gaps").get_by_role("listitem")
    missing = len(business_items()) + 1 + len(FailureMode.values)
    expect(page.get_by_role("alert")).to_contain_text(f"{missing} things must be done")
    expect(gaps).to_have_count(missing)
    expect(gaps.filter(has_text="Record at least one risk.")).to_have_count(1)
    expect(gaps.filter(has_text="Answer checklist item GOV-1")).to_have_count(1)
    expect(page.get_by_role("button", name="Submit for review")).to_have_count(0)
    owner.screenshot("workflow-02-submit-gaps")

    # A gap's link leads to the item on the use case page, where the owner answers hers.
    gaps.filter(has_text="Answer checklist item GOV-1").get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/use-cases/{reference}/#checklist-GOV-1$"))
    answer_business_items(owner, reference)
    record_failure_modes(owner, reference)

    # The risk register, with risks added inline.
    page.get_by_role("link", name="Risk register").click()
    expect(page.get_by_role("heading", name="Risk register: Qwen2.5-Coder for code review")).to_be_visible()
    expect(page.get_by_text("No risks recorded yet.")).to_be_visible()
    add_risk(
        page,
        title="Proprietary source code leaks through prompts or logs",
        category="Data exposure",
        inherent=(4, 5),
        residual=(2, 3),
        mitigations="Inference on-premises with no egress; logs in the SIEM only; secrets scanner before prompts.",
        expected_score="Residual: 6 · Medium",
    )
    add_risk(
        page,
        title="Suggested code introduces vulnerabilities",
        category="Model quality and failure modes",
        inherent=(4, 3),
        residual=(2, 2),
        mitigations="An engineer reviews every suggestion; SAST runs on every pull request.",
        expected_score="Inherent: 12 · High",
    )
    expect(page.locator("#risk-register tbody tr")).to_have_count(2)
    owner.screenshot("workflow-03-risk-register")

    page.get_by_role("link", name=reference).click()
    submit_request(owner, reference, round_number=1, screenshot="workflow-04-submit")

    # The four functions sign from their queues; security approves with conditions.
    conditions = "Inference hosts have no network egress; the weights' SHA-256 is checked at every deployment."
    sign(visit, "Legal", reference, verify_item=True)
    sign(visit, "Privacy", reference, verify_item=True)
    sign(
        visit,
        "Security",
        reference,
        decision="Approve with conditions",
        conditions=conditions,
        comment="Acceptable on-premises with egress blocked and the weights pinned.",
        verify_item=True,
        screenshot="workflow-05-sign",
    )
    sign(visit, "Procurement", reference, verify_item=True)

    # The owner sees the outcome on the use case page, then downloads the record.
    page.reload()
    expect(page.locator("h1")).to_contain_text("Approved with conditions")
    round_one = page.locator("article.round").filter(has=page.get_by_role("heading", name=re.compile("^Round 1")))
    expect(round_one.get_by_role("heading")).to_contain_text("Approved with conditions")
    expect(round_one).to_contain_text(conditions)
    for _, _, first, last in REVIEWERS.values():
        expect(round_one).to_contain_text(f"{first} {last}")
    link = wait_for_record(page)
    owner.screenshot("workflow-06-approved")

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"{reference}-round-1.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    text = pdf_text(path)
    assert reference in text
    for _, _, first, last in REVIEWERS.values():
        assert f"{first} {last}" in text, f"{first} {last} is not in the approval record"

    # Another business owner opening the same addresses learns nothing: the 404 page, for the request and its record.
    record_url = link.get_attribute("href")
    outsider = visit()
    outsider.login("charlie")
    for url in (f"/use-cases/{reference}/", record_url):
        response = outsider.go(url)
        assert response.status == 404, url
        expect(outsider.page.get_by_role("heading", name="Not found")).to_be_visible()
        assert "Qwen2.5-Coder for code review" not in outsider.page.content()
    outsider.console_errors.clear()  # the browser logs the expected 404s itself


def test_changes_requested_then_round_two_is_approved(visit, people, registry, task_runner):
    owner = visit()
    owner.login("olivia")
    page = owner.page
    reference = open_request(owner, title="Qwen2.5-Coder for test generation", log_retention="730")
    answer_business_items(owner, reference)
    record_failure_modes(owner, reference)
    page.get_by_role("link", name="Risk register").click()
    add_risk(
        page,
        title="Source code is kept in logs for too long",
        category="Data exposure",
        inherent=(3, 4),
        residual=(2, 3),
        mitigations="Logs stay on-premises.",
        expected_score="Residual: 6 · Medium",
    )
    page.get_by_role("link", name=reference).click()
    submit_request(owner, reference, round_number=1)

    # Round 1: legal approves, privacy sends it back.
    comment = "730 days of prompts containing source code is more than our retention policy allows: at most 90."
    sign(visit, "Legal", reference)
    sign(visit, "Privacy", reference, decision="Request changes", comment=comment)

    # The owner sees why, edits the request with a reason, and submits round 2.
    page.reload()
    expect(page.locator("h1")).to_contain_text("Changes requested")
    round_one = page.locator("article.round").filter(has=page.get_by_role("heading", name=re.compile("^Round 1")))
    expect(round_one.get_by_role("heading")).to_contain_text("Changes requested")
    expect(round_one).to_contain_text(comment)
    expect(round_one).to_contain_text("Priya Raman")
    page.get_by_role("link", name="Edit the request").click()
    expect(page.get_by_role("heading", name="Edit “Qwen2.5-Coder for test generation”")).to_be_visible()
    stepped(page)
    page.get_by_role("navigation", name="Steps of the request").get_by_role("link", name="Auditability").click()
    expect(page.get_by_label("Log retention (days)")).to_have_value("730")
    page.get_by_label("Log retention (days)").fill("90")
    page.get_by_label("Why are you changing it?").fill("Privacy: log retention cut to 90 days, within policy.")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(rf"/use-cases/{reference}/$"))
    expect(page.get_by_role("status")).to_contain_text(f"{reference} is saved.")
    expect(page.get_by_text("90 days", exact=True)).to_be_visible()
    expect(page.get_by_text("Privacy: log retention cut to 90 days, within policy.")).to_be_visible()
    submit_request(owner, reference, round_number=2)

    # Round 2 goes to all four functions again; privacy sees what changed since round 1, and they approve.
    for function in REVIEWERS:
        if function == "Privacy":
            sign(
                visit,
                function,
                reference,
                changed=("Logging: retention (days)", "730", "90"),
                screenshot="workflow-07-round-2-diff",
            )
        elif function == "Security":
            # Tools are enabled: security is not offered a plain approval, and approves with conditions.
            sign(
                visit,
                function,
                reference,
                decision="Approve with conditions",
                conditions="The repository token stays read-only; tool calls are logged.",
                comment="Tool use tested on the repository under review.",
            )
        else:
            sign(visit, function, reference)

    page.reload()
    expect(page.locator("h1")).to_contain_text("Approved with conditions")
    round_two = page.locator("article.round").filter(has=page.get_by_role("heading", name=re.compile("^Round 2")))
    expect(round_two.get_by_role("heading")).to_have_text(re.compile(r"^Round 2\s+Approved with conditions$"))
    expect(round_two.get_by_role("row").filter(has_text="Approve")).to_have_count(4)
    round_one = page.locator("article.round").filter(has=page.get_by_role("heading", name=re.compile("^Round 1")))
    expect(round_one.get_by_role("heading")).to_contain_text("Changes requested")
