"""Property: no input a user can send makes a page answer 500.

Every form and query parameter of the main pages gets, from hypothesis, what users and attackers send:
control characters and NUL, huge strings, Unicode digits, huge and negative integers, values of the
wrong type (a list for a scalar, text for a number, a date that is not one), repeated keys, unknown
keys, and valid values mixed in so that the deeper code paths run too. The fields come from the form
classes themselves, so a field added tomorrow is fuzzed too.

Each example runs in a savepoint that is rolled back: the world stays as built. The number of examples
comes from a hypothesis profile: `ci` (the default, a few thousand in all) or `fuzz` (`make fuzz`, many
more), chosen with HYPOTHESIS_PROFILE.
"""

import os

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from approvals.discussion_views import MessageForm
from approvals.forms import AnswerForm, BulkAssignForm, ClaimForm, DecisionForm, LeadForm, QueueFilterForm, ReasonForm
from approvals.notify import owners_of
from approvals.views import RecordVerifyForm
from checklist.forms import ChecklistAnswersForm
from checklist.models import ChecklistItem
from governance.forms import FailureModesForm, RiskForm, UseCaseFilterForm, UseCaseForm
from governance.roles import Function
from governance.sessions import PASSWORD_AT
from identity.forms import PeopleFilterForm, RoleChangeForm
from identity.forms import ReasonForm as PeopleReasonForm
from identity.service_account_forms import ScopesForm, ServiceAccountForm, TokenIssueForm
from reports.views import ReportFilterForm
from tests.approvals.workflow import business_items
from tests.matrix_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    ADMIN,
    EXECUTIVE,
    FORMER,
    OWNER,
    World,
    item_of,
    media_root_fixture,
    pending_signoff,
    quiet_refusals_fixture,
    world_fixture,
)

pytestmark = pytest.mark.django_db

_COMMON = {
    "deadline": None,  # every example is requests and database work: slow, and slower on a loaded machine
    # The fixtures (a world built once per module, logged-in clients once per test) are meant to be shared
    # by all examples: each example rolls its own changes back.
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    "database": None,
    "print_blob": True,
}
settings.register_profile("ci", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "140")), **_COMMON)
settings.register_profile("fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "2000")), **_COMMON)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def fuzz(test):
    """`@given(data=...)` with the profile's settings."""
    return settings(PROFILE)(given(data=st.data())(test))


# --- What users send -------------------------------------------------------------------------------

EDGE_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "\t",
    "\x1b[31m",
    "\ud7ff",
    "\ufeff",
    "\u202e",
    "-1",
    "0",
    "1",
    "1.5",
    "1e309",
    "NaN",
    "inf",
    "-0",
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999999999999",
    "٣",  # Arabic-Indic three: isdigit() is true, int() takes it
    "³",  # superscript three: isdigit() is true, int() refuses it
    "①",
    "𝟘",
    "0x10",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "1-1-1",
    "true",
    "None",
    "[]",
    "{}",
    "%00",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "UC-2026-0001",
    "/\\evil.example",
    "//evil.example/",
    "javascript:alert(1)",
]

# Lone surrogates cannot be encoded in UTF-8, so no client can send them: the test client would fail
# before the request leaves it.
sendable = st.characters(exclude_categories=["Cs"])
unicode_digits = st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=12)
control_text = st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), min_size=1, max_size=8)
huge_text = st.builds(lambda char, n: char * n, sendable, st.integers(min_value=1_000, max_value=300_000))
integers = st.integers(min_value=-(2**80), max_value=2**80).map(str)


def nasty(valid: list[str] | None = None) -> st.SearchStrategy[str]:
    options = [
        st.sampled_from(EDGE_VALUES),
        st.text(alphabet=sendable, max_size=40),
        unicode_digits,
        control_text,
        integers,
        huge_text,
    ]
    if valid:
        options += [st.sampled_from(valid)] * 3  # often valid, so the rest of the form is checked too
    return st.one_of(options)


def values(valid: list[str] | None = None) -> st.SearchStrategy:
    """One value, or the key repeated (a list where a scalar is expected, and the other way round)."""
    return st.one_of(nasty(valid), st.lists(nasty(valid), min_size=0, max_size=3))


def valid_values(field) -> list[str]:
    if hasattr(field, "queryset"):
        return [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:20]]
    if hasattr(field, "choices"):
        flat = []
        for value, label in field.choices:
            flat += [str(v) for v, _ in label] if isinstance(label, list | tuple) else [str(value)]
        return flat
    initial = field.initial
    return [str(initial)] if initial not in (None, "") else []


