"""Who may write through the API: every write route, asked by every principal about use cases in each state.

alice (the owner) owns and is the risk owner of every use case of the world; a draft is hers alone, a submitted
one is seen by reviewers, executives, admins and read tokens. A submit token sees only its own requests, so the
world's are 404 to it. Tokens never decide a sign-off or revoke. GET is refused (405) on every write route."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.api.matrix import TOKEN_GATEWAY, TOKEN_READ, TOKEN_SUBMIT, ApiCase, api_expect
from tests.evaluations.helpers import FIXTURES
from tests.matrix_fixtures import EXECUTIVE, OTHER_OWNER, OWNER, item_of, pending_signoff

# alice holds the three owner roles of the world's requests: the request form asks why on every edit.
SHARED = "A team of one."
TOKENS_REFUSED = {TOKEN_READ: 403, TOKEN_SUBMIT: 403, TOKEN_GATEWAY: 403}


def _use_case_url(route: str, state: str, *more):
    return lambda world: reverse(route, args=[world.use_case(state).reference, *more])


def _item_url(route: str, state: str, function: str):
    return lambda world: reverse(route, args=[world.use_case(state).reference, item_of(function).code])


def _risk_url(state: str):
    return lambda world: reverse("api_risk_change", args=[world.use_case(state).reference, world.risks[state].pk])


def _draft_only(ok: int) -> dict:
    """A draft: its owner acts; nobody else sees it (a token without the scope is refused before looking)."""
    return api_expect(404, owner=ok, token_read=403, token_gateway=403)


def _seen_not_theirs(**overrides) -> dict:
    """A submitted request that the principal may see but not act on (403); another owner, a person with no role
    and a submit token do not see it (404)."""
    return api_expect(403, **{"other_owner": 404, "roleless": 404, "token_submit": 404, **overrides})


def _get_refused(**overrides) -> dict:
    return api_expect(405, **{"token_gateway": 403, **overrides})


def _new_draft(world) -> dict:
    return {
        "title": "Ticket triage",
        "purpose": "Sort incoming tickets by urgency.",
        "business_owner": world.users[OWNER].username,
        "technical_owner": world.users[OTHER_OWNER].username,
        "risk_owner": world.users[EXECUTIVE].username,
        "primary_model": world.draft.primary_model_id,
        "deployment_mode": "hosted_api",
        "hosting_country": "DE",
    }


RISK = {
    "title": "Prompts carry customer identifiers",
    "category": "data",
    "inherent_likelihood": 4,
    "inherent_impact": 4,
    "residual_likelihood": 2,
    "residual_impact": 2,
}


def _evidence(world) -> dict:
    return {"file": SimpleUploadedFile("test-report.txt", b"Load test report, matrix run\n")}


def _evaluation(world) -> dict:
    # Another file than the one the world imported on each use case, so an allowed import succeeds.
    return {"file": SimpleUploadedFile("redteam.json", (FIXTURES / "promptfoo" / "redteam_mixed.json").read_bytes())}


def _reason(world) -> dict:
    return {"reason": "The vendor contract ended."}


CASES = [
    # Opening a draft: business owners and submit tokens.
    ApiCase(
        "api_use_case_create",
        "post",
        lambda world: reverse("api_use_case_create"),
        api_expect(403, owner=201, other_owner=201, token_submit=201),
        data=_new_draft,
        changes=(OWNER, OTHER_OWNER, TOKEN_SUBMIT),
    ),
    ApiCase("api_use_case_create", "get", lambda world: reverse("api_use_case_create"), _get_refused(), "GET"),
    # Editing.
    ApiCase(
        "api_use_case_edit",
        "patch",
        _use_case_url("api_use_case_edit", "draft"),
        _draft_only(200),
        "draft",
        data=lambda world: {"title": "Renamed", "owners_shared_reason": SHARED},
        changes=(OWNER,),
    ),
    ApiCase(
        "api_use_case_edit",
        "patch",
        _use_case_url("api_use_case_edit", "returned"),
        _seen_not_theirs(owner=200, token_read=403),
        "returned",
        data=lambda world: {"title": "Renamed", "owners_shared_reason": SHARED},
        changes=(OWNER,),
    ),
    ApiCase(
        "api_use_case_edit",
        "patch",
        _use_case_url("api_use_case_edit", "review"),
        _seen_not_theirs(),
        "in review",
        data=lambda world: {"title": "Renamed", "owners_shared_reason": SHARED},
    ),
    ApiCase(
        "api_use_case_edit",
        "patch",
        _use_case_url("api_use_case_edit", "approved"),
        _seen_not_theirs(owner=200),
        "approved, not material",
        data=lambda world: {"title": "Renamed", "owners_shared_reason": SHARED, "reason": "A clearer name."},
        changes=(OWNER,),
    ),
    ApiCase("api_use_case_edit", "get", _use_case_url("api_use_case_edit", "draft"), _get_refused(), "GET"),
    # Risks.
    ApiCase(
        "api_risk_create",
        "post",
        _use_case_url("api_risk_create", "draft"),
        _draft_only(201),
        "draft",
        data=lambda world: RISK,
        changes=(OWNER,),
    ),
    ApiCase(
        "api_risk_create",
        "post",
        _use_case_url("api_risk_create", "review"),
        _seen_not_theirs(),
        "in review",
        data=lambda world: RISK,
    ),
    ApiCase("api_risk_create", "get", _use_case_url("api_risk_create", "draft"), _get_refused(), "GET"),
    ApiCase(
        "api_risk_change",
        "patch",
        _risk_url("draft"),
        _draft_only(200),
        "draft",
        data=lambda world: {"mitigations": "Identifiers masked before the prompt."},
        changes=(OWNER,),
    ),
    ApiCase(
        "api_risk_change",
        "patch",
        _risk_url("approved"),
        _seen_not_theirs(),
        "approved",
        data=lambda world: {"mitigations": "Identifiers masked before the prompt."},
    ),
    ApiCase("api_risk_change", "delete", _risk_url("draft"), _draft_only(200), "remove, draft", changes=(OWNER,)),
    ApiCase("api_risk_change", "delete", _risk_url("review"), _seen_not_theirs(), "remove, in review"),
    ApiCase("api_risk_change", "get", _risk_url("draft"), _get_refused(), "GET"),
    # Answering the checklist: owners the business items of a draft, reviewers their function's items in review.
    ApiCase(
        "api_checklist_answer",
        "put",
        _item_url("api_checklist_answer", "draft", "business"),
        _draft_only(200),
        "draft, business item",
        data=lambda world: {"response": "partial", "justification": "Only the EU tenants so far."},
        changes=(OWNER,),
    ),
    ApiCase(
        "api_checklist_answer",
        "put",
        _item_url("api_checklist_answer", "review", "legal"),
        _seen_not_theirs(legal=200),
        "in review, legal item",
        data=lambda world: {"response": "yes"},
        changes=("legal",),
    ),
    ApiCase(
        "api_checklist_answer",
        "put",
        _item_url("api_checklist_answer", "review", "business"),
        _seen_not_theirs(),
        "in review, business item",
        data=lambda world: {"response": "yes"},
    ),
    ApiCase(
        "api_checklist_answer",
        "get",
        _item_url("api_checklist_answer", "draft", "business"),
        _get_refused(),
        "GET",
    ),
    # Evidence.
    ApiCase(
        "api_evidence_upload",
        "post",
        _item_url("api_evidence_upload", "draft", "business"),
        _draft_only(201),
        "draft",
        data=_evidence,
        multipart=True,
        changes=(OWNER,),
    ),
    ApiCase(
        "api_evidence_upload",
        "post",
        _item_url("api_evidence_upload", "review", "business"),
        _seen_not_theirs(),
        "in review",
        data=_evidence,
        multipart=True,
    ),
    ApiCase("api_evidence_upload", "get", _item_url("api_evidence_upload", "draft", "business"), _get_refused(), "GET"),
    # Evaluation evidence: the owners import while preparing; the security function while preparing or in review.
    ApiCase(
        "api_evaluation_import",
        "post",
        _use_case_url("api_evaluation_import", "draft"),
        _draft_only(201),
        "draft",
        data=_evaluation,
        multipart=True,
        changes=(OWNER,),
    ),
    ApiCase(
        "api_evaluation_import",
        "post",
        _use_case_url("api_evaluation_import", "review"),
        _seen_not_theirs(security=201),
        "in review",
        data=_evaluation,
        multipart=True,
        changes=("security",),
    ),
    ApiCase("api_evaluation_import", "get", _use_case_url("api_evaluation_import", "draft"), _get_refused(), "GET"),
    # Submitting and withdrawing.
    ApiCase(
        "api_use_case_submit",
        "post",
        _use_case_url("api_use_case_submit", "draft"),
        _draft_only(201),
        "draft",
        changes=(OWNER,),
    ),
    ApiCase("api_use_case_submit", "post", _use_case_url("api_use_case_submit", "review"), _seen_not_theirs(), "twice"),
    ApiCase("api_use_case_submit", "get", _use_case_url("api_use_case_submit", "draft"), _get_refused(), "GET"),
    ApiCase(
        "api_use_case_withdraw",
        "post",
        _use_case_url("api_use_case_withdraw", "review"),
        _seen_not_theirs(owner=200),
        "in review",
        data=_reason,
        changes=(OWNER,),
    ),
    ApiCase(
        "api_use_case_withdraw",
        "post",
        _use_case_url("api_use_case_withdraw", "draft"),
        _draft_only(403),
        "draft",
        data=_reason,
    ),
    ApiCase("api_use_case_withdraw", "get", _use_case_url("api_use_case_withdraw", "review"), _get_refused(), "GET"),
    # Revoking: an executive or the risk owner, signed in; never a token.
    ApiCase(
        "api_approval_revoke",
        "post",
        _use_case_url("api_approval_revoke", "approved"),
        _seen_not_theirs(owner=200, executive=200, **TOKENS_REFUSED),
        "approved",
        data=_reason,
        changes=(OWNER, EXECUTIVE),
    ),
    ApiCase(
        "api_approval_revoke",
        "post",
        _use_case_url("api_approval_revoke", "draft"),
        _draft_only(403) | TOKENS_REFUSED,
        "draft",
        data=_reason,
    ),
    ApiCase(
        "api_approval_revoke",
        "get",
        _use_case_url("api_approval_revoke", "approved"),
        api_expect(405, **TOKENS_REFUSED),
        "GET",
    ),
    # Deciding a sign-off: a member of its function, signed in; never a token.
    ApiCase(
        "api_signoff_decide",
        "post",
        lambda world: reverse("api_signoff_decide", args=[pending_signoff(world, "legal").pk]),
        _seen_not_theirs(legal=200, **TOKENS_REFUSED),
        "pending",
        data=lambda world: {"decision": "request_changes", "comment": "Name the retention period."},
        changes=("legal",),
    ),
    ApiCase(
        "api_signoff_decide",
        "post",
        lambda world: reverse("api_signoff_decide", args=[world.approved_round.signoffs.get(function="legal").pk]),
        _seen_not_theirs(**TOKENS_REFUSED),
        "decided",
        data=lambda world: {"decision": "reject", "comment": "Too late."},
    ),
    ApiCase(
        "api_signoff_decide",
        "get",
        lambda world: reverse("api_signoff_decide", args=[pending_signoff(world, "legal").pk]),
        api_expect(405, **TOKENS_REFUSED),
        "GET",
    ),
]
