"""One small world for the permission matrix and the fuzz tests: a person in every role and objects in
every state a route can be asked about, built through the real services.

alice owns every use case; charlie is another business owner; one reviewer per function; erin the
executive; gina the governance admin (staff); nadia has an account and no role (and a provider account);
olga, a former legal reviewer, is deactivated.
"""

import functools
import hashlib
import logging
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings

from approvals.models import ApprovalRecord, ApprovalRequest, Condition, Notification, RecordRender, SignOff
from checklist.models import Answer, ChecklistItem, Evidence
from checklist.services import evidence_add
from evaluations.models import EvaluationRun, EvaluationThreshold, ModelPrice
from evaluations.services import evaluation_import, threshold_set
from gateway.models import ApplicationAlias, ModelIdentifier
from gateway.services import application_alias_save, model_identifier_save
from governance.models import Risk, UseCase
from governance.roles import Function, Role
from identity.models import ApiToken, ExternalIdentity, RoleChange, ServiceAccount
from identity.service_accounts import service_account_create, service_account_deactivate, token_issue, token_revoke
from reports.models import ReportExport
from tests.approvals.workflow import approve_all, business_items, complete_use_case, person, reviewers, sign, submit
from webhooks.models import Delivery, Endpoint
from webhooks.services import endpoint_create

User = get_user_model()

ANONYMOUS = "anonymous"
OWNER = "owner"
OTHER_OWNER = "other_owner"
REVIEWER_ROLES = ("legal", "privacy", "security", "procurement", "compliance")
EXECUTIVE = "executive"
ADMIN = "admin"
ROLELESS = "roleless"
ROLES = (ANONYMOUS, OWNER, OTHER_OWNER, *REVIEWER_ROLES, EXECUTIVE, ADMIN, ROLELESS)
FORMER = "former"  # not a role that asks: a deactivated account that the people pages act on

FAKE_PDF = b"%PDF-1.4\n% a stand-in: the matrix asks who may download it, not what it says\n%%EOF\n"


@dataclass
class World:
    users: dict[str, User]
    draft: UseCase  # never submitted: its owner's alone
    review: UseCase  # submitted, round 1 open
    returned: UseCase  # submitted once, changes requested: back with its owner, but it has a round
    approved: UseCase  # approved, with its record
    review_round: ApprovalRequest
    approved_round: ApprovalRequest
    record: ApprovalRecord
    export: ReportExport  # erin's, done, with its file
    condition: Condition  # on the approved round, which carries no conditions: nobody may act on it
    risks: dict[str, Risk] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)
    media_root: Path | None = None
    notification: Notification | None = None  # alice's: an inbox entry only she may open
    # A service account with a usable token and a revoked one, and a deactivated account, for their pages.
    service_account: ServiceAccount | None = None
    service_token: ApiToken | None = None
    revoked_token: ApiToken | None = None
    former_service_account: ServiceAccount | None = None
    webhook_endpoint: Endpoint | None = None  # gina's, active, for decisions
    webhook_delivery: Delivery | None = None  # to that endpoint, failed: it may be retried
    # A garak report imported on each use case while it was a draft, and a threshold the security function set.
    evaluation_runs: dict[str, EvaluationRun] = field(default_factory=dict)
    threshold: EvaluationThreshold | None = None

    def use_case(self, state: str) -> UseCase:
        return getattr(self, state)

    def user(self, role: str) -> User | None:
        return self.users.get(role)


def _business_answer(use_case: UseCase) -> Answer:
    return Answer.objects.get(use_case=use_case, item=business_items()[0])


def _attach(use_case: UseCase, owner) -> Evidence:
    upload = SimpleUploadedFile(f"{use_case.reference}-dpia.txt", b"DPIA " + use_case.reference.encode())
    return evidence_add(answer=_business_answer(use_case), user=owner, upload=upload)


EVALUATION = Path(__file__).parent / "evaluations" / "fixtures" / "garak" / "promptinject_repeat.report.jsonl"


def _evaluate(use_case: UseCase, owner) -> EvaluationRun:
    upload = SimpleUploadedFile("promptinject.report.jsonl", EVALUATION.read_bytes())
    return evaluation_import(user=owner, use_case=use_case, upload=upload)