def payload(form) -> st.SearchStrategy[dict]:
    """Any subset of the form's fields, each with nasty or valid values, plus keys the form does not know."""
    optional = {name: values(valid_values(field)) for name, field in form.fields.items()}
    junk = st.dictionaries(st.text(alphabet=sendable, min_size=1, max_size=10), values(), max_size=3)
    return st.tuples(st.fixed_dictionaries({}, optional=optional), junk).map(lambda pair: {**pair[1], **pair[0]})


def _repeat_keys(data: dict) -> dict:
    """The test client sends a list as the key repeated; an empty list would send nothing, so keep one."""
    return {key: (value or [""]) if isinstance(value, list) else value for key, value in data.items()}


# --- Asking ----------------------------------------------------------------------------------------


@pytest.fixture
def clients(world: World) -> dict[str, Client]:
    made = {}
    for role in (OWNER, "legal", EXECUTIVE):
        made[role] = Client(raise_request_exception=False)
        made[role].force_login(world.users[role])
    return made


def no_server_error(client: Client, method: str, url: str, data: dict | None = None, **extra) -> int:
    """Send it in a savepoint that is rolled back; the answer must not be a 5xx, and a streamed body must
    stream to its end without an error."""
    data = _repeat_keys(data or {})
    with transaction.atomic():
        response = client.get(url, data, **extra) if method == "get" else client.post(url, data, **extra)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    assert response.status_code < 500, f"{method.upper()} {url} with {_shown(data)} answered {response.status_code}"
    return response.status_code


def _shown(data: dict) -> str:
    text = repr(data)
    return text if len(text) < 400 else text[:400] + f"… ({len(text)} characters)"


# --- The pages -------------------------------------------------------------------------------------


@fuzz
def test_use_case_list_filters_search_sort_and_page(world, clients, data):
    form = UseCaseFilterForm()
    form.fields["model"].queryset = world.draft.primary_model.__class__.objects.all()
    form.fields["owner"].queryset = world.draft.business_owner.__class__.objects.all()
    query = data.draw(payload(form))
    query.update(data.draw(st.fixed_dictionaries({}, optional={"page": values(["1", "2", "last"])})))
    role = data.draw(st.sampled_from([OWNER, "legal", EXECUTIVE]))
    no_server_error(clients[role], "get", reverse("use_case_list"), query)


@fuzz
def test_review_queue_search_filters_sort_and_page(world, clients, data):
    query = data.draw(payload(QueueFilterForm(functions=["legal", "security"])))
    query.update(data.draw(st.fixed_dictionaries({}, optional={"page": values(["1", "2", "last"])})))
    role = data.draw(st.sampled_from([OWNER, "legal", EXECUTIVE]))
    no_server_error(clients[role], "get", reverse("review_queue"), query)


@fuzz
def test_assigning_selected_signoffs_and_naming_leads(world, data):
    admin = Client(raise_request_exception=False)
    admin.force_login(world.users[ADMIN])
    name, form = data.draw(
        st.sampled_from([("review_assign_many", BulkAssignForm(functions=["legal"])), ("review_leads", LeadForm())])
    )
    body = data.draw(payload(form))
    ids = [str(pending_signoff(world).pk), str(world.approved_round.signoffs.get(function="legal").pk)]
    optional = {"signoffs": values(ids), "next": values(["/reviews/?band=high", "//elsewhere.example/"])}
    body.update(data.draw(st.fixed_dictionaries({}, optional=optional if name == "review_assign_many" else {})))
    no_server_error(admin, "post", reverse(name), body)


@fuzz
def test_request_form_new(world, clients, data):
    body = data.draw(payload(UseCaseForm(user=world.users[OWNER])))
    no_server_error(clients[OWNER], "post", reverse("use_case_new"), body)


@fuzz
def test_request_form_edit(world, clients, data):
    state = data.draw(st.sampled_from(["draft", "approved"]))
    use_case = world.use_case(state)
    body = data.draw(payload(UseCaseForm(instance=use_case, user=world.users[OWNER])))
    body.update(data.draw(st.fixed_dictionaries({}, optional={"reason": values()})))
    no_server_error(clients[OWNER], "post", reverse("use_case_change", args=[use_case.reference]), body)


@fuzz
def test_risk_register_add_and_change(world, clients, data):
    body = data.draw(payload(RiskForm()))
    url = data.draw(
        st.sampled_from(
            [
                reverse("use_case_risks", args=[world.draft.reference]),
                reverse("use_case_risk_change", args=[world.draft.reference, world.risks["draft"].pk]),
            ]
        )
    )
    htmx = data.draw(st.sampled_from([{}, {"HTTP_HX_REQUEST": "true"}]))
    no_server_error(clients[OWNER], "post", url, body, **htmx)


