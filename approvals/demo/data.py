"""The demo's people, vendor assessments and requests, as plain data.

Public facts about models and vendors come from `model_facts.csv` (read at run time) and from the
listing check in /work/shared/data/vendor_listings.md, copied below with its sources. Everything else
(people, requests, risks, answers, and how each request went through review: who signed what, with
which comments and conditions) is invented for the demo and reads like a real portfolio: the
article's use cases, from a self-hosted Chinese coding model to a Russian hosted API that cannot be
approved. Loading, through the workflow services, lives in `approvals/management/commands/seed_demo.py`.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from governance.roles import Function, Role

MODEL_FACTS_CSV = Path(__file__).with_name("model_facts.csv")

# Every demo user gets this password. It is printed by the command; the command refuses to run
# with DEBUG off unless forced, so a production database does not silently get known logins.
DEMO_PASSWORD = "clearance-demo"


@dataclass(frozen=True, kw_only=True)
class DemoUser:
    username: str
    role: Role
    first_name: str
    last_name: str
    is_staff: bool = False

    @property
    def email(self) -> str:
        return f"{self.username}@example.com"


USERS: tuple[DemoUser, ...] = (
    DemoUser(username="owner", role=Role.BUSINESS_OWNER, first_name="Maria", last_name="Keller"),
    # A second business owner, to show that owners see only their own requests.
    # Korean names put the family name first; one field keeps that order wherever the full name shows.
    DemoUser(username="owner2", role=Role.BUSINESS_OWNER, first_name="김지수", last_name=""),
    DemoUser(username="legal", role=Role.LEGAL, first_name="Daniel", last_name="Okafor"),
    DemoUser(username="privacy", role=Role.PRIVACY, first_name="Ирина", last_name="Соколова"),
    DemoUser(username="security", role=Role.SECURITY, first_name="Tomás", last_name="Herrera"),
    DemoUser(username="procurement", role=Role.PROCUREMENT, first_name="Aiko", last_name="Tanaka"),
    DemoUser(username="compliance", role=Role.COMPLIANCE, first_name="Hannah", last_name="Schmidt"),
    DemoUser(username="executive", role=Role.EXECUTIVE, first_name="Robert", last_name="Chen"),
    # Staff so that the Django admin opens; the group's permissions decide what it may change.
    DemoUser(username="admin", role=Role.ADMIN, first_name="Samuel", last_name="Mensah", is_staff=True),
)

# The demo user who signs for each reviewing function, and answers its checklist items. None of them
# owns a use case: separation of duties.
SIGNER_USERNAME: dict[Function, str] = {
    Function.LEGAL: "legal",
    Function.PRIVACY: "privacy",
    Function.SECURITY: "security",
    Function.PROCUREMENT: "procurement",
    Function.COMPLIANCE: "compliance",
    Function.EXECUTIVE: "executive",
}
# The functions that own checklist items and sign every request.
CHECKLIST_REVIEWERS = (Function.LEGAL, Function.PRIVACY, Function.SECURITY, Function.PROCUREMENT)


# --- Vendors ------------------------------------------------------------------------------------

# Names in the vendor's own script that the CSV does not carry (it has Moonshot's and iFlytek's).
VENDOR_NATIVE_NAMES: dict[str, str] = {"NAVER": "네이버", "Sber (SaluteDevices)": "Сбер", "Yandex": "Яндекс"}

# Model names in the vendor's own script, by family, where the CSV cell is empty.
FAMILY_NATIVE_NAMES: dict[str, str] = {"GigaChat": "ГигаЧат", "YandexGPT": "ЯндексGPT"}

NATIVE_NAME_NOTE = "Native name added for the demo, not read in the sources above."

# CSV names with an exact identifier in brackets: the bracketed id is the version the organisation
# approves, the part before it is the name people use.
MODEL_NAME_AND_VERSION: dict[str, tuple[str, str]] = {
    "Kimi K2 (Kimi-K2-Instruct)": ("Kimi K2", "Kimi-K2-Instruct"),
    "Hunyuan-Large (Hunyuan-A52B-Instruct)": ("Hunyuan-Large", "Hunyuan-A52B-Instruct"),
    "Mistral Small 3 (Mistral-Small-24B-Instruct-2501)": ("Mistral Small 3", "Mistral-Small-24B-Instruct-2501"),
}

# Said of vendors whose demo models are all open weights: true whenever the weights are self-hosted,
# and nothing more. Vendors with a hosted API are left blank rather than guessed.
SELF_HOSTED_TERMS = {
    "data_retention": (
        "Not applicable when self-hosted: the weights run on our infrastructure, so prompts and outputs are "
        "not sent to the vendor. Any use of the vendor's own hosted service needs its own review."
    ),
    "incident_notification": (
        "Not applicable when self-hosted: incidents in our deployment are handled by our own incident response."
    ),
    "exit_terms": (
        "Self-hosted weights: exit means deleting the weights and any fine-tuned derivatives from our "
        "infrastructure; the vendor holds no prompts or outputs of ours."
    ),
}


@dataclass(frozen=True, kw_only=True)
class SanctionsAssessment:
    """The organisation's own recorded assessment of one vendor, with what it rests on."""

    status: str
    source: str
    note: str


SANCTIONS_CHECKED_ON = datetime.date(2026, 11, 28)
_PRIMARY_NOT_OPENED = "Sources are secondary; the primary register was not opened directly: verify before use."

