"""Seed many use cases fast: bulk inserts with a realistic spread, for the benchmark and for the tests that
prove a page costs the same number of queries for ten rows or two hundred.

The rows are valid (every database constraint holds: residual never above inherent, a decided sign-off
has its signer, conditions and comments where required, separation of duties, one open round per use
case). They skip the per-row workflow services, but leave what those services would have left that a
page reads: the owners' and the creator's object grants on each use case (view and change, as
`governance.services.use_case_create` gives them), each routed function's group grant on its round (as
`approvals.services._round_open` gives it), one creation row of history per use case, risk, round and
sign-off, a condition for each sign-off that set conditions, and the state events of each round at its
times (submitted, its outcome, a later suspension, expiry or revocation), which the report's trends
replay. Owners are drawn from a pool that grows with the portfolio (one owner per four use cases), so that
an owner has about a dozen use cases at any size, as in production. Everything is drawn from a seeded
random generator: the same call gives the same portfolio.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from approvals.completeness import current_template
from approvals.models import ApprovalEvent, ApprovalRequest, Condition, SignOff, SuspensionCause
from approvals.selectors import first_submission
from approvals.snapshot import snapshot_sha256
from governance.models import AIModel, DataCategory, ReferenceCounter, Risk, UseCase, Vendor
from governance.roles import FUNCTION_GROUP, Function, Role
from governance.scoring import Band, band_for_score
from governance.services import OWNER_PERMISSIONS
from governance.tiers import tier_refresh

User = get_user_model()
Status = UseCase.Status

# How a real portfolio is spread across the lifecycle (weights, not percentages).
STATUS_WEIGHTS = {
    Status.DRAFT: 9,
    Status.IN_REVIEW: 14,
    Status.CHANGES_REQUESTED: 5,
    Status.APPROVED: 34,
    Status.APPROVED_WITH_CONDITIONS: 16,
    Status.REJECTED: 5,
    Status.SUSPENDED: 5,
    Status.EXPIRED: 5,
    Status.REVOKED: 3,
    Status.WITHDRAWN: 4,
}
DEPARTMENTS = [
    "Platform Engineering",
    "Customer Service",
    "Customer Service Korea",
    "Marketing",
    "Legal",
    "Finance",
    "Security Operations",
    "Sales",
    "Materials R&D",
    "Regional Operations (CIS)",
    "Sourcing China",
    "HR",
]
PURPOSES = [
    "Code completion and review assistant",
    "Support reply suggestions",
    "Contract clause extraction",
    "Marketing copy first drafts",
    "Security alert triage summaries",
    "Invoice matching and anomaly notes",
    "Meeting minutes in Mandarin (会议纪要)",
    "Russian supplier document translation (перевод документов)",
    "Korean customer chat summaries (고객 상담 요약)",
    "Research literature search",
    "HR policy question answering",
    "Incident post-mortem drafting",
]
RISK_TITLES = [
    ("Customer data leaks into prompts", Risk.Category.DATA),
    ("Vendor retains prompts beyond our retention period", Risk.Category.VENDOR),
    ("Vendor added to an export-control list during the contract", Risk.Category.VENDOR),
    ("Prompt injection through attacker-controlled content", Risk.Category.SECURITY),
    ("Hallucinated clause accepted without review", Risk.Category.QUALITY),
    ("Licence forbids commercial use", Risk.Category.LEGAL),
    ("Cross-border transfer without a legal basis", Risk.Category.LEGAL),
    ("Service lost through sanctions escalation", Risk.Category.OPERATIONAL),
    ("Secrets exposed in generated code", Risk.Category.SECURITY),
    ("Model deprecated without notice", Risk.Category.OPERATIONAL),
]
CONDITIONS = [
    "Redaction of personal data is re-tested every quarter.",
    "Outputs are reviewed by a person before they reach a customer.",
    "No source code from the payments repositories in prompts.",
    "=Re-validate the vendor's sanctions status monthly.",  # a leading "=" exercises CSV escaping
    "The gateway's secret masking is re-tested after every release.",
]
SUSPENSION_REASONS = [
    "Vendor sanctions status changed to restricted: re-review required.",
    "Model version changed by the vendor: the approval covered the previous version.",
    "Licence terms changed: commercial use now needs a separate agreement.",
    "Penetration re-test found outbound network access from the sandbox.",
]
CLOSING_REASONS = {
    Status.REVOKED: "Executive decision: no production dependency on this vendor while bids are open.",
    Status.WITHDRAWN: "The team will evaluate a self-hosted open-weight model instead.",
}
# A small registry for an empty database (tests); a seeded demo database keeps its own as well.
REGISTRY = [
    # vendor, native name, country, sanctions status, [(model, origin, distribution)]
    ("Bench Alibaba Cloud", "阿里云", "CN", "under_review", [("Qwen2.5-72B", "CN", "open_weights")]),
    ("Bench DeepSeek", "深度求索", "CN", "under_review", [("DeepSeek-V3", "CN", "both")]),
    ("Bench iFlytek", "科大讯飞", "CN", "restricted", [("Spark 4.0", "CN", "hosted_api")]),
    ("Bench NAVER", "네이버", "KR", "clear", [("HyperCLOVA X", "KR", "hosted_api")]),
    ("Bench LG AI Research", "LG AI연구원", "KR", "clear", [("EXAONE 3.5", "KR", "open_weights")]),
    ("Bench Sber", "Сбер", "RU", "sanctioned", [("GigaChat", "RU", "hosted_api")]),
    ("Bench Yandex", "Яндекс", "RU", "under_review", [("YandexGPT 5 Lite", "RU", "open_weights")]),
    ("Bench OpenAI", "", "US", "clear", [("GPT-4o", "US", "hosted_api")]),
    ("Bench Meta", "", "US", "clear", [("Llama 3.1 70B", "US", "open_weights")]),
    ("Bench Mistral AI", "", "FR", "clear", [("Mistral Small 3", "FR", "both")]),
    ("Bench US Cloud Reseller", "", "US", "clear", [("Qwen2.5 hosted", "CN", "hosted_api")]),
]
HOSTING = {"hosted_api": ["US", "DE", "CN", "KR", "SG"], "self": ["DE", "FR", "US", "JP", "KR"]}
# Each use case names three owners: one owner per four use cases gives each about a dozen appearances.
USE_CASES_PER_OWNER = 4
MIN_OWNERS = 12
BATCH = 2000
# Who `use_case_create` grants view and change on a use case: its three owners and its creator.
GRANTED_FIELDS = ("business_owner", "technical_owner", "risk_owner", "created_by")


@contextmanager
def stamped_timestamps() -> Iterator[None]:
    """Let bulk_create keep the created_at/updated_at we give it instead of stamping now."""
    fields = [
        UseCase._meta.get_field("created_at"),
        UseCase._meta.get_field("updated_at"),
        ApprovalEvent._meta.get_field("created_at"),
    ]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def owner_pool_size(total_use_cases: int) -> int:
    """How many business owners a portfolio of `total_use_cases` has."""
    return max(MIN_OWNERS, total_use_cases // USE_CASES_PER_OWNER)


def _people(owner_count: int = MIN_OWNERS) -> tuple[list, dict[str, list]]:
    """`owner_count` business owners and two reviewers per function, created once (no password: nobody
    signs in; the benchmark sets one on the few it logs in as)."""
    names = [f"bench-owner-{i}" for i in range(1, owner_count + 1)]
    names += [f"bench-{function}-{i}" for function in FUNCTION_GROUP for i in (1, 2)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(username=n, first_name=n.split("-")[1].capitalize(), last_name=n.split("-")[2], password=unusable)
            for n in names
            if n not in existing
        ],
        batch_size=BATCH,
    )
    users = _by_name(names)
    memberships = [(f"bench-owner-{i}", Role.BUSINESS_OWNER) for i in range(1, owner_count + 1)]
    memberships += [(f"bench-{f}-{i}", group) for f, group in FUNCTION_GROUP.items() for i in (1, 2)]
    groups = {g.name: g for g in Group.objects.filter(name__in={g for _, g in memberships})}
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [Membership(user_id=users[n].pk, group_id=groups[g].pk) for n, g in memberships],
        ignore_conflicts=True,
        batch_size=BATCH,
    )
    owners = [users[f"bench-owner-{i}"] for i in range(1, owner_count + 1)]
    reviewers = {f: [users[f"bench-{f}-{i}"] for i in (1, 2)] for f in FUNCTION_GROUP}
    return owners, reviewers


def _by_name(names: list[str]) -> dict:
    """The bench users by name, read by prefix: a list of 25,000 names is too long for one IN."""
    wanted = set(names)
    return {u.username: u for u in User.objects.filter(username__startswith="bench-") if u.username in wanted}


def _models() -> list[AIModel]:
    for vendor_name, native, country, sanctions, models in REGISTRY:
        vendor, _ = Vendor.objects.get_or_create(
            name=vendor_name,
            defaults={"native_name": native, "hq_country": country, "sanctions_status": sanctions},
        )
        for name, origin, distribution in models:
            AIModel.objects.get_or_create(
                vendor=vendor,
                name=name,
                version=f"{name}-2026-01",
                defaults={"family": name.split()[0], "origin_country": origin, "distribution": distribution},
            )
    return list(AIModel.objects.select_related("vendor").order_by("pk"))


def _allocate_references(year: int, count: int) -> Iterator[str]:
    """Take `count` references of `year` from the counter in one update, as reference_next would one by one."""
    counter, _ = ReferenceCounter.objects.get_or_create(prefix="UC", year=year)
    ReferenceCounter.objects.filter(pk=counter.pk).update(last=F("last") + count)
    start = counter.last + 1
    return (f"UC-{year}-{n:04d}" for n in range(start, start + count))


def _residual_scores(rng: random.Random, status: str) -> list[tuple[int, int, int, int]]:
    """Risks as (inherent L, inherent I, residual L, residual I); critical residuals only where allowed."""
    if status == Status.DRAFT and rng.random() < 0.4:
        return []
    can_be_critical = status in (Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.REJECTED)
    risks = []
    for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
        inherent = (rng.randint(3, 5), rng.randint(3, 5))
        roll = rng.random()
        if roll < 0.02 and can_be_critical:
            residual = (5, 4) if inherent[0] * inherent[1] >= 20 else (3, 3)
        elif roll < 0.09:
            residual = rng.choice([(3, 4), (4, 3), (2, 5), (4, 4), (3, 5)])
        else:
            residual = (rng.randint(1, 3), rng.randint(1, 3))
        if residual[0] * residual[1] > inherent[0] * inherent[1]:
            residual = (min(residual[0], inherent[0]), min(residual[1], inherent[1]))
        risks.append((*inherent, *residual))
    return risks


@transaction.atomic
def seed_portfolio(count: int, *, seed: int = 2026, today: date | None = None, owners: int | None = None) -> int:
    """Add `count` use cases with risks, data categories, review rounds, sign-offs, grants and a creation
    row of history each. `owners`: the size of the business owners' pool (default: one per four use cases
    of the portfolio once this call is done; pass the final size when seeding a large one in chunks).
    Returns `count`."""
    if count <= 0:
        return 0
    existing = UseCase.objects.count()
    rng = random.Random(seed + existing)
    today = today or timezone.localdate()
    now = timezone.now()
    owners, reviewers = _people(owners or owner_pool_size(existing + count))
    models = _models()
    categories = list(DataCategory.objects.order_by("pk"))
    template = current_template()

    # Every status at least once (when there is room), so every figure of the report has rows.
    statuses = list(STATUS_WEIGHTS)[:count]
    statuses += rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()), k=count - len(statuses))
    plans = [(s, now - timedelta(days=rng.randint(20, 900), minutes=rng.randint(0, 1440))) for s in statuses]
    plans.sort(key=lambda plan: plan[1])
    by_year: dict[int, int] = {}
    for _, created in plans:
        by_year[created.year] = by_year.get(created.year, 0) + 1
    references = {year: _allocate_references(year, n) for year, n in sorted(by_year.items())}

    use_cases = []
    for status, created in plans:
        model = rng.choice(models)
        hosted = model.distribution == AIModel.Distribution.HOSTED_API or (
            model.distribution == AIModel.Distribution.BOTH and rng.random() < 0.5
        )
        owner, technical, risk_owner = rng.sample(owners, 3)
        purpose = rng.choice(PURPOSES)
        use_cases.append(
            UseCase(
                reference=next(references[created.year]),
                title=f"{purpose} ({model.name})",
                department=rng.choice(DEPARTMENTS),
                purpose=f"{purpose}, for the {rng.choice(DEPARTMENTS)} team.",
                approved_purpose=f"{purpose}; a person reads every output before it is used.",
                prohibited_uses="No decisions about individuals; no authentication data in prompts.",
                business_owner=owner,
                technical_owner=technical,
                risk_owner=risk_owner,
                created_by=owner,
                primary_model=model,
                no_fallback_reason="Bench data: no fallback documented.",
                deployment_mode=UseCase.DeploymentMode.HOSTED_API
                if hosted
                else rng.choice([UseCase.DeploymentMode.PRIVATE_CLOUD, UseCase.DeploymentMode.ON_PREMISES]),
                hosting_country=rng.choice(HOSTING["hosted_api" if hosted else "self"]),
                autonomy=rng.choice(list(UseCase.Autonomy)),
                log_contents="Prompts, outputs, user and model version",
                log_location="The SIEM, EU region",
                log_access="Security operations",
                log_retention_days=rng.choice([30, 90, 365]),
                status=status,
                created_at=created,
                updated_at=created + timedelta(days=rng.randint(0, 15)),
            )
        )
    with stamped_timestamps():
        UseCase.objects.bulk_create(use_cases, batch_size=BATCH)

    Through = UseCase.data_categories.through
    links, risks, rounds = [], [], []
    expiring_soon: set[str] = set()
    for use_case in use_cases:
        for category in rng.sample(categories, rng.choice((1, 1, 2, 2, 3))):
            links.append(Through(usecase_id=use_case.pk, datacategory_id=category.pk))
        scores = _residual_scores(rng, use_case.status)
        for il, ii, rl, ri in scores:
            title, category = rng.choice(RISK_TITLES)
            risks.append(
                Risk(
                    use_case=use_case,
                    title=title,
                    category=category,
                    inherent_likelihood=il,
                    inherent_impact=ii,
                    mitigations="Gateway redaction; human review of outputs; quarterly re-test.",
                    residual_likelihood=rl,
                    residual_impact=ri,
                    owner_id=use_case.risk_owner_id,
                )
            )
        if use_case.status != Status.DRAFT:
            highest = max((rl * ri for *_, rl, ri in scores), default=None)
            # The first approval of each kind expires soon, so the report's 90-day list is never empty.
            soon = use_case.status in UseCase.APPROVED_STATUSES and use_case.status not in expiring_soon
            expiring_soon.add(use_case.status)
            rounds.append(_round(rng, use_case, highest, template, today, soon=soon))
    Through.objects.bulk_create(links, batch_size=BATCH)
    Risk.objects.bulk_create(risks, batch_size=BATCH)
    ApprovalRequest.objects.bulk_create(rounds, batch_size=BATCH)

    signoffs, events = [], []
    for round in rounds:
        signoffs += _signoffs(rng, round, reviewers)
        # Their own generator: the portfolio drawn from `rng` stays the same with or without events.
        events += _events(random.Random(seed + round.use_case.pk), round, now)
    SignOff.objects.bulk_create(signoffs, batch_size=BATCH)
    Condition.objects.bulk_create(_conditions(signoffs, today), batch_size=BATCH)
    with stamped_timestamps():
        ApprovalEvent.objects.bulk_create(events, batch_size=BATCH)
    _grant(use_cases, rounds)
    _history(use_cases, risks, rounds, signoffs)
    # The columns the services keep on each use case, set in two statements for the whole batch.
    created = UseCase.objects.filter(pk__gte=use_cases[0].pk)
    tier_refresh(created, touch=False)
    created.update(first_submitted_at=first_submission())
    return count


def _grant(use_cases: list[UseCase], rounds: list[ApprovalRequest]) -> None:
    """The object grants the services give: view and change on a use case to each of its owners and its
    creator (`governance.services._grant_owners`), view on a round to each routed function's group
    (`approvals.services._round_open`). Rows of the tables `assign_perm` writes them to (the use cases'
    direct table, guardian's generic one for rounds), inserted without the ORM (a million grants at
    100,000 use cases)."""
    round_type = ContentType.objects.get_for_model(ApprovalRequest)
    owner_perms = [
        Permission.objects.get(content_type__app_label=p.split(".")[0], codename=p.split(".")[1]).pk
        for p in OWNER_PERMISSIONS
    ]
    view_round = Permission.objects.get(content_type=round_type, codename="view_approvalrequest").pk
    groups = {g.name: g.pk for g in Group.objects.filter(name__in=FUNCTION_GROUP.values())}
    _insert(
        get_user_obj_perms_model(UseCase),
        ("user", "permission", "content_object"),
        [
            (user_id, perm, use_case.pk)
            for use_case in use_cases
            for user_id in dict.fromkeys(getattr(use_case, f"{f}_id") for f in GRANTED_FIELDS)
            for perm in owner_perms
        ],
    )
    _insert(
        get_group_obj_perms_model(),
        ("group", "permission", "content_type", "object_pk"),
        [
            (groups[FUNCTION_GROUP[f]], view_round, round_type.pk, str(r.pk))
            for r in rounds
            for f in dict.fromkeys(r.functions)
        ],
    )


def _insert(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    # Names from the models' metadata; the values are parameters.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH * 5):
            cursor.executemany(sql, rows[start : start + BATCH * 5])


def _history(use_cases: list[UseCase], risks: list[Risk], rounds: list[ApprovalRequest], signoffs: list) -> None:
    """One creation row each, as `save_with_history` would have written it: a use case by its creator when
    it was created, its risks then too, a round by its submitter when submitted, its sign-offs (the
    routing's, not yet signed) then too. Copied by the database from the rows just inserted."""
    quote = connection.ops.quote_name
    use_case_table, round_table = quote(UseCase._meta.db_table), quote(ApprovalRequest._meta.db_table)
    plans = [
        (UseCase, use_cases, "Created", "{t}.created_at", "{t}.created_by_id", ""),
        (Risk, risks, "Added", "u.created_at", "NULL", f"JOIN {use_case_table} u ON u.id = {{t}}.use_case_id"),
        (ApprovalRequest, rounds, "Submitted", "{t}.submitted_at", "{t}.submitted_by_id", ""),
        (SignOff, signoffs, "Required", "r.submitted_at", "NULL", f"JOIN {round_table} r ON r.id = {{t}}.round_id"),
    ]
    with connection.cursor() as cursor:
        for model, rows, reason, when, who, join in plans:
            if not rows:
                continue
            history, table = model.history.model, quote(model._meta.db_table)
            columns = [quote(history._meta.get_field(f.name).column) for f in history.tracked_fields]
            target = [*columns, "history_date", "history_user_id", "history_change_reason", "history_type"]
            pks = [row.pk for row in rows]
            cursor.execute(  # names from the models' metadata; the values are parameters
                f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(target)}) "  # noqa: S608
                f"SELECT {', '.join(f'{table}.{c}' for c in columns)}, {when.format(t=table)}, "
                f"{who.format(t=table)}, %s, '+' FROM {table} {join.format(t=table)} "
                f"WHERE {table}.id BETWEEN %s AND %s",
                [reason, min(pks), max(pks)],
            )