@fuzz
def test_failure_modes_form(world, clients, data):
    state = data.draw(st.sampled_from(["draft", "approved"]))
    body = data.draw(payload(FailureModesForm()))
    no_server_error(
        clients[OWNER], "post", reverse("use_case_failure_modes", args=[world.use_case(state).reference]), body
    )


@fuzz
def test_risk_score_fragment(world, clients, data):
    names = [f"{kind}_{part}" for kind in ("inherent", "residual") for part in ("likelihood", "impact")]
    query = data.draw(st.fixed_dictionaries({}, optional={name: values(["1", "3", "5"]) for name in names}))
    no_server_error(clients[OWNER], "get", reverse("risk_score"), query)


@fuzz
def test_model_facts_fragment(world, clients, data):
    model_ids = [str(world.draft.primary_model_id)]
    optional = {"primary_model": values(model_ids), "hosting_country": values(["RU", "de", "CN", "US"])}
    query = data.draw(st.fixed_dictionaries({}, optional=optional))
    no_server_error(clients[OWNER], "get", reverse("model_facts"), query)


@fuzz
def test_checklist_answer(world, clients, data):
    body = data.draw(payload(AnswerForm()))
    body.update(data.draw(st.fixed_dictionaries({}, optional={"next": values(["/", "/use-cases/"])})))
    role, state, item = data.draw(
        st.sampled_from([(OWNER, "draft", business_items()[0]), ("legal", "review", item_of(Function.LEGAL))])
    )
    url = reverse("checklist_answer", args=[world.use_case(state).reference, item.pk])
    no_server_error(clients[role], "post", url, body)


@fuzz
def test_checklist_section_answer(world, clients, data):
    role, state = data.draw(st.sampled_from([(OWNER, "draft"), ("legal", "review")]))
    section = business_items()[0].section
    rows = [{"item": item, "answer": None, "can_answer": True} for item in section.items.all()]
    body = data.draw(payload(ChecklistAnswersForm(rows=rows)))
    optional = {
        "next": values(["/", "/use-cases/", "//evil.example/"]),
        "mine": values(["1"]),
        "signoff": values([str(pending_signoff(world).pk)]),
    }
    body.update(data.draw(st.fixed_dictionaries({}, optional=optional)))
    extra = data.draw(st.sampled_from([{}, {"HTTP_HX_REQUEST": "true"}]))
    url = reverse("checklist_section_answer", args=[world.use_case(state).reference, section.pk])
    no_server_error(clients[role], "post", url, body, **extra)


@fuzz
def test_review_checklist_answer(world, clients, data):
    signoff = pending_signoff(world)
    # The legal items (two sections) and, sent along, one that is not legal's.
    legal = ChecklistItem.objects.filter(section__template=signoff.round.checklist_template, owner_function="legal")
    items = [*legal, business_items()[0]]
    rows = [{"item": item, "answer": None, "can_answer": True} for item in items]
    body = data.draw(payload(ChecklistAnswersForm(rows=rows)))
    body.update(data.draw(st.fixed_dictionaries({}, optional={"next": values(["/", "//evil.example/"])})))
    role = data.draw(st.sampled_from(["legal", OWNER, EXECUTIVE]))
    extra = data.draw(st.sampled_from([{}, {"HTTP_HX_REQUEST": "true"}]))
    no_server_error(clients[role], "post", reverse("review_checklist_answer", args=[signoff.pk]), body, **extra)


@fuzz
def test_signoff_decision(world, clients, data):
    signoff = pending_signoff(world)
    body = data.draw(payload(DecisionForm(owners=owners_of(signoff.round.use_case))))
    no_server_error(clients["legal"], "post", reverse("review_sign", args=[signoff.pk]), body)


@fuzz
def test_condition_actions(world, clients, data):
    name, form = data.draw(
        st.sampled_from(
            [
                ("condition_claim", ClaimForm()),
                ("condition_return", ReasonForm()),
                ("condition_waive", ReasonForm()),
                ("condition_confirm", ReasonForm()),
            ]
        )
    )
    body = data.draw(payload(form))
    role = data.draw(st.sampled_from([OWNER, "legal", EXECUTIVE]))
    no_server_error(clients[role], "post", reverse(name, args=[world.condition.pk]), body)


