"""How the demo presents vendors and models: native names, version identifiers, and the
organisation's recorded sanctions and export assessment of each vendor, with its sources."""

import datetime
from dataclasses import dataclass

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