_SEARCHED_NO_HIT = SanctionsAssessment(
    status="clear",
    source="Listing check of 2026-11-28 (vendor_listings.md): searched, no listing found.",
    note=(
        "No listing found in sources read (checked 2026-11-28). EU, UK and Japanese consolidated lists and "
        "the OFAC NS-CMIC list were not searched."
    ),
)
_NOT_COVERED = SanctionsAssessment(
    status="clear",
    source="Listing check of 2026-11-28 (vendor_listings.md): vendor not among those searched.",
    note=(
        "No listing found in sources read (checked 2026-11-28). This vendor was not specifically searched: "
        "confirm against the primary registers before relying on this."
    ),
)
SANCTIONS: dict[str, SanctionsAssessment] = {
    "Sber (SaluteDevices)": SanctionsAssessment(
        status="sanctioned",
        source=(
            "US Treasury OFAC: Directive 2 under EO 14024 (2022-02-24); SDN List with 42 subsidiaries (2022-04-06). "
            "complianceconcourse.willkie.com 2022-04-08; hugheshubbard.com 2022-04-07; USTREAS bulletin "
            "2022-02-24 (content.govdelivery.com); bankingjournal.aba.com 2022-03."
        ),
        note=(
            "Sberbank is on the OFAC SDN List (full blocking since 2022-04-06); its CEO Herman Gref is also "
            "designated. Under the OFAC 50% rule, entities owned 50% or more by Sberbank are blocked even when "
            "not named. GigaChat's developer SaluteDevices is described as a Sberbank subsidiary, but its exact "
            "ownership share was not confirmed: legal must check. " + _PRIMARY_NOT_OPENED
        ),
    ),
    "iFlytek": SanctionsAssessment(
        status="restricted",
        source=(
            "US Commerce BIS Entity List: announced 2019-10-07, effective on Federal Register publication "
            "2019-10-09. freightwaves.com; foxrothschild.com 2019-10-09; winston.com 2019-10-09; "
            "mofotech.mofo.com 2019-10-10."
        ),
        note=(
            "On the BIS Entity List since 2019-10-09, one of 28 Chinese entities added on Xinjiang human-rights "
            "grounds: a licence is required for all items subject to the EAR. Listed, not an OFAC sanction. "
            + _PRIMARY_NOT_OPENED
        ),
    ),
    "Tencent": SanctionsAssessment(
        status="under_review",
        source=(
            "US DoD Section 1260H list, Federal Register notice 2025-01-06/07. kesq.com (CNN) 2025-01-06; "
            "worldecr.com; verdict.co.uk 2025-01-07; bharathorizon.com (Feb 2026)."
        ),
        note=(
            "Listed by the US Department of Defense as a 'Chinese military company' under Section 1260H "
            "(January 2025) and still cited as listed in February 2026 reports; Tencent calls it a mistake. "
            "1260H is not a sanction or an export control, but a later NDAA provision reportedly bars DoD "
            "contracting with listed firms from 2026-06-30. Under review: compliance to decide what it means "
            "for us. " + _PRIMARY_NOT_OPENED
        ),
    ),
    "Alibaba Cloud (Qwen team)": SanctionsAssessment(
        status="under_review",
        source=(
            "US DoD Section 1260H list (reports conflict). thenationalnews.com 2026-02-13; kharon.com brief; "
            "asianfin.com 2025-11-26; themonexus.com 2026-06-24; CBS MoneyWatch via peedeewire.com 2026-06-24; "
            "coindesk.cc (low confidence)."
        ),
        note=(
            "Uncertain. Recommended for the DoD Section 1260H list in a letter of 2025-10-07; an update naming it "
            "was posted and withdrawn about an hour later on 2026-02-13; June 2026 reports say Alibaba sued DoD "
            "over its designation, and one low-confidence outlet says the list was expanded on 2026-06-08. "
            "Secondary sources conflict: confirm in the Federal Register. 1260H is not a sanction."
        ),
    ),
    "Baidu": SanctionsAssessment(
        status="under_review",
        source=(
            "US DoD Section 1260H list (reports conflict). globaltimes.cn 2025-11; thenationalnews.com "
            "2026-02-13; kharon.com; coindesk.cc; news.hanna-ai.com."
        ),
        note=(
            "Uncertain. Same chronology as Alibaba: recommended in a 2025-10-07 letter, posted and withdrawn on "
            "2026-02-13, reported added on 2026-06-08 by one outlet. Baidu called the claim 'entirely baseless' "
            "(November 2025). Confirm in the Federal Register. 1260H is not a sanction."
        ),
    ),
    "DeepSeek": SanctionsAssessment(
        status="under_review",
        source=(
            "US Commerce BIS (proposed Entity List addition, not published). prismnews.com; devcraftly.com "
            "2026-06-17; aiweekly.co / wpnews.pro citing Reuters and TNW."
        ),
        note=(
            "No listing found. Reports of 2026-06-17 say an interagency committee approved adding DeepSeek to the "
            "BIS Entity List but the listing was held back and not published. Under review until the Entity "
            "List is checked again."
        ),
    ),
    "Yandex": SanctionsAssessment(
        status="under_review",
        source=(
            "Ukraine presidential decree (NSDC sanctions, 2017-05-15/16); EU 6th package (June 2022, a person). "
            "en.interfax.com.ua/news/general/421843; actucameroun.com 2022-06-03; promoteukraine.org."
        ),
        note=(
            "No company-level US, EU or UK listing found in sources read. Ukraine's NSDC sanctions blocked "
            "Yandex LLC / Yandex.Ukraine for three years (May 2017); the EU sanctioned then-CEO Arkady Volozh "
            "personally (June 2022). Under review because the picture for a Russian vendor can change quickly."
        ),
    ),
    **dict.fromkeys(("Moonshot AI", "NAVER", "LG AI Research"), _SEARCHED_NO_HIT),
    **dict.fromkeys(
        ("OpenAI", "Anthropic", "Google (Google DeepMind)", "Meta", "Mistral AI", "SB Intuitions", "ELYZA"),
        _NOT_COVERED,
    ),
}


# --- Requests ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DemoRisk:
    title: str
    category: str
    description: str
    mitigations: str
    inherent: tuple[int, int]  # likelihood, impact
    residual: tuple[int, int]


@dataclass(frozen=True, kw_only=True)
class DemoSignOff:
    """One function's decision in a round, signed by that function's demo user."""

    function: Function
    decision: str  # a SignOff.Decision value
    comment: str = ""
    conditions: str = ""


def approve(function: Function, comment: str = "") -> DemoSignOff:
    return DemoSignOff(function=function, decision="approve", comment=comment)


def approve_with_conditions(function: Function, *, conditions: str, comment: str) -> DemoSignOff:
    return DemoSignOff(function=function, decision="approve_with_conditions", comment=comment, conditions=conditions)


def request_changes(function: Function, comment: str) -> DemoSignOff:
    return DemoSignOff(function=function, decision="request_changes", comment=comment)


def reject(function: Function, comment: str) -> DemoSignOff:
    return DemoSignOff(function=function, decision="reject", comment=comment)


def all_approve(*functions: Function) -> tuple[DemoSignOff, ...]:
    return tuple(approve(function) for function in functions or CHECKLIST_REVIEWERS)


@dataclass(frozen=True, kw_only=True)
class DemoEdit:
    """A change the business owner makes through `use_case_edit`. A material change (model, data
    categories, deployment, hosting) to an approved request suspends its approval and opens the next
    round by itself; any other edit is followed by a plain resubmission."""

    reason: str
    fields: dict[str, object] = field(default_factory=dict)
    data_categories: tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class DemoRound:
    """One review round, played in this order: the owner's edit (if any) and the submission; the
    checklist answers of the functions in `answered_by` (by default, those that sign in this round);
    then the sign-offs, in order. Functions routed to the round but not listed stay pending."""

    edit: DemoEdit | None = None
    answered_by: tuple[Function, ...] | None = None
    # Answers given in this round whatever was answered before, by item code: (response, justification).
    answers: dict[str, tuple[str, str]] = field(default_factory=dict)
    signoffs: tuple[DemoSignOff, ...] = ()

    @property
    def answering(self) -> tuple[Function, ...]:
        if self.answered_by is not None:
            return self.answered_by
        signing = {s.function for s in self.signoffs}
        return tuple(f for f in CHECKLIST_REVIEWERS if f in signing)

    def approved_by_all_reviewers(self) -> bool:
        approving = {s.function for s in self.signoffs if s.decision.startswith("approve")}
        return approving.issuperset(CHECKLIST_REVIEWERS)