def _round(
    rng: random.Random, use_case: UseCase, highest: int | None, template, today: date, *, soon: bool = False
) -> ApprovalRequest:
    status = use_case.status
    round_status = status if status in ApprovalRequest.Status.values else ApprovalRequest.Status.IN_REVIEW
    functions = [Function.LEGAL, Function.PRIVACY, Function.SECURITY, Function.PROCUREMENT]
    if use_case.primary_model.vendor.is_restricted or use_case.hosting_country in ("RU", "CN"):
        functions.append(Function.COMPLIANCE)
    if highest and band_for_score(highest) == Band.HIGH:
        functions.append(Function.EXECUTIVE)
    snapshot = {"schema": 1, "bench": True, "use_case": {"reference": use_case.reference, "title": use_case.title}}
    submitted = use_case.created_at + timedelta(days=rng.randint(1, 10))
    round = ApprovalRequest(
        use_case=use_case,
        number=1,
        status=round_status,
        checklist_template=template,
        snapshot=snapshot,
        snapshot_sha256=snapshot_sha256(snapshot),
        routing=[{"function": f, "reason": "Bench routing"} for f in functions],
        highest_residual=highest,
        submitted_by_id=use_case.business_owner_id,
        submitted_at=submitted,
    )
    if status != Status.IN_REVIEW:
        # Never in the future: the trends replay only what has happened.
        round.decided_at = min(submitted + timedelta(days=rng.randint(2, 20)), timezone.now() - timedelta(hours=2))
    if status in (*UseCase.APPROVED_STATUSES, Status.SUSPENDED, Status.REVOKED):
        # Spread expiries over the coming year, so some fall within the report's 90 days.
        round.expires_on = today + timedelta(days=rng.randint(1, 60) if soon else rng.randint(1, 365))
    if status == Status.EXPIRED:
        round.expires_on = today - timedelta(days=rng.randint(1, 200))
    if status == Status.SUSPENDED:
        round.closed_reason = rng.choice(SUSPENSION_REASONS)
    round.closed_reason = CLOSING_REASONS.get(status, round.closed_reason)
    round.functions = functions  # for _signoffs; not a field
    return round