def build_world() -> World:
    team = reviewers()
    alice = person("alice", Role.BUSINESS_OWNER)
    users = {
        OWNER: alice,
        OTHER_OWNER: person("charlie", Role.BUSINESS_OWNER),
        **{function: team[function] for function in REVIEWER_ROLES},
        EXECUTIVE: team[Function.EXECUTIVE],
        ADMIN: person("gina", Role.ADMIN, is_staff=True),
        ROLELESS: person("nadia"),
        FORMER: person("olga", Role.LEGAL, is_active=False),
    }
    states = {}
    for state in ("draft", "review", "returned", "approved"):
        use_case = complete_use_case(alice, title=f"Matrix {state}")
        states[state] = use_case
    evidence = {state: _attach(use_case, alice) for state, use_case in states.items()}
    evaluation_runs = {state: _evaluate(use_case, alice) for state, use_case in states.items()}
    review_round = submit(states["review"])
    returned_round = submit(states["returned"])
    sign(returned_round, "legal", team["legal"], "request_changes", comment="Name the retention period.")
    approved_round = submit(states["approved"])
    approve_all(approved_round, team)
    approved_round.refresh_from_db()
    record = ApprovalRecord(
        round=approved_round,
        sha256=hashlib.sha256(FAKE_PDF).hexdigest(),
        snapshot_sha256=approved_round.snapshot_sha256,
        size=len(FAKE_PDF),
        pages=1,
    )
    record.file.save("record.pdf", ContentFile(FAKE_PDF), save=False)
    record.save()
    RecordRender.objects.create(round=approved_round, attempts=1)  # the render that made it, for the admin
    condition = Condition.objects.create(
        signoff=approved_round.signoffs.get(function="legal"),
        round=approved_round,
        use_case=states["approved"],
        function="legal",
        description="Sign the data processing agreement.",
        owner=alice,
        due_on=approved_round.expires_on,
    )
    export = ReportExport(
        requested_by=users[EXECUTIVE],
        status=ReportExport.Status.DONE,
        progress=100,
        sha256=hashlib.sha256(FAKE_PDF).hexdigest(),
        use_case_count=3,
    )
    export.file.save("portfolio.pdf", ContentFile(FAKE_PDF), save=False)
    export.save()
    for use_case in states.values():
        use_case.refresh_from_db()
    # Sign-in records (django-axes), for its admin pages: two failures by someone, a sign-in, a failure log.
    sign_in = {"username": "mallory", "ip_address": "192.0.2.7", "user_agent": "matrix", "path_info": "/login/"}
    AccessAttempt.objects.create(**sign_in, http_accept="text/html", get_data="", post_data="", failures_since_start=2)
    AccessLog.objects.create(**sign_in, http_accept="text/html")
    AccessFailureLog.objects.create(**sign_in, http_accept="text/html", locked_out=False)
    # People and sign-in: nadia's provider account and a recorded change of alice's roles.
    ExternalIdentity.objects.create(user=users[ROLELESS], issuer="https://id.example.com", subject="nadia-1")
    RoleChange.objects.create(
        person=alice,
        action=RoleChange.Action.GRANTED,
        role=Role.BUSINESS_OWNER,
        source=RoleChange.Source.LOCAL,
        actor=users[ADMIN],
        reason="Owns the matrix's requests.",
    )
    # Service accounts and their tokens, for their pages and their admin (built before its history is seen to).
    accounts = _service_accounts(users[ADMIN])
    # How a model gateway names the approved request and its model.
    approved = states["approved"]
    application_alias_save(alias=ApplicationAlias(alias="matrix-app", use_case=approved), user=users[ADMIN])
    model_identifier_save(
        identifier=ModelIdentifier(name="matrix-model", ai_model=approved.primary_model), user=users[ADMIN]
    )
    threshold = threshold_set(
        user=team[Function.SECURITY],
        sensitivity=3,
        failure_mode="prompt_injection",
        min_pass_rate=95,
        reason="Confidential data must not leak through injected instructions.",
    )
    ModelPrice.objects.create(
        ai_model=approved.primary_model, input_per_million="0.27", output_per_million="1.10", source="Matrix"
    )
    for model in admin.site._registry:
        # Rows loaded by data migrations have no history yet: one save gives the admin's history page one.
        if hasattr(model, "history") and not model.history.exists():
            model._base_manager.order_by("pk").first().save()
    # Webhooks, last, so that none of the events above made a delivery.
    webhook_endpoint, _secret = endpoint_create(
        user=users[ADMIN], url="https://hooks.example.com/clearance", event_types=["decided"], description="Matrix"
    )
    webhook_delivery = Delivery.objects.create(
        endpoint=webhook_endpoint,
        type="decided",
        payload={"type": "decided"},
        status=Delivery.Status.FAILED,
        attempts=6,
    )
    return World(
        users=users,
        evaluation_runs=evaluation_runs,
        threshold=threshold,
        webhook_endpoint=webhook_endpoint,
        webhook_delivery=webhook_delivery,
        review_round=review_round,
        approved_round=approved_round,
        record=record,
        export=export,
        condition=condition,
        risks={state: use_case.risks.get() for state, use_case in states.items()},
        evidence=evidence,
        notification=Notification.objects.filter(recipient=alice).order_by("pk").first(),
        **states,
        **accounts,
    )