@dataclass(frozen=True, kw_only=True)
class DemoAfterwards:
    """What happens after the last round.

    - "withdraw": the business owner takes the request out of review, with `reason`.
    - "suspend": `by` suspends the approval, with `reason`.
    - "revoke": `by` (an executive) revokes the approval, with `reason`.
    - "expire": the request's whole story is played far enough in the past that its approval has run
      out by now, and the expiry sweep expires it.
    """

    verb: Literal["withdraw", "suspend", "revoke", "expire"]
    by: str = ""
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class DemoUseCase:
    """One request. `model` and `fallbacks` are AIModel names; `data_categories` are DataCategory slugs.

    The request is opened, given its risks and its business owner's answers, and then taken through
    `rounds` and `afterwards` by the workflow services; `status` is where that must leave it (the
    loader checks). A request without rounds stays a draft.
    """

    title: str
    owner: str
    department: str
    model: str
    deployment_mode: str
    hosting_country: str
    purpose: str
    approved_purpose: str
    prohibited_uses: str
    data_categories: tuple[str, ...]
    fallbacks: tuple[str, ...] = ()
    no_fallback_reason: str = ""
    autonomy: str = "advisory"
    tool_use_detail: str = ""
    log_contents: str = ""
    log_location: str = ""
    log_access: str = ""
    log_retention_days: int | None = None
    risks: tuple[DemoRisk, ...]
    # Checklist: the business owner answers every business item unless `business_items` names a subset
    # (a draft that is not finished); reviewers answer theirs during the rounds. Unlisted items are
    # answered "yes"; `answers` gives the first answer to an item by code: (response, justification).
    business_items: tuple[str, ...] | None = None
    answers: dict[str, tuple[str, str]] = field(default_factory=dict)
    rounds: tuple[DemoRound, ...] = ()
    afterwards: DemoAfterwards | None = None
    status: str

    @property
    def tool_use(self) -> bool:
        return bool(self.tool_use_detail)


NO_TOOLS_ANSWER = ("n/a", "No tools or agents are enabled for this use case.")
# What legal says about GOV-2 ("have legal, privacy, security and procurement reviewed it?") in a
# round that not all four approve.
REVIEW_UNDER_WAY_ANSWER = "Round {number} is with the reviewers: not every function has signed it."