# The event a round's outcome writes, by the status the round ends in; an approval that was later
# suspended, expired or revoked was approved first.
_OUTCOME = {
    Status.APPROVED: ApprovalEvent.Verb.APPROVED,
    Status.APPROVED_WITH_CONDITIONS: ApprovalEvent.Verb.APPROVED_WITH_CONDITIONS,
    Status.SUSPENDED: ApprovalEvent.Verb.APPROVED,
    Status.EXPIRED: ApprovalEvent.Verb.APPROVED,
    Status.REVOKED: ApprovalEvent.Verb.APPROVED_WITH_CONDITIONS,
    Status.REJECTED: ApprovalEvent.Verb.REJECTED,
    Status.CHANGES_REQUESTED: ApprovalEvent.Verb.CHANGES_REQUESTED,
    Status.WITHDRAWN: ApprovalEvent.Verb.WITHDRAWN,
}
_LATER = {Status.SUSPENDED: ApprovalEvent.Verb.SUSPENDED, Status.REVOKED: ApprovalEvent.Verb.REVOKED}
_CAUSES = [cause.value for cause in SuspensionCause]


def _events(rng: random.Random, round: ApprovalRequest, now) -> list[ApprovalEvent]:
    """The state events the workflow would have written for `round`, at its times: its submission, its
    outcome, and a later suspension, expiry or revocation (the trends replay them)."""
    status = round.use_case.status

    def event(verb, at, **data):
        return ApprovalEvent(use_case_id=round.use_case_id, round=round, verb=verb, created_at=at, data=data)

    events = [event(ApprovalEvent.Verb.SUBMITTED, round.submitted_at, number=1)]
    events[0].actor_id = round.submitted_by_id
    if status in _OUTCOME:
        events.append(event(_OUTCOME[status], round.decided_at))
    if status in _LATER:
        at = min(round.decided_at + timedelta(days=rng.randint(10, 200)), now - timedelta(hours=1))
        cause = {"cause": rng.choice(_CAUSES)} if status == Status.SUSPENDED else {}
        events.append(event(_LATER[status], at, reason=round.closed_reason, **cause))
    if status == Status.EXPIRED:
        expired = timezone.make_aware(datetime.combine(round.expires_on + timedelta(days=1), time(2)))
        at = min(max(expired, round.decided_at + timedelta(days=1)), now - timedelta(hours=1))
        events.append(event(ApprovalEvent.Verb.EXPIRED, at))
    return events


