"""The demo's people, vendor assessments and requests, as plain data.

Public facts about models and vendors come from `model_facts.csv` (read at run time) and from the
organisation's vendor listing check, copied in `registry.py` with its sources. Everything else (people,
requests, risks, answers, and how each request went through review: who signed what, with which
comments and conditions) is invented for the demo and reads like a real portfolio: the article's use
cases, from a self-hosted Chinese coding model to a Russian hosted API that cannot be approved.
Loading, through the workflow services, lives in `approvals/management/commands/seed_demo.py`.
"""

from demo.data.people import CHECKLIST_REVIEWERS, DEMO_PASSWORD, MODEL_FACTS_CSV, SIGNER_USERNAME, USERS
from demo.data.registry import (
    FAMILY_NATIVE_NAMES,
    MODEL_NAME_AND_VERSION,
    NATIVE_NAME_NOTE,
    SANCTIONS,
    SANCTIONS_CHECKED_ON,
    SELF_HOSTED_TERMS,
    VENDOR_NATIVE_NAMES,
)
from demo.data.requests import (
    NO_TOOLS_ANSWER,
    REVIEW_UNDER_WAY_ANSWER,
    DemoAfterwards,
    DemoRisk,
    DemoRound,
    DemoSignOff,
    DemoUseCase,
)
from demo.data.use_cases_first import FIRST
from demo.data.use_cases_more import MORE

USE_CASES: tuple[DemoUseCase, ...] = (*FIRST, *MORE)

__all__ = [
    "CHECKLIST_REVIEWERS",
    "DEMO_PASSWORD",
    "FAMILY_NATIVE_NAMES",
    "MODEL_FACTS_CSV",
    "MODEL_NAME_AND_VERSION",
    "NATIVE_NAME_NOTE",
    "NO_TOOLS_ANSWER",
    "REVIEW_UNDER_WAY_ANSWER",
    "SANCTIONS",
    "SANCTIONS_CHECKED_ON",
    "SELF_HOSTED_TERMS",
    "SIGNER_USERNAME",
    "USERS",
    "USE_CASES",
    "VENDOR_NATIVE_NAMES",
    "DemoAfterwards",
    "DemoRisk",
    "DemoRound",
    "DemoSignOff",
    "DemoUseCase",
]