def _service_accounts(gina) -> dict:
    """A service account with a usable token and a revoked one, and a deactivated account."""
    account = service_account_create(user=gina, name="Matrix pipeline", scopes=["read", "submit"])
    token, _ = token_issue(user=gina, account=account, name="Matrix")
    revoked, _ = token_issue(user=gina, account=account, name="Matrix, retired")
    former = service_account_create(user=gina, name="Matrix retired", scopes=["gateway"])
    service_account_deactivate(user=gina, account=former)
    return {
        "service_account": account,
        "service_token": token,
        "revoked_token": token_revoke(user=gina, token=revoked),
        "former_service_account": former,
    }


@pytest.fixture(scope="module", name="world")
def world_fixture(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once per test module inside a transaction rolled back at its end. Each test (and
    each request a test makes) runs in a savepoint within it, so none sees another's changes."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        world.media_root = media
        yield world
        transaction.set_rollback(True)


@pytest.fixture(autouse=True, name="media_root")
def media_root_fixture(settings, world):
    """The world's files, where the world stored them (instead of a fresh folder per test)."""
    settings.MEDIA_ROOT = world.media_root
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True, scope="module", name="quiet_refusals")
def quiet_refusals_fixture():
    """Refused requests (403, 404, 405) are the point here: logging each with its traceback costs more
    than the request. Errors (500) are still logged."""
    logger = logging.getLogger("django.request")
    saved = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(saved)


def item_of(function: str) -> ChecklistItem:
    return ChecklistItem.objects.filter(owner_function=function).order_by("section__position", "position").first()


def pending_signoff(world: World, function: str = "legal") -> SignOff:
    return world.review_round.signoffs.get(function=function)


# --- What a refused request must not change --------------------------------------------------------

_STATE_FIELDS = ("status", "decision", "assignee_id", "response", "is_active")


@functools.cache
def _tracked_models() -> tuple:
    from django.apps import apps

    tracked = [User]
    for label in ("governance", "checklist", "evaluations", "approvals", "guardian", "identity"):
        tracked.extend(model for model in apps.get_app_config(label).get_models() if not model._meta.proxy)
    return tuple(tracked)


PREPARED_NAME = "clearance_matrix_fingerprint"
_PREPARED: "weakref.WeakSet" = weakref.WeakSet()  # the database connections it is prepared on


@functools.cache
def _fingerprint_sql(vendor: str) -> tuple[str, tuple[str, ...]]:
    """The one statement `fingerprint` runs, and the label of each of its columns."""
    from django.db import connection

    quote = connection.ops.quote_name
    columns, labels = [], []
    for model in _tracked_models():
        table, fields = quote(model._meta.db_table), {f.name: f for f in model._meta.concrete_fields}
        measures = [("rows", "COUNT(*)"), ("top", f"MAX({quote(model._meta.pk.column)})")]
        measures += [(n, f"MAX({quote(fields[n].column)})") for n in ("updated_at", "history_date") if n in fields]
        for name, expression in measures:
            columns.append(f"(SELECT {expression} FROM {table})")
            labels.append(f"{model._meta.label}.{name}")
        states = [f.column for f in model._meta.concrete_fields if f.attname in _STATE_FIELDS]
        if states and not model.__name__.startswith("Historical"):
            pk = quote(model._meta.pk.column)
            row = " || ':' || ".join(
                [f"CAST({pk} AS TEXT)", *(f"COALESCE(CAST({quote(c)} AS TEXT), '~')" for c in states)]
            )
            if vendor == "postgresql":
                columns.append(f"(SELECT string_agg({row}, ',' ORDER BY {pk}) FROM {table})")
            else:
                columns.append(f"(SELECT group_concat(r, ',') FROM (SELECT {row} AS r FROM {table} ORDER BY {pk}))")
            labels.append(f"{model._meta.label}.states")
    return "SELECT " + ", ".join(columns), tuple(labels)


def fingerprint() -> dict[str, object]:
    """Per table of the domain (history tables and object grants included): row count, highest id and
    latest update; and the state columns of every row where a model has them; read in one query. Equal
    before and after a request means the request changed nothing."""
    from django.db import connection

    sql, labels = _fingerprint_sql(connection.vendor)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Planning 150 subqueries costs more than running them: PostgreSQL plans it once per connection.
            if connection.connection not in _PREPARED:
                cursor.execute(f"PREPARE {PREPARED_NAME} AS {sql}")
                _PREPARED.add(connection.connection)
            cursor.execute(f"EXECUTE {PREPARED_NAME}")
        else:
            cursor.execute(sql)
        return dict(zip(labels, cursor.fetchone(), strict=True))


def fingerprint_diff(before: dict, after: dict) -> list[str]:
    return sorted({label.rsplit(".", 1)[0] for label in before if before[label] != after.get(label)})