@fuzz
def test_discussion_post_and_reply(world, clients, data):
    """Bodies with mentions of anyone, replies to any id, in any state of the use case, by anyone."""
    state = data.draw(st.sampled_from(["draft", "review", "returned", "approved"]))
    role = data.draw(st.sampled_from([OWNER, "legal", EXECUTIVE]))
    body = data.draw(payload(MessageForm()))
    if data.draw(st.booleans()):
        words = st.sampled_from(["@alice", "@legal", "@privacy", "@nobody", "@", "@@x", "@lena.", "\x00@erin"])
        body["body"] = " ".join(data.draw(st.lists(words, max_size=25)))
    url = reverse("discussion", args=[world.use_case(state).reference])
    no_server_error(clients[role], "post", url, body)
    reply = data.draw(st.one_of(st.text(alphabet=sendable, max_size=30), st.integers(min_value=-1, max_value=2**70)))
    no_server_error(clients[role], "get", url, {"reply": reply})


@fuzz
def test_inbox_pages_and_marking(world, clients, data):
    role = data.draw(st.sampled_from([OWNER, "legal", EXECUTIVE]))
    page = data.draw(
        st.one_of(st.text(alphabet=sendable, max_size=30), st.integers(min_value=-(2**70), max_value=2**70))
    )
    no_server_error(clients[role], "get", reverse("inbox"), {"page": page})
    no_server_error(clients[role], "post", reverse("inbox_read_all"), {"page": page})
    no_server_error(clients[role], "post", reverse("inbox_read", args=[world.notification.pk]), {"page": page})


@fuzz
def test_withdraw_and_revoke_reasons(world, clients, data):
    body = data.draw(payload(ReasonForm()))
    role, name, state = data.draw(
        st.sampled_from([(OWNER, "use_case_withdraw", "review"), (EXECUTIVE, "use_case_revoke", "approved")])
    )
    no_server_error(clients[role], "post", reverse(name, args=[world.use_case(state).reference]), body)


@fuzz
def test_verify_page(world, clients, data):
    digests = [world.record.sha256, world.record.sha256.upper(), "sha256:" + world.record.sha256]
    query = data.draw(st.fixed_dictionaries({}, optional={"sha256": values(digests), "format": values(["json"])}))
    accept = data.draw(st.sampled_from([{}, {"HTTP_ACCEPT": "application/json"}]))
    method = data.draw(st.sampled_from(["get", "post"]))
    if method == "post":
        body = data.draw(payload(RecordVerifyForm()))
        body.pop("file", None)
        content = data.draw(st.one_of(st.none(), st.binary(max_size=64), st.just(b"%PDF-1.4 not a record")))
        if content is not None:
            name = data.draw(st.text(alphabet=sendable, min_size=1, max_size=30))
            # A name such as "/" or ".." is no file name a client sends (the upload class refuses it).
            body["file"] = SimpleUploadedFile(name if os.path.basename(name) not in {"", ".", ".."} else "x", content)
        no_server_error(clients[OWNER], "post", reverse("record_verify"), body, **accept)
    else:
        no_server_error(clients[OWNER], "get", reverse("record_verify"), query, **accept)


@fuzz
def test_report_filters_page_csv_slide_and_charts(world, clients, data):
    query = data.draw(payload(ReportFilterForm()))
    url = data.draw(
        st.sampled_from(
            [
                *(
                    reverse(name)
                    for name in ("report", "report_csv", "report_risks_csv", "report_conditions_csv", "report_slide")
                ),
                reverse("report_chart", args=("activity", "svg")),
                reverse("report_chart", args=("tier", "png")),
            ]
        )
    )
    no_server_error(clients[EXECUTIVE], "get", url, query)


@fuzz
def test_report_exports(world, clients, data):
    body = data.draw(payload(ReportFilterForm()))
    no_server_error(clients[EXECUTIVE], "post", reverse("report_exports"), body)


@fuzz
def test_evidence_file_names(world, clients, data):
    name = data.draw(
        st.one_of(st.sampled_from(EDGE_VALUES), st.text(alphabet=sendable, min_size=1, max_size=300), huge_text)
    )
    try:
        upload = SimpleUploadedFile(name or "x", data.draw(st.binary(max_size=32)) or b"x")
    except SuspiciousFileOperation:
        reject()  # the test client itself cannot send a file of that name ("/", "..")
    body = {"file": upload}
    url = reverse("evidence_upload", args=[world.draft.reference, business_items()[0].pk])
    no_server_error(clients[OWNER], "post", url, body)


def _admin_client(world: World, *, password_recent: bool = True) -> Client:
    admin = Client(raise_request_exception=False)
    admin.force_login(world.users[ADMIN])
    if not password_recent:
        session = admin.session
        session[PASSWORD_AT] = 0
        session.save()
    return admin