USE_CASES: tuple[DemoUseCase, ...] = (
    DemoUseCase(
        title="Code completion and review assistant (self-hosted Qwen2.5-Coder)",
        owner="owner",
        department="Platform Engineering",
        model="Qwen2.5-Coder-32B-Instruct",
        deployment_mode="on_premises",
        hosting_country="DE",
        purpose=(
            "Give developers code completion, explanations and review suggestions in the IDE. The open-weight "
            "model runs on our own GPU cluster, so source code never leaves our network; it was chosen for its "
            "coding quality and because it can be self-hosted."
        ),
        approved_purpose=(
            "Code completion, explanation and review suggestions for internal repositories, served through the "
            "internal model gateway to the IDE plugin. Suggestions are advisory: a developer reviews and "
            "commits every change."
        ),
        prohibited_uses=(
            "No autonomous commits or merges. No secrets, credentials or customer data in prompts. No use on "
            "repositories classified export-controlled. No generation of cryptographic or authentication code "
            "without a security review."
        ),
        data_categories=("source-code", "internal-documents"),
        fallbacks=("Mistral Small 3",),
        log_contents="Prompts and completions with repository, user ID and model version; the gateway masks secrets.",
        log_location="Model gateway log store (OpenSearch), Frankfurt data centre",
        log_access="Platform engineering on-call and security operations",
        log_retention_days=90,
        risks=(
            DemoRisk(
                title="Insecure or incorrect code suggestions accepted without review",
                category="quality",
                description="Generated code can compile and still be wrong or vulnerable.",
                mitigations="Suggestions only; mandatory code review and SAST in CI; short developer training.",
                inherent=(4, 3),
                residual=(2, 3),
            ),
            DemoRisk(
                title="Tampered or back-doored model weights",
                category="security",
                description="Weights downloaded from a mirror could differ from the publisher's release.",
                mitigations=(
                    "Weights taken from the publisher's official repository, SHA-256 pinned; safetensors only; "
                    "served in a segment without outbound internet."
                ),
                inherent=(2, 5),
                residual=(1, 4),
            ),
            DemoRisk(
                title="Secrets pasted into prompts end up in logs",
                category="data",
                description="Developers paste configuration files that contain keys or passwords.",
                mitigations="The gateway masks secrets with the rules of our pre-commit scanner; logs are restricted.",
                inherent=(3, 4),
                residual=(2, 3),
            ),
        ),
        answers={
            "SEC-3": ("partial", "Evaluated on our Java and Python repositories; Kotlin and Terraform still running."),
            "DATA-4": ("partial", "Masking verified for API keys and passwords; private-key patterns are a condition."),
            "DEP-1": (
                "yes",
                "Apache-2.0 confirmed for the 32B coder model (Qwen2.5 3B and 72B have other licences); "
                "weights hosted in our Frankfurt data centre.",
            ),
        },
        rounds=(
            DemoRound(
                signoffs=(
                    approve(Function.PROCUREMENT, "Apache-2.0 weights from the publisher's repository; nothing paid."),
                    approve(Function.PRIVACY),
                    approve(Function.LEGAL),
                    approve_with_conditions(
                        Function.SECURITY,
                        conditions=(
                            "Private-key and certificate patterns are added to the gateway's secret masking before "
                            "go-live, and masking is re-tested after every gateway release."
                        ),
                        comment="DATA-4 is partial: API keys and passwords are masked, private keys are not yet.",
                    ),
                ),
            ),
        ),
        status="approved_with_conditions",
    ),
    DemoUseCase(
        title="Marketing copy first drafts (DeepSeek API)",
        owner="owner",
        department="Marketing",
        model="DeepSeek-V3",
        deployment_mode="hosted_api",
        hosting_country="CN",
        purpose=(
            "Draft first versions of product blog posts, social posts and campaign copy in English and Chinese "
            "from material we have already published. Chosen for its low token price and strong Chinese."
        ),
        approved_purpose=(
            "First drafts of marketing copy built only from published material; a marketer edits and approves "
            "every draft before publication."
        ),
        prohibited_uses=(
            "No unpublished product information, customer data, prices under negotiation or employee data in "
            "prompts. No automated publishing. No health or financial claims without legal review."
        ),
        data_categories=("public-content",),
        fallbacks=("GPT-4o", "Claude Sonnet 4.5"),
        autonomy="human_reviewed",
        log_contents="Prompts, drafts, user and campaign ID.",
        log_location="Marketing content platform (EU tenant)",
        log_access="Marketing operations leads and internal audit",
        log_retention_days=365,
        risks=(
            DemoRisk(
                title="Vendor added to a US export-control list during the contract",
                category="vendor",
                description=(
                    "Reports of June 2026 say an Entity List addition for DeepSeek was approved but not published."
                ),
                mitigations=(
                    "Monthly listing check; pay-as-you-go with no commitment; the model gateway switches to a "
                    "fallback model the same day."
                ),
                inherent=(4, 4),
                residual=(3, 4),
            ),
            DemoRisk(
                title="Prompts processed in a jurisdiction with broad government access",
                category="data",
                description="The hosted API runs in China; whatever is sent must be fit to publish.",
                mitigations="Only published content allowed; a DLP rule blocks prompts with internal markers.",
                inherent=(4, 3),
                residual=(2, 2),
            ),
            DemoRisk(
                title="Censored or slanted output on sensitive topics",
                category="quality",
                description="The model may refuse or slant answers on political topics.",
                mitigations="Editorial review of every draft; sensitive topics excluded from the brief.",
                inherent=(3, 3),
                residual=(2, 2),
            ),
        ),
        answers={
            "DATA-5": ("partial", "Retention of API prompts not yet confirmed in writing; asked the vendor."),
            "DEP-1": ("yes", "DeepSeek-V3 via the vendor's API; weights licence allows commercial use."),
            "OPS-1": ("yes", "Same prompts run on GPT-4o and Claude through the gateway; switch tested."),
        },
        # Privacy, security and the executive (the highest residual risk is high) have not signed yet.
        rounds=(
            DemoRound(
                signoffs=(
                    approve_with_conditions(
                        Function.LEGAL,
                        conditions=(
                            "Only content already published on our website goes into prompts, and the DLP rule that "
                            "blocks internal markers stays on at the gateway."
                        ),
                        comment=(
                            "Acceptable for published material only, given where the API is hosted. Prompt "
                            "retention is not yet confirmed in writing (DATA-5)."
                        ),
                    ),
                    approve(Function.PROCUREMENT, "Pay-as-you-go, no commitment; the switch to GPT-4o was tested."),
                ),
            ),
        ),
        status="in_review",
    ),
    DemoUseCase(
        title="Korean customer support reply suggestions (HyperCLOVA X)",
        owner="owner2",
        department="Customer Service Korea",
        model="HyperCLOVA X",
        deployment_mode="hosted_api",
        hosting_country="KR",
        purpose=(
            "Suggest Korean replies to customer e-mails and chats for the Seoul support team. Global models "
            "tested weaker on Korean honorifics and our product terms; the API is hosted in Korea, which keeps "
            "customer data in the country."
        ),
        approved_purpose=(
            "Reply suggestions and hand-over summaries for Korean-language support tickets, shown to an agent "
            "who edits and sends them."
        ),
        prohibited_uses=(
            "No automatic sending. No decisions on refunds, credit or account closure. No resident registration "
            "numbers or card data in prompts. No customers outside Korea."
        ),
        data_categories=("customer-records", "internal-documents"),
        fallbacks=("HyperCLOVAX-SEED-Think-14B",),
        autonomy="human_reviewed",
        tool_use_detail="Read-only retrieval from the support knowledge base; no write actions.",
        log_contents="Ticket ID, prompt, retrieved articles, suggestion and the reply the agent sent.",
        log_location="Support platform, Seoul region",
        log_access="Support team leads; the privacy office on request",
        log_retention_days=180,
        risks=(
            DemoRisk(
                title="Customer personal data retained by the vendor",
                category="data",
                description="Ticket text contains names, phone numbers and order details.",
                mitigations="Identifiers masked before the call; data processing agreement with retention terms.",
                inherent=(3, 4),
                residual=(2, 3),
            ),
            DemoRisk(
                title="Wrong or impolite reply reaches a customer",
                category="quality",
                description="A suggestion with the wrong register or a wrong policy could be sent as is.",
                mitigations="Agents edit and send every reply; weekly QA sample of 5% of tickets.",
                inherent=(3, 3),
                residual=(2, 2),
            ),
            DemoRisk(
                title="API outage during peak season",
                category="operational",
                description="Support volume doubles in November.",
                mitigations="Agents fall back to reply templates; the SEED 14B model is the documented fallback.",
                inherent=(2, 3),
                residual=(2, 2),
            ),
        ),
        answers={
            "SEC-3": ("yes", "Rated higher than two global models by Korean-speaking agents on 300 real tickets."),
        },
        rounds=(
            DemoRound(
                answered_by=CHECKLIST_REVIEWERS,
                answers={
                    "DATA-3": (
                        "partial",
                        "Phone and card numbers are masked; resident registration numbers typed in free text are not.",
                    ),
                },
                signoffs=(
                    approve(Function.LEGAL),
                    approve(Function.PROCUREMENT),
                    approve(Function.SECURITY),
                    request_changes(
                        Function.PRIVACY,
                        "Resident registration numbers typed in free text reach the API unmasked, and the support "
                        "platform keeps the unmasked prompt for 180 days. Mask them before the call, log the masked "
                        "prompt only, and shorten the log retention.",
                    ),
                ),
            ),
            DemoRound(
                edit=DemoEdit(
                    reason="Privacy's changes: only masked prompts are logged, for 90 days",
                    fields={
                        "log_contents": (
                            "Ticket ID, masked prompt, retrieved articles, suggestion and the reply the agent sent."
                        ),
                        "log_retention_days": 90,
                    },
                ),
                answers={
                    "DATA-3": ("yes", "Masking of phone, resident registration and card numbers tested on 500 tickets"),
                },
                signoffs=(
                    approve(Function.PRIVACY, "Masking covers resident registration numbers now; logs kept 90 days."),
                    *all_approve(Function.LEGAL, Function.SECURITY, Function.PROCUREMENT),
                ),
            ),
        ),
        status="approved",
    ),
    DemoUseCase(
        title="Russian-language supplier document translation (GigaChat API)",
        owner="owner",
        department="Regional Operations (CIS)",
        model="GigaChat Pro (API)",
        deployment_mode="hosted_api",
        hosting_country="RU",
        purpose=(
            "Translate Russian-language supplier contracts, invoices and correspondence into English for the "
            "regional team. Requested because GigaChat is strong in Russian and the local team knows it."
        ),
        approved_purpose="Translation of Russian supplier documents into English, checked by a bilingual employee.",
        prohibited_uses="No personal data; no documents of sanctioned counterparties; no payment instructions.",
        data_categories=("third-party-confidential", "financial-records"),
        fallbacks=("GPT-4o",),
        autonomy="human_reviewed",
        log_contents="Document ID, prompt and translation.",
        log_location="Regional file share",
        log_access="Regional operations team",
        log_retention_days=30,
        risks=(
            DemoRisk(
                title="Payments to a blocked person (OFAC 50% rule)",
                category="legal",
                description=(
                    "Sberbank is on the SDN List; a paid API contract with its subsidiary would likely be a "
                    "dealing with blocked property."
                ),
                mitigations="None that makes a paid contract permissible; the ownership chain could not be cleared.",
                inherent=(5, 5),
                residual=(4, 5),
            ),
            DemoRisk(
                title="Confidential supplier terms processed in Russia",
                category="data",
                description="Contracts carry prices and terms received under confidentiality clauses.",
                mitigations="Redaction considered; it would remove the parts that need translating.",
                inherent=(4, 4),
                residual=(4, 3),
            ),
            DemoRisk(
                title="Service lost through sanctions escalation",
                category="operational",
                description="Access or payment could stop without notice.",
                mitigations="GPT-4o documented as fallback.",
                inherent=(4, 3),
                residual=(3, 3),
            ),
        ),
        answers={
            "GOV-3": ("partial", "Purpose documented; legal does not accept it with this vendor."),
            "DATA-5": ("no", "No contract possible while the vendor's parent is on the SDN List."),
            "DATA-3": ("no", "Confidential supplier terms would be sent to a vendor in Russia unredacted."),
            "DEP-1": ("no", "Vendor is a Sberbank subsidiary; Sberbank is SDN-listed. Ownership share not cleared."),
            "DEP-2": ("no", "No integration with our identity provider was offered or tested."),
        },
        # Compliance signs because the vendor is sanctioned and the hosting country restricted. With a
        # critical residual risk nobody may approve; one reject ends the round.
        rounds=(
            DemoRound(
                answered_by=CHECKLIST_REVIEWERS,
                signoffs=(
                    reject(
                        Function.COMPLIANCE,
                        "Sberbank is on the OFAC SDN List and SaluteDevices' ownership share could not be cleared: "
                        "under the 50% rule a paid contract would likely be a dealing in blocked property. The "
                        "highest residual risk is critical (20) and cannot be approved. Choose a model from a "
                        "vendor that is not listed.",
                    ),
                ),
            ),
        ),
        status="rejected",
    ),
    DemoUseCase(
        title="Russian-language search over the regional knowledge base (self-hosted YandexGPT 5 Lite)",
        owner="owner",
        department="Regional Operations (CIS)",
        model="YandexGPT-5-Lite-8B",
        deployment_mode="on_premises",
        hosting_country="DE",
        purpose=(
            "Answer employees' Russian-language questions over internal manuals and policies with retrieval. "
            "The 8B model runs on our own servers; nothing is sent to Yandex and nothing is paid to it."
        ),
        approved_purpose="Answers for employees over the regional knowledge base, citing the source documents.",
        prohibited_uses=(
            "No customer or HR data in the index. No answers shown to customers. No legal or tax advice without "
            "a cited source and a human check."
        ),
        data_categories=("internal-documents",),
        fallbacks=("Qwen2.5-72B-Instruct",),
        tool_use_detail="Read-only search over the document index.",
        log_contents="Question, retrieved passages, answer and user ID.",
        log_location="Knowledge platform database, Frankfurt data centre",
        log_access="Knowledge management team",
        log_retention_days=180,
        risks=(
            DemoRisk(
                title="Licence conditions limit commercial use",
                category="legal",
                description="The YandexGPT-5-Lite-8B licence has custom terms for commercial use.",
                mitigations="Legal reviewing the licence conditions; internal use only meanwhile.",
                inherent=(3, 4),
                residual=(3, 3),
            ),
            DemoRisk(
                title="Answers not grounded in the documents",
                category="quality",
                description="An 8B model can invent policy details.",
                mitigations="Answers must cite retrieved passages; the assistant says so when it finds nothing.",
                inherent=(3, 3),
                residual=(2, 2),
            ),
            DemoRisk(
                title="Russian vendor: sanctions picture may change",
                category="vendor",
                description="No company-level US/EU/UK listing found; Ukraine sanctioned Yandex Ukraine.",
                mitigations="Self-hosted weights, no payment to the vendor; quarterly listing re-check.",
                inherent=(2, 4),
                residual=(2, 3),
            ),
        ),
        answers={
            "DATA-2": ("yes", "Index limited to documents classified internal; confidential folders excluded."),
            "SEC-2": ("partial", "Injection via uploaded documents tested; leakage across departments still open."),
            "SEC-1": ("partial", "Hallucination rate measured on 200 questions; unsafe-output tests scheduled."),
        },
        # Security has answered but not signed: its leakage and unsafe-output tests are still running.
        rounds=(
            DemoRound(
                answered_by=(Function.PRIVACY, Function.SECURITY),
                signoffs=(approve(Function.PRIVACY, "Internal documents only; no customer or HR data in the index."),),
            ),
        ),
        status="in_review",
    ),
    DemoUseCase(
        title="Korean contract clause extraction (EXAONE 3.5)",
        owner="owner2",
        department="Legal Korea",
        model="EXAONE-3.5-32B-Instruct",
        deployment_mode="on_premises",
        hosting_country="KR",
        purpose=(
            "Extract term, liability, termination and governing-law clauses from Korean supplier contracts into "
            "the contract register. EXAONE is strong in Korean and runs on one GPU server in the Seoul office."
        ),
        approved_purpose="Clause extraction into the contract register, checked by a paralegal.",
        prohibited_uses="No legal advice to the business; no contracts outside the supplier register.",
        data_categories=("third-party-confidential", "internal-documents"),
        fallbacks=("HyperCLOVAX-SEED-Think-14B",),
        log_contents="Contract ID, extracted fields and the paralegal's corrections.",
        log_location="Contract management system, Seoul",
        log_access="Legal Korea team",
        log_retention_days=365,
        risks=(
            DemoRisk(
                title="Licence forbids commercial use",
                category="legal",
                description="EXAONE AI Model License Agreement 1.1 - NC allows non-commercial research use only.",
                mitigations="Evaluation only, until a commercial licence is agreed or the model is replaced.",
                inherent=(5, 4),
                residual=(4, 4),
            ),
            DemoRisk(
                title="Clauses extracted wrongly into the register",
                category="quality",
                description="A missed termination clause could cost a renewal window.",
                mitigations="A paralegal checks every extraction against the contract.",
                inherent=(3, 3),
                residual=(2, 3),
            ),
        ),
        answers={
            "GOV-3": ("partial", "Approved purpose is commercial use, which the model licence does not allow."),
            "DEP-1": ("no", "EXAONE AI Model License Agreement 1.1 - NC: non-commercial research only."),
            "OPS-1": ("partial", "HyperCLOVAX SEED named as fallback; its licence terms not yet reviewed."),
        },
        rounds=(
            DemoRound(
                answered_by=(Function.LEGAL, Function.PROCUREMENT),
                signoffs=(
                    request_changes(
                        Function.LEGAL,
                        "The EXAONE licence (1.1 - NC) allows non-commercial research only, and filling our contract "
                        "register is commercial use. Agree a commercial licence with LG AI Research or propose a "
                        "model whose licence allows it, then resubmit.",
                    ),
                ),
            ),
        ),
        status="changes_requested",
    ),
    DemoUseCase(
        title="Internal writing and summarising assistant (Claude)",
        owner="owner",
        department="Corporate IT",
        model="Claude Sonnet 4.5",
        deployment_mode="hosted_api",
        hosting_country="US",
        purpose=(
            "A chat assistant for every employee to draft, summarise and rewrite internal documents, reached "
            "through the SSO-protected model gateway."
        ),
        approved_purpose="Drafting, summarising and rewriting internal and public documents; the author owns the text.",
        prohibited_uses=(
            "No customer personal data, authentication data, health data or incident evidence. No decisions about "
            "people (hiring, performance). No content published without a person's review."
        ),
        data_categories=("internal-documents", "public-content"),
        fallbacks=("GPT-4o", "Gemini 2.5 Pro"),
        log_contents="Prompts and outputs with user ID and model version.",
        log_location="Model gateway log store, EU region",
        log_access="Corporate IT operations; security on incident",
        log_retention_days=90,
        risks=(
            DemoRisk(
                title="Confidential documents pasted into the assistant",
                category="data",
                description="Employees may paste documents above the approved classification.",
                mitigations="DLP on the gateway; classification banner in the UI; commercial terms reviewed by legal.",
                inherent=(4, 3),
                residual=(2, 3),
            ),
            DemoRisk(
                title="Confident but wrong summaries",
                category="quality",
                description="Summaries can drop caveats or invent figures.",
                mitigations="Advisory only; guidance to check figures against the source.",
                inherent=(3, 2),
                residual=(2, 2),
            ),
        ),
        rounds=(DemoRound(signoffs=all_approve()),),
        status="approved",
    ),
    DemoUseCase(
        title="Security alert triage and incident summaries (self-hosted Llama 3.1)",
        owner="owner",
        department="Security Operations",
        model="Llama 3.1 405B",
        deployment_mode="on_premises",
        hosting_country="DE",
        purpose=(
            "Summarise SIEM alerts, group related events and draft incident timelines for SOC analysts. "
            "Self-hosted because security logs and incident evidence may not leave our network."
        ),
        approved_purpose=(
            "Alert summaries, event grouping and draft timelines shown to a SOC analyst; the analyst decides "
            "every containment action."
        ),
        prohibited_uses=(
            "No automated containment, blocking or account disabling. No indicators sent to external services. "
            "No output used as evidence without analyst verification."
        ),
        data_categories=("security-logs", "incident-response-evidence"),
        fallbacks=("Mistral Small 3",),
        autonomy="human_reviewed",
        tool_use_detail="Read-only SIEM queries through a dedicated service account; no response actions.",
        log_contents="Every prompt, retrieved log excerpt, tool call and output, with analyst ID and case number.",
        log_location="SOC evidence store, separate from the SIEM",
        log_access="SOC leads and incident response; auditors on request",
        log_retention_days=400,
        risks=(
            DemoRisk(
                title="Unsupported conclusion triggers a harmful containment action",
                category="quality",
                description="An analyst under pressure acts on a confident but wrong summary.",
                mitigations=(
                    "Every action decided by an analyst; output labelled as draft; validated on 200 past cases; "
                    "no write tools."
                ),
                inherent=(4, 5),
                residual=(3, 4),
            ),
            DemoRisk(
                title="Prompt injection through attacker-controlled log content",
                category="security",
                description="Log lines are written by whoever triggered them, attackers included.",
                mitigations="Log content quoted as data; read-only tools; outputs never executed.",
                inherent=(4, 4),
                residual=(2, 4),
            ),
            DemoRisk(
                title="Exposure of incident evidence",
                category="data",
                description="Forensic material and case notes are among the most sensitive data we hold.",
                mitigations="Isolated segment without egress; evidence-store access controls apply to model logs.",
                inherent=(3, 5),
                residual=(1, 5),
            ),
        ),
        answers={
            "SEC-4": ("yes", "Service account limited to read queries; attempts to call other endpoints are refused."),
            "OPS-3": ("yes", "Analyst decides every action; summaries are marked as drafts."),
            "SEC-5": ("yes", "Known failure modes: merges unrelated alerts at night-time peaks; misreads IPv6 ranges."),
        },
        # The highest residual risk is high (12), so an executive signs as well.
        rounds=(
            DemoRound(
                signoffs=(
                    *all_approve(Function.LEGAL, Function.PRIVACY, Function.PROCUREMENT),
                    approve_with_conditions(
                        Function.SECURITY,
                        conditions=(
                            "Summaries are re-validated every quarter on a fresh sample of closed cases, with the "
                            "error rate reported to the SOC lead. Any write or response tool needs a new review."
                        ),
                        comment="Validated on 200 past cases with read-only tools; quality drifts as attacks change.",
                    ),
                    approve(
                        Function.EXECUTIVE,
                        "High residual risk accepted: an analyst decides every action and the model cannot act.",
                    ),
                ),
            ),
        ),
        status="approved_with_conditions",
    ),
    DemoUseCase(
        title="IT helpdesk ticket routing (Mistral Small 3, EU private cloud)",
        owner="owner",
        department="IT Service Desk",
        model="Mistral Small 3",
        deployment_mode="private_cloud",
        hosting_country="FR",
        purpose=(
            "Classify and route internal IT tickets and suggest first replies in English, French and German. "
            "Mistral Small 3 is Apache-2.0 and runs in our EU private cloud."
        ),
        approved_purpose="Ticket classification and routing; reply suggestions shown to service desk staff.",
        prohibited_uses="No password resets or access changes; no HR or customer tickets.",
        data_categories=("internal-documents",),
        no_fallback_reason="If the model is unavailable the service desk routes tickets by hand, as it does today.",
        autonomy="autonomous",
        tool_use_detail="Sets ticket category and queue through the ITSM API.",
        log_contents="Ticket ID, predicted category and queue, confidence, suggestion.",
        log_location="ITSM platform audit log",
        log_access="Service desk leads",
        log_retention_days=365,
        risks=(
            DemoRisk(
                title="Misrouted tickets delay incident handling",
                category="operational",
                description="A security incident reported as a helpdesk ticket could land in the wrong queue.",
                mitigations="Security keywords always route to the SOC queue; misroutes reviewed weekly.",
                inherent=(3, 2),
                residual=(2, 2),
            ),
            DemoRisk(
                title="Credentials pasted into tickets",
                category="data",
                description="Users paste passwords into tickets despite guidance.",
                mitigations="Secret masking before the model call.",
                inherent=(3, 3),
                residual=(2, 2),
            ),
        ),
        status="draft",
        business_items=("GOV-1", "DATA-1"),
    ),
    DemoUseCase(
        title="Agentic unit-test generation (self-hosted Kimi K2)",
        owner="owner",
        department="Platform Engineering",
        model="Kimi K2",
        deployment_mode="on_premises",
        hosting_country="DE",
        purpose=(
            "An agent that reads a repository, writes unit tests, runs them in a sandbox and opens merge "
            "requests for review. Kimi K2 was chosen for its agentic coding results and open weights."
        ),
        approved_purpose="Unit-test generation in disposable sandboxes; merge requests reviewed by a developer.",
        prohibited_uses="No merges or pushes to protected branches; no network access from the sandbox.",
        data_categories=("source-code",),
        fallbacks=("Qwen3-235B-A22B",),
        autonomy="human_reviewed",
        tool_use_detail="Runs tests in a disposable sandbox container and opens merge requests; cannot merge.",
        log_contents="Agent plan, every tool call with arguments and results, generated diffs.",
        log_location="Model gateway log store, Frankfurt data centre",
        log_access="Platform engineering and security operations",
        log_retention_days=180,
        risks=(
            DemoRisk(
                title="Agent runs harmful code or escapes the sandbox",
                category="security",
                description="The agent executes the code it writes.",
                mitigations="Disposable containers without network or secrets; resource limits; tool calls logged.",
                inherent=(3, 5),
                residual=(2, 4),
            ),
            DemoRisk(
                title="Tampered weights",
                category="security",
                description="A 1-trillion-parameter download is hard to verify by hand.",
                mitigations="Weights from the publisher's repository with pinned checksums; isolated serving segment.",
                inherent=(2, 5),
                residual=(1, 5),
            ),
            DemoRisk(
                title="Licence attribution clause",
                category="legal",
                description="The Modified MIT licence asks to show 'Kimi K2' above 100M MAU or US$20M monthly revenue.",
                mitigations="Internal tool far below both thresholds; legal noted it.",
                inherent=(2, 2),
                residual=(1, 2),
            ),
        ),
        answers={
            "SEC-4": ("yes", "Sandbox escape and network access attempts tested; all blocked."),
            "DEP-1": ("yes", "Kimi-K2-Instruct under the Modified MIT License; hosted in our Frankfurt data centre."),
        },
        rounds=(
            DemoRound(
                signoffs=(
                    *all_approve(Function.LEGAL, Function.PRIVACY, Function.PROCUREMENT),
                    approve(Function.SECURITY, "Tested in the sandbox as deployed; re-test on any base-image change."),
                ),
            ),
        ),
        afterwards=DemoAfterwards(
            verb="suspend",
            by="security",
            reason=(
                "The re-test after the sandbox base-image upgrade found outbound DNS open from the agent sandbox. "
                "Suspended until egress is blocked again and SEC-4 is re-tested."
            ),
        ),
        status="suspended",
    ),
    DemoUseCase(
        title="Japanese maintenance-manual assistant for plant engineers (ELYZA)",
        owner="owner2",
        department="Manufacturing Engineering Japan",
        model="Llama-3-ELYZA-JP-8B",
        deployment_mode="on_premises",
        hosting_country="JP",
        purpose=(
            "Answer plant engineers' Japanese questions over equipment maintenance manuals and work "
            "instructions, on a server in the plant network. A Japanese-tuned 8B model fits the hardware there."
        ),
        approved_purpose="Answers with the manual section cited; the engineer follows the manual.",
        prohibited_uses=(
            "No safety-critical procedures (lockout/tagout, pressure systems); no control of equipment; no "
            "changes to work instructions."
        ),
        data_categories=("proprietary-research", "internal-documents"),
        no_fallback_reason=(
            "Sarashina2-8x70B was considered but its licence is non-commercial. If the model is unavailable, "
            "engineers use the manuals directly, as today."
        ),
        log_contents="Question, cited manual sections, answer, engineer ID.",
        log_location="Plant network server, Japan",
        log_access="Manufacturing engineering leads",
        log_retention_days=365,
        risks=(
            DemoRisk(
                title="Wrong maintenance step affects equipment or safety",
                category="quality",
                description="An industrial error can damage equipment or hurt people, not just give a bad answer.",
                mitigations="Safety-critical procedures excluded; every answer cites the manual section.",
                inherent=(3, 5),
                residual=(2, 4),
            ),
            DemoRisk(
                title="Process know-how leaves the plant network",
                category="data",
                description="Manuals describe proprietary processes.",
                mitigations="Model runs inside the plant network with no outbound connection.",
                inherent=(2, 4),
                residual=(1, 4),
            ),
        ),
        status="draft",
        answers={
            "SEC-3": ("no", "Evaluation on our Japanese manuals has not started yet."),
            "SEC-5": ("no", "Failure modes will be documented after the evaluation."),
            "OPS-2": ("yes", "Engineers use the manuals directly, as today."),
        },
    ),
    DemoUseCase(
        title="Sales proposal first drafts (GPT-4o)",
        owner="owner",
        department="Sales",
        model="GPT-4o",
        deployment_mode="hosted_api",
        hosting_country="US",
        purpose="Draft sales proposals and RFP answers from approved product descriptions and past proposals.",
        approved_purpose="First drafts of proposals and RFP answers; a sales lead edits and signs off every proposal.",
        prohibited_uses="No pricing decisions; no RFP documents whose NDA forbids subprocessors.",
        data_categories=("internal-documents", "third-party-confidential"),
        fallbacks=("Claude Sonnet 4.5",),
        autonomy="human_reviewed",
        log_contents="Prompts, drafts, opportunity ID.",
        log_location="CRM attachment store",
        log_access="Sales operations",
        log_retention_days=365,
        risks=(
            DemoRisk(
                title="RFP documents under NDA sent to a hosted API",
                category="legal",
                description="Some customer NDAs forbid sharing with subprocessors.",
                mitigations="NDA check in the intake form; restricted RFPs excluded.",
                inherent=(3, 4),
                residual=(2, 3),
            ),
            DemoRisk(
                title="Proposal promises features we do not have",
                category="quality",
                description="Drafts can overstate the product.",
                mitigations="Drafts built from approved product descriptions; sales lead signs off.",
                inherent=(3, 3),
                residual=(2, 2),
            ),
        ),
        # Approved a little over a year ago and not renewed since: the approval has run out.
        rounds=(
            DemoRound(
                signoffs=(
                    approve_with_conditions(
                        Function.LEGAL,
                        conditions="RFPs whose NDA forbids subprocessors are never uploaded; the intake form asks.",
                        comment="Some customer NDAs forbid sharing with subprocessors; the intake check covers it.",
                    ),
                    *all_approve(Function.PRIVACY, Function.SECURITY, Function.PROCUREMENT),
                ),
            ),
        ),
        afterwards=DemoAfterwards(verb="expire"),
        status="expired",
    ),
    DemoUseCase(
        title="Research literature and patent summaries (self-hosted DeepSeek-R1)",
        owner="owner",
        department="Materials R&D",
        model="DeepSeek-R1",
        deployment_mode="on_premises",
        hosting_country="DE",
        purpose=(
            "Summarise published papers and patents for materials researchers and compare them with our own "
            "research questions. A reasoning model helps with the chemistry; self-hosted because the questions "
            "reveal where our research is going."
        ),
        approved_purpose="Summaries and comparisons of published literature for researchers, with citations.",
        prohibited_uses=(
            "No patentability or freedom-to-operate opinions; no upload of lab notebooks; no answers used in a "
            "filing without a patent attorney's review."
        ),
        data_categories=("public-content", "proprietary-research"),
        fallbacks=("Qwen3-235B-A22B",),
        log_contents="Question, retrieved documents, summary and researcher ID.",
        log_location="Research computing cluster, Frankfurt data centre",
        log_access="Research computing administrators",
        log_retention_days=180,
        risks=(
            DemoRisk(
                title="Research questions reveal our direction",
                category="data",
                description="The questions researchers ask describe unpublished work.",
                mitigations="Self-hosted with no outbound connection; logs readable by research computing only.",
                inherent=(3, 4),
                residual=(1, 4),
            ),
            DemoRisk(
                title="Summaries state findings the paper does not support",
                category="quality",
                description="A reasoning model can argue convincingly from a misread table.",
                mitigations="Every statement cites its passage; researchers read the paper before relying on it.",
                inherent=(3, 3),
                residual=(2, 3),
            ),
        ),
        # Approved in round 1. Adding partners' reports (received under NDA) is a material change: the
        # edit suspends the approval and opens round 2, which privacy and security have signed so far.
        rounds=(
            DemoRound(signoffs=all_approve()),
            DemoRound(
                edit=DemoEdit(
                    reason="Joint-research reports from partner universities, received under NDA, added to scope",
                    data_categories=("public-content", "proprietary-research", "third-party-confidential"),
                ),
                answered_by=(Function.PRIVACY, Function.SECURITY, Function.LEGAL),
                answers={
                    "DATA-2": ("yes", "Partner reports classified confidential; no personal data beyond authors."),
                    "GOV-3": (
                        "partial",
                        "Checking that the partner agreements allow processing with our own AI tools.",
                    ),
                },
                signoffs=(
                    approve(Function.PRIVACY, "Partner reports name their authors and nobody else."),
                    approve(Function.SECURITY),
                ),
            ),
        ),
        status="in_review",
    ),
    DemoUseCase(
        title="Minutes of Mandarin supplier meetings (iFlytek Spark API)",
        owner="owner",
        department="Sourcing China",
        model="iFlytek Spark (星火认知大模型)",
        deployment_mode="hosted_api",
        hosting_country="CN",
        purpose=(
            "Turn transcripts of Mandarin-language supplier meetings into minutes and action lists in Chinese "
            "and English. The sourcing team in Shenzhen already uses iFlytek's tools and rates its Chinese highly."
        ),
        approved_purpose="Draft minutes and action lists from meeting transcripts, checked by the meeting organiser.",
        prohibited_uses="No negotiation strategy or target prices in transcripts; no one recorded without consent.",
        data_categories=("internal-documents", "third-party-confidential"),
        fallbacks=("Qwen2.5-72B-Instruct",),
        autonomy="human_reviewed",
        log_contents="Meeting ID, transcript, draft minutes and the organiser's edits.",
        log_location="Sourcing team workspace, Shenzhen",
        log_access="Sourcing China leads",
        log_retention_days=365,
        risks=(
            DemoRisk(
                title="Vendor on the US Entity List",
                category="vendor",
                description="iFlytek has been on the BIS Entity List since 2019-10-09.",
                mitigations="Pay-as-you-go only; compliance to advise before any contract is signed.",
                inherent=(4, 4),
                residual=(3, 4),
            ),
            DemoRisk(
                title="Supplier confidential terms processed by a hosted API in China",
                category="data",
                description="Meetings cover prices and terms received under confidentiality clauses.",
                mitigations="Negotiation content excluded; organisers redact prices before upload.",
                inherent=(4, 3),
                residual=(3, 3),
            ),
        ),
        # Compliance (restricted vendor) and the executive (high residual risk) are routed too.
        rounds=(
            DemoRound(
                answered_by=(Function.PROCUREMENT,),
                answers={
                    "DEP-1": (
                        "partial",
                        "Vendor on the BIS Entity List since 2019-10-09; compliance to advise what that means for a "
                        "hosted API contract.",
                    ),
                },
            ),
        ),
        afterwards=DemoAfterwards(
            verb="withdraw",
            reason=(
                "Compliance advised that clearing a contract with a vendor on the Entity List would take months; "
                "the team will evaluate a self-hosted open-weight model instead."
            ),
        ),
        status="withdrawn",
    ),
    DemoUseCase(
        title="Chinese product review analysis for Asia-Pacific e-commerce (self-hosted Hunyuan-Large)",
        owner="owner",
        department="E-commerce Asia-Pacific",
        model="Hunyuan-Large",
        deployment_mode="private_cloud",
        hosting_country="SG",
        purpose=(
            "Group and summarise Chinese-language product reviews from public marketplaces for the Singapore "
            "e-commerce team. Hunyuan-Large was chosen for its Chinese; the weights run in our Singapore cloud."
        ),
        approved_purpose="Weekly review themes and summaries for category managers in Asia-Pacific.",
        prohibited_uses="No replies to reviewers; no profiling of individual reviewers; no use by EU teams.",
        data_categories=("public-content",),
        fallbacks=("Gemini 2.5 Pro",),
        log_contents="Marketplace, product ID, review batch and summary.",
        log_location="Asia-Pacific analytics workspace, Singapore",
        log_access="E-commerce analytics team",
        log_retention_days=90,
        risks=(
            DemoRisk(
                title="Licence does not cover the EU",
                category="legal",
                description="The Tencent Hunyuan Community License is not licensed in the EU.",
                mitigations="Deployed and used in Singapore only; EU teams excluded in the approved purpose.",
                inherent=(3, 4),
                residual=(1, 4),
            ),
            DemoRisk(
                title="Vendor listed under US DoD Section 1260H",
                category="vendor",
                description="Tencent is on the 1260H list; not a sanction, but customers and partners may ask.",
                mitigations="Self-hosted weights, nothing paid to the vendor; Gemini 2.5 Pro documented as fallback.",
                inherent=(3, 3),
                residual=(2, 3),
            ),
        ),
        rounds=(
            DemoRound(
                signoffs=(
                    *all_approve(Function.PRIVACY, Function.SECURITY, Function.PROCUREMENT),
                    approve_with_conditions(
                        Function.LEGAL,
                        conditions="The model is deployed and used outside the EU only.",
                        comment="The Tencent Hunyuan Community License does not cover the EU.",
                    ),
                ),
            ),
        ),
        afterwards=DemoAfterwards(
            verb="revoke",
            by="executive",
            reason=(
                "Executive decision: no production dependency on vendors on the US DoD Section 1260H list while "
                "our US public-sector bids are open. Tencent is listed; the team moves to an unlisted vendor."
            ),
        ),
        status="revoked",
    ),
)