def _conditions(signoffs: list[SignOff], today: date) -> list[Condition]:
    """One condition per sign-off that set conditions, owned by the business owner, due a month after
    its sign-off (so older ones are overdue, as in a real portfolio) or, at the latest, a year from today."""
    conditions = []
    for signoff in signoffs:
        if signoff.decision != SignOff.Decision.APPROVE_WITH_CONDITIONS:
            continue
        use_case = signoff.round.use_case
        due = min(signoff.signed_at.date() + timedelta(days=30), today + timedelta(days=365))
        conditions.append(
            Condition(
                signoff=signoff,
                round=signoff.round,
                use_case=use_case,
                function=signoff.function,
                description=signoff.conditions,
                owner_id=use_case.business_owner_id,
                due_on=due,
            )
        )
    return conditions


def _signoffs(rng: random.Random, round: ApprovalRequest, reviewers: dict[str, list]) -> list[SignOff]:
    status, decided = round.status, round.decided_at or round.submitted_at + timedelta(days=1)
    decisions = dict.fromkeys(round.functions, SignOff.Decision.APPROVE)
    if status == ApprovalRequest.Status.IN_REVIEW:
        decisions = {f: rng.choice([SignOff.Decision.PENDING, SignOff.Decision.APPROVE]) for f in round.functions}
    elif status in (ApprovalRequest.Status.REJECTED, ApprovalRequest.Status.CHANGES_REQUESTED):
        verdict = (
            SignOff.Decision.REJECT if status == ApprovalRequest.Status.REJECTED else SignOff.Decision.REQUEST_CHANGES
        )
        decisions[rng.choice(round.functions)] = verdict
    elif status == ApprovalRequest.Status.APPROVED_WITH_CONDITIONS or (
        status not in (ApprovalRequest.Status.APPROVED, ApprovalRequest.Status.WITHDRAWN) and rng.random() < 0.3
    ):
        for f in rng.sample(round.functions, rng.choice((1, 1, 2))):
            decisions[f] = SignOff.Decision.APPROVE_WITH_CONDITIONS
    if status == ApprovalRequest.Status.WITHDRAWN:
        decisions = dict.fromkeys(round.functions, SignOff.Decision.PENDING)
    if round.highest_residual and band_for_score(round.highest_residual) == Band.CRITICAL:
        # Nobody can approve a critical residual risk: only the deciding sign-off (if any) is signed.
        decisions = {f: d if d not in SignOff.APPROVING else SignOff.Decision.PENDING for f, d in decisions.items()}
    signoffs = []
    for i, function in enumerate(round.functions):
        decision = decisions[function]
        signed = decision != SignOff.Decision.PENDING
        conditions = rng.choice(CONDITIONS) if decision == SignOff.Decision.APPROVE_WITH_CONDITIONS else ""
        comment = "" if decision in (SignOff.Decision.PENDING, SignOff.Decision.APPROVE) else "See the conditions."
        signoffs.append(
            SignOff(
                round=round,
                function=function,
                reason="Bench routing",
                decision=decision,
                conditions=conditions,
                comment=comment,
                signed_by=rng.choice(reviewers[function]) if signed else None,
                signed_at=decided - timedelta(hours=i) if signed else None,
                signed_snapshot_sha256=round.snapshot_sha256 if signed else "",
            )
        )
    return signoffs