@fuzz
def test_people_list_search_and_filters(world, data):
    query = data.draw(payload(PeopleFilterForm()))
    query.update(data.draw(st.fixed_dictionaries({}, optional={"page": values(["1", "2", "last"])})))
    no_server_error(_admin_client(world), "get", reverse("people"), query)


@fuzz
def test_people_changes(world, data):
    """Role changes and (de)activations, with or without the password asked again, on anyone."""
    name, form = data.draw(
        st.sampled_from(
            [
                ("person_role_grant", RoleChangeForm()),
                ("person_role_revoke", RoleChangeForm()),
                ("person_deactivate", PeopleReasonForm()),
                ("person_reactivate", PeopleReasonForm()),
            ]
        )
    )
    body = data.draw(payload(form))
    body.update(data.draw(st.fixed_dictionaries({}, optional={"password": values(["correct horse battery staple"])})))
    target = data.draw(st.sampled_from(["legal", ADMIN, FORMER, OWNER]))
    admin = _admin_client(world, password_recent=data.draw(st.booleans()))
    no_server_error(admin, "post", reverse(name, args=[world.users[target].pk]), body)
    placeholder = 987654321
    number = data.draw(st.one_of(st.integers(min_value=0, max_value=2**70), st.sampled_from([0, 2**31, 2**63])))
    path = reverse("person", args=[placeholder]).replace(str(placeholder), str(number))
    no_server_error(admin, "get", path)


@fuzz
def test_service_account_changes(world, data):
    """Creating an account, changing its scopes, issuing and revoking tokens and deactivating, on an active
    and a deactivated account, with or without the password asked again."""
    name, form = data.draw(
        st.sampled_from(
            [
                ("service_account_new", ServiceAccountForm()),
                ("service_account_scopes", ScopesForm()),
                ("service_account_token_issue", TokenIssueForm()),
                ("service_account_deactivate", ScopesForm()),
            ]
        )
    )
    body = data.draw(payload(form))
    body.update(data.draw(st.fixed_dictionaries({}, optional={"password": values(["correct horse battery staple"])})))
    account = data.draw(st.sampled_from([world.service_account, world.former_service_account]))
    admin = _admin_client(world, password_recent=data.draw(st.booleans()))
    url = reverse(name) if name == "service_account_new" else reverse(name, args=[account.pk])
    no_server_error(admin, "post", url, body)
    token = data.draw(st.sampled_from([world.service_token, world.revoked_token]))
    no_server_error(admin, "post", reverse("service_account_token_revoke", args=[account.pk, token.pk]), body)
    placeholder = 987654321
    number = data.draw(st.one_of(st.integers(min_value=0, max_value=2**70), st.sampled_from([0, 2**31, 2**63])))
    path = reverse("service_account", args=[placeholder]).replace(str(placeholder), str(number))
    no_server_error(admin, "get", path)


INT_ROUTES = [
    ("catalog_model", lambda w, n: [n]),
    ("catalog_vendor", lambda w, n: [n]),
    ("review_sign", lambda w, n: [n]),
    ("review_checklist_answer", lambda w, n: [n]),
    ("record_download", lambda w, n: [n]),
    ("report_export_detail", lambda w, n: [n]),
    ("report_export_download", lambda w, n: [n]),
    ("use_case_risk_change", lambda w, n: [w.draft.reference, n]),
    ("evidence_download", lambda w, n: [w.draft.reference, n]),
    ("inbox_follow", lambda w, n: [n]),
    ("inbox_read", lambda w, n: [n]),
]


@fuzz
def test_ids_and_references_in_the_path(world, clients, data):
    """Path converters take any run of digits (huge ones too) and any text for a reference."""
    name, args = data.draw(st.sampled_from(INT_ROUTES))
    number = data.draw(st.one_of(st.integers(min_value=0, max_value=2**70), st.sampled_from([0, 2**31, 2**63])))
    role = data.draw(st.sampled_from([OWNER, "legal", EXECUTIVE]))
    # `reverse` refuses ids its converter would not match; the address is built around a placeholder
    # so that out-of-range ids reach the server, which must answer them with 404.
    placeholder = 987654321
    path = reverse(name, args=args(world, placeholder)).replace(str(placeholder), str(number))
    no_server_error(clients[role], "get", path)
    reference = data.draw(
        st.one_of(st.text(alphabet=sendable, min_size=1, max_size=60).filter(lambda t: "/" not in t), unicode_digits)
    )
    no_server_error(clients[role], "get", f"/use-cases/{reference.replace('?', '').replace('#', '')}/")
