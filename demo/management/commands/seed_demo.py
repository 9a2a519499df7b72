"""`manage.py seed_demo`: load the demo registry, people and requests, then print the demo logins.

`make run` calls it on every start, so it is idempotent: each row is looked up by its natural key
(vendor name; vendor, model name and version; username; use case title) and left alone when it is
already there. Nothing is updated on a second run, so no history row is written either, and anything
a demo user changed in the meantime stays changed.

Requests go through the same services as the web pages, as the people who would act: the business
owner opens, answers, edits, submits and withdraws (`use_case_create`, `risk_create`, `answer_record`,
`use_case_edit`, `use_case_submit`, `use_case_withdraw`); each function's demo reviewer answers its
checklist items and signs (`answer_record`, `signoff_decide`); security suspends an approval
(`approval_suspend`), an executive revokes one (`approval_revoke`), the expiry sweep expires one
(`approvals_expire`). So every request has the rounds, frozen snapshots,
routing, sign-offs, events, grants and history a real one would have, separation of duties included,
and the seed stops if one does not end in the status its data names (see `Story`).

Two things differ from a real day, each explained where it happens: the e-mails the services queue
are not sent (`mute_demo_notifications`), and the request that shows an expired approval is played a
little over an approval period in the past (`demo_clock`).
"""

import csv
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser, Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from approvals.completeness import current_template
from approvals.models import ApprovalRequest, Notification, SuspensionCause
from approvals.services import (
    add_months,
    approval_revoke,
    approval_suspend,
    signoff_decide,
    use_case_edit,
    use_case_submit,
    use_case_withdraw,
)
from approvals.sweeps import approvals_expire
from checklist.models import ChecklistItem
from checklist.services import answer_record
from demo import data
from demo.data.failure_modes import failure_mode_answers
from gateway.models import ApplicationAlias, ModelIdentifier
from gateway.services import application_alias_save, model_identifier_save
from governance.history import save_with_history
from governance.models import AIModel, DataCategory, UseCase, Vendor
from governance.roles import Function
from governance.services import failure_modes_save, risk_create, use_case_create

User = get_user_model()

OWNERSHIP_BY_PREFIX = {
    "private": Vendor.Ownership.PRIVATE,
    "listed": Vendor.Ownership.LISTED,
    # SB Intuitions: a subsidiary of a listed company, as Sber's developer is of a state-owned bank.
    "listed parent": Vendor.Ownership.LISTED,
    "state-linked": Vendor.Ownership.STATE_LINKED,
}
ARCHITECTURES = {"moe": AIModel.Architecture.MOE, "dense": AIModel.Architecture.DENSE, "": AIModel.Architecture.UNKNOWN}
DEMO_NOT_EMAILED = "Demo data: not e-mailed."


class Command(BaseCommand):
    help = "Load demo vendors, models, users and use cases (idempotent) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off. The demo users share a published password: never on production.",
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: refusing to create demo users with a published password. "
                "Run with DEBUG=1, or pass --force if this database really is a demo."
            )
        with quiet_delivery_log(), transaction.atomic():
            created = seed()
        for what, count in created.items():
            self.stdout.write(f"{what}: {count} created")
        if not created:
            self.stdout.write("Demo data already present: nothing added.")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(logins_table())


def seed() -> Counter:
    """Load everything that is missing, in dependency order, and count what was created.

    Call it inside a transaction: the notifications it causes are muted before that commits.
    """
    created: Counter = Counter()
    last_notification = last_notification_id()
    users = seed_users(created)
    rows = read_model_facts()
    vendors = seed_vendors(rows, author=users["admin"], created=created)
    models = seed_models(rows, vendors, author=users["admin"], created=created)
    seed_use_cases(users, models, created=created)
    seed_gateway_names(models, author=users["admin"], created=created)
    mute_demo_notifications(after=last_notification)
    return created


def logins_table() -> str:
    """The demo logins, for `make run` to show; existing accounts keep whatever password they have."""
    # The name goes last: Hangul and CJK are double-width in a terminal and would break the columns.
    header = f"{'username':<12} {'role':<22} {'password':<15} name"
    lines = ["", "Demo logins:", header, "-" * 64]
    for user in data.USERS:
        name = f"{user.first_name} {user.last_name}".strip()
        lines.append(f"{user.username:<12} {user.role.value:<22} {data.DEMO_PASSWORD:<15} {name}")
    lines.append("(Accounts that existed before seed_demo ran keep their own password.)")
    return "\n".join(lines)


# --- People -------------------------------------------------------------------------------------


def seed_users(created: Counter) -> dict[str, AbstractUser]:
    users = {u.username: u for u in User.objects.filter(username__in=[d.username for d in data.USERS])}
    missing = [d for d in data.USERS if d.username not in users]
    if not missing:
        return users
    # One hash for all: the password is printed anyway, and hashing it once per user would make
    # `make run` wait about a second per user (PBKDF2 is slow on purpose).
    encoded = make_password(data.DEMO_PASSWORD)
    groups = {g.name: g for g in Group.objects.filter(name__in={d.role.value for d in missing})}
    for demo in missing:
        user = User(
            username=demo.username,
            first_name=demo.first_name,
            last_name=demo.last_name,
            email=demo.email,
            is_staff=demo.is_staff,
            password=encoded,
        )
        user.full_clean()
        user.save()
        try:
            user.groups.add(groups[demo.role.value])
        except KeyError:
            raise CommandError(f"Group {demo.role.value!r} is missing: run `manage.py migrate` first.") from None
        users[demo.username] = user
        created["Users"] += 1
    return users


# --- Registry -----------------------------------------------------------------------------------


def read_model_facts() -> list[dict[str, str]]:
    with data.MODEL_FACTS_CSV.open(encoding="utf-8", newline="") as facts:
        return [{key: value.strip() for key, value in row.items()} for row in csv.DictReader(facts)]


def split_native_name(cell: str) -> tuple[str, str]:
    """'Moonshot AI (月之暗面)' → ('Moonshot AI', '月之暗面'). Brackets holding Latin text stay in the name."""
    match = re.fullmatch(r"(.+?) \((.+)\)", cell)
    if match and not match.group(2).isascii():
        return match.group(1), match.group(2)
    return cell, ""


def ownership_from_text(text: str) -> str:
    """'listed (NASDAQ BIDU / HKEX 9888)' → 'listed'. Unknown wording stops the seed rather than guessing."""
    if not text:
        return Vendor.Ownership.UNKNOWN
    prefix = text.split("(")[0].strip().lower()
    try:
        return OWNERSHIP_BY_PREFIX[prefix]
    except KeyError:
        raise CommandError(f"model_facts.csv: unknown vendor ownership {text!r}") from None


def _first(values: Iterable[str]) -> str:
    return next((v for v in values if v), "")


def seed_vendors(rows: list[dict[str, str]], *, author, created: Counter) -> dict[str, Vendor]:
    """One vendor per distinct CSV vendor; its facts from the first row that has them, sources from all."""
    by_vendor: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_vendor.setdefault(row["vendor"], []).append(row)
    names = {cell: split_native_name(cell) for cell in by_vendor}
    vendors = {v.name: v for v in Vendor.objects.filter(name__in=[name for name, _ in names.values()])}
    for cell, vendor_rows in by_vendor.items():
        name, native_name = names[cell]
        if name in vendors:
            continue
        try:
            assessment = data.SANCTIONS[name]
        except KeyError:
            raise CommandError(f"No sanctions assessment for vendor {name!r} in demo/data.py") from None
        sources = "\n".join(dict.fromkeys(f"{r['model_name']}: {r['source']}" for r in vendor_rows))
        native_name = native_name or data.VENDOR_NATIVE_NAMES.get(name, "")
        if name in data.VENDOR_NATIVE_NAMES:
            sources += f"\n{data.NATIVE_NAME_NOTE}"
        ownership_text = _first(r["vendor_ownership"] for r in vendor_rows)
        self_hosted_only = all(r["distribution"] == AIModel.Distribution.OPEN_WEIGHTS for r in vendor_rows)
        vendor = Vendor(
            name=name,
            native_name=native_name,
            legal_name=_first(r["vendor_legal_name"] for r in vendor_rows),
            hq_country=vendor_rows[0]["vendor_hq_country"],
            ownership=ownership_from_text(ownership_text),
            ownership_detail=ownership_text,
            sanctions_status=assessment.status,
            sanctions_checked_on=data.SANCTIONS_CHECKED_ON,
            sanctions_source=assessment.source,
            sanctions_note=assessment.note,
            source=sources,
            checked_on=max(r["checked_on"] for r in vendor_rows),
            **(data.SELF_HOSTED_TERMS if self_hosted_only else {}),
        )
        vendor.full_clean()
        save_with_history(vendor, user=author, reason="Demo data: loaded from model_facts.csv")
        vendors[name] = vendor
        created["Vendors"] += 1
    return vendors


def _decimal(cell: str) -> Decimal | None:
    return Decimal(cell) if cell else None


def seed_models(
    rows: list[dict[str, str]], vendors: dict[str, Vendor], *, author, created: Counter
) -> dict[str, AIModel]:
    """One AI model per CSV row, keyed on (vendor, name, version); returned by name for the use cases."""
    models: dict[str, AIModel] = {}
    for row in rows:
        vendor = vendors[split_native_name(row["vendor"])[0]]
        name, version = data.MODEL_NAME_AND_VERSION.get(row["model_name"], (row["model_name"], row["model_name"]))
        existing = AIModel.objects.filter(vendor=vendor, name=name, version=version).first()
        if existing:
            models[name] = existing
            continue
        source = row["source"]
        native_name = row["native_name"]
        if not native_name and row["family"] in data.FAMILY_NATIVE_NAMES:
            native_name = data.FAMILY_NATIVE_NAMES[row["family"]]
            source += f"\n{data.NATIVE_NAME_NOTE}"
        model = AIModel(
            vendor=vendor,
            name=name,
            native_name=native_name,
            family=row["family"],
            version=version,
            origin_country=vendor.hq_country,
            distribution=row["distribution"],
            licence_name=row["licence_name"],
            licence_restrictions=row["licence_restrictions"],
            architecture=ARCHITECTURES[row["architecture"]],
            total_params_b=_decimal(row["total_params_b"]),
            active_params_b=_decimal(row["active_params_b"]),
            release_date=row["release_date"],
            languages=row["strong_languages"],
            source=source,
            checked_on=row["checked_on"],
        )
        model.full_clean()
        save_with_history(model, user=author, reason="Demo data: loaded from model_facts.csv")
        models[name] = model
        created["AI models"] += 1
    return models


# --- Requests -----------------------------------------------------------------------------------


def seed_use_cases(users: dict[str, AbstractUser], models: dict[str, AIModel], *, created: Counter) -> None:
    template = current_template()
    items = list(ChecklistItem.objects.filter(section__template=template).order_by("section__position", "position"))
    categories = {c.slug: c for c in DataCategory.objects.all()}
    existing = set(UseCase.objects.filter(title__in=[s.title for s in data.USE_CASES]).values_list("title", flat=True))
    for index, spec in enumerate(data.USE_CASES):
        if spec.title in existing:
            continue
        story = Story(spec, index=index, users=users, models=models, categories=categories, items=items)
        use_case = story.play()
        created["Use cases"] += 1
        created["Review rounds"] += use_case.rounds.count()


# How a LiteLLM proxy in front of the demo would name the models: the provider's API name, and what
# litellm_params.model says (self-hosted open weights behind vLLM).
DEMO_GATEWAY_MODELS = {
    "DeepSeek-V3": ("deepseek-chat", "deepseek/deepseek-chat"),
    "DeepSeek-R1": ("deepseek-reasoner", "deepseek/deepseek-reasoner"),
    "GPT-4o": ("gpt-4o", "openai/gpt-4o"),
    "Claude Sonnet 4.5": ("claude-sonnet-4-5", "anthropic/claude-sonnet-4-5"),
    "Gemini 2.5 Pro": ("gemini-2.5-pro", "gemini/gemini-2.5-pro"),
    "Mistral Small 3": ("mistral-small-latest", "mistral/mistral-small-latest"),
    "Qwen2.5-Coder-32B-Instruct": ("qwen2.5-coder-32b", "hosted_vllm/Qwen/Qwen2.5-Coder-32B-Instruct"),
    "Qwen2.5-72B-Instruct": ("qwen2.5-72b", "hosted_vllm/Qwen/Qwen2.5-72B-Instruct"),
    "Llama 3.1 405B": ("llama-3.1-405b", "hosted_vllm/meta-llama/Llama-3.1-405B-Instruct"),
    "HyperCLOVA X": ("hyperclova-x", "openai/HCX-003"),
    "GigaChat Pro (API)": ("gigachat-pro", "openai/GigaChat-Pro"),
}


def seed_gateway_names(models: dict[str, AIModel], *, author, created: Counter) -> None:
    """The gateway's names: an identifier for the demo models a gateway would call, and for every demo
    request an application alias made from its title (what a LiteLLM key alias would be)."""
    for name, (identifier, litellm_model) in DEMO_GATEWAY_MODELS.items():
        if name in models and not ModelIdentifier.objects.filter(name__iexact=identifier).exists():
            model_identifier_save(
                identifier=ModelIdentifier(name=identifier, ai_model=models[name], litellm_model=litellm_model),
                user=author,
                reason="Demo data",
            )
            created["Model identifiers"] += 1
    for use_case in UseCase.objects.filter(title__in=[s.title for s in data.USE_CASES], gateway_aliases=None):
        alias = slugify(re.sub(r"\(.*?\)", "", use_case.title))[:60].strip("-")
        if alias and not ApplicationAlias.objects.filter(alias=alias).exists():
            application_alias_save(
                alias=ApplicationAlias(alias=alias, use_case=use_case), user=author, reason="Demo data"
            )
            created["Application aliases"] += 1


class Story:
    """One demo request, played from its opening to its final status through the workflow services.

    1. The business owner opens it (`use_case_create`), records its risks (`risk_create`) and answers
       the business checklist items (`answer_record`).
    2. Each round: the owner's edit if any (`use_case_edit`) and the submission (`use_case_submit`,
       unless a material edit of an approved request opened the round itself); the reviewers answer
       their items; each listed function's demo reviewer signs (`signoff_decide`).
    3. Afterwards: withdrawn, suspended, revoked, or expired by the expiry sweep.
    4. The request must end in the status its data names, or the seed stops.
    """

    def __init__(
        self,
        spec: data.DemoUseCase,
        *,
        index: int = 0,
        users: dict[str, AbstractUser],
        models: dict[str, AIModel],
        categories: dict[str, DataCategory],
        items: list[ChecklistItem],
    ):
        self.spec = spec
        self.index = index
        self.clock: DemoShift | None = None
        self.users = users
        self.models = models
        self.categories = categories
        self.items = items
        self.owner = users[spec.owner]
        self.answered: set[int] = set()
        self.use_case: UseCase | None = None

    def play(self) -> UseCase:
        afterwards = self.spec.afterwards
        if afterwards and afterwards.verb == "expire":
            with demo_clock(_long_enough_ago()) as self.clock:
                self.open()
                self.review()
            # The sweep as the scheduler runs it, at the real today: on a fresh database this is the only
            # approval past its date; on an older one, whatever else is due expires too, as it would anyway.
            approvals_expire()
        else:
            # Each story starts on its own day in the past and moves on a few days per step, so the
            # report's trends and cycle times have a history to show; none ends after today.
            with demo_clock(timezone.now() - timedelta(days=self.days_ago())) as self.clock:
                self.open()
                self.review()
                if afterwards:
                    self.clock.advance(days=AFTERWARDS_DAYS)
                    self.conclude(afterwards)
        self.use_case.refresh_from_db()
        if self.use_case.status != self.spec.status:
            raise CommandError(
                f"Demo request {self.spec.title!r} ended {self.use_case.status}, not {self.spec.status}: "
                "check its rounds in demo/data.py."
            )
        return self.use_case

    def days_ago(self) -> int:
        """When the story starts: its own span (`step_days`, summed) plus a spread by its outcome. Requests
        still under review started days ago; approvals within the last four months (the shortest approval
        period is six); closed ones within the year."""
        span = OPEN_DAYS + sum(
            SUBMIT_DAYS + sum(self.step_days(number, i) for i in range(len(plan.signoffs))) + RETURN_DAYS
            for number, plan in enumerate(self.spec.rounds, start=1)
        )
        span += AFTERWARDS_DAYS if self.spec.afterwards else 0
        if self.spec.status in ("in_review", "changes_requested", "draft"):
            spread = 2 + self.index % 9
        elif self.spec.status in ("rejected", "withdrawn"):
            spread = 60 + (self.index * 47) % 240
        else:
            spread = 5 + (self.index * 29) % 110
        return span + spread

    @staticmethod
    def step_days(number: int, i: int) -> int:
        """Days before the i-th sign-off of round `number`: one to four, varied between functions."""
        return 1 + (number + 2 * i) % 4

    def signer(self, function: str) -> AbstractUser:
        return self.users[data.SIGNER_USERNAME[Function(function)]]

    # 1. Opening
    def open(self) -> None:
        spec, owner = self.spec, self.owner
        self.use_case = use_case_create(
            user=owner,
            title=spec.title,
            purpose=spec.purpose,
            primary_model=self.models[spec.model],
            deployment_mode=spec.deployment_mode,
            hosting_country=spec.hosting_country,
            business_owner=owner,
            technical_owner=owner,
            risk_owner=owner,
            fallback_models=[self.models[name] for name in spec.fallbacks],
            data_categories=[self.categories[slug] for slug in spec.data_categories],
            department=spec.department,
            approved_purpose=spec.approved_purpose,
            prohibited_uses=spec.prohibited_uses,
            no_fallback_reason=spec.no_fallback_reason,
            autonomy=spec.autonomy,
            tool_use=spec.tool_use,
            tool_use_detail=spec.tool_use_detail,
            log_contents=spec.log_contents,
            log_location=spec.log_location,
            log_access=spec.log_access,
            log_retention_days=spec.log_retention_days,
            log_prompt_protection=spec.log_prompt_protection,
            log_retrieval_sources=spec.log_retrieval_sources,
            log_tool_execution=spec.log_tool_execution,
            log_exceptions=spec.log_exceptions,
            eu_ai_act_class=spec.eu_ai_act_class,
            annex_iii_area=spec.annex_iii_area,
        )
        for risk in spec.risks:
            risk_create(
                use_case=self.use_case,
                user=owner,
                title=risk.title,
                category=risk.category,
                description=risk.description,
                mitigations=risk.mitigations,
                inherent_likelihood=risk.inherent[0],
                inherent_impact=risk.inherent[1],
                residual_likelihood=risk.residual[0],
                residual_impact=risk.residual[1],
            )
        for item in self.items:
            if item.owner_function != Function.BUSINESS:
                continue
            if spec.business_items is not None and item.code not in spec.business_items:
                continue
            self.answer(item, owner, self.first_answer(item))
        answers = failure_mode_answers(spec)
        if spec.business_items is not None:  # an unfinished draft: question 4 is started, not done
            answers = dict(list(answers.items())[:3])
        failure_modes_save(use_case=self.use_case, user=owner, answers=answers, reason="Failure-mode tests recorded")

    def first_answer(self, item: ChecklistItem) -> tuple[str, str]:
        """The spec's answer to `item`, or a plain yes; "not applicable" for tool tests without tools."""
        if item.code in self.spec.answers:
            return self.spec.answers[item.code]
        if item.code == "SEC-4" and not self.spec.tool_use:
            return data.NO_TOOLS_ANSWER
        return "yes", ""

    def answer(self, item: ChecklistItem, user: AbstractUser, answer: tuple[str, str]) -> None:
        response, justification = answer
        answer_record(use_case=self.use_case, item=item, user=user, response=response, justification=justification)
        self.answered.add(item.pk)

    # 2. Rounds
    def review(self) -> None:
        for number, plan in enumerate(self.spec.rounds, start=1):
            self.clock.advance(days=OPEN_DAYS if number == 1 else RETURN_DAYS)
            round = self.submit(plan, number)
            self.clock.advance(days=SUBMIT_DAYS)
            self.reviewers_answer(plan, number)
            for i, planned in enumerate(plan.signoffs):
                self.clock.advance(days=self.step_days(number, i), hours=1)
                signoff = round.signoffs.filter(function=planned.function).first()
                if signoff is None:
                    raise CommandError(
                        f"Demo request {self.spec.title!r}: round {number} is not routed to {planned.function}."
                    )
                signoff_decide(
                    signoff=signoff,
                    user=self.signer(planned.function),
                    decision=planned.decision,
                    comment=planned.comment,
                    conditions=planned.conditions,
                )

    def submit(self, plan: data.DemoRound, number: int) -> ApprovalRequest:
        if plan.edit is not None:
            categories = plan.edit.data_categories
            self.use_case = use_case_edit(
                use_case=self.use_case,
                user=self.owner,
                reason=plan.edit.reason,
                data_categories=None if categories is None else [self.categories[slug] for slug in categories],
                **plan.edit.fields,
            )
        round = self.use_case.rounds.filter(status=ApprovalRequest.Status.IN_REVIEW).first()
        if round is None:
            reason = "Submitted for review" if number == 1 else "Resubmitted with the requested changes"
            round = use_case_submit(use_case=self.use_case, user=self.owner, reason=reason)
        if round.number != number:
            raise CommandError(f"Demo request {self.spec.title!r}: expected round {number}, got {round.number}.")
        return round

    def reviewers_answer(self, plan: data.DemoRound, number: int) -> None:
        """Reviewers answer their function's items during the round: whatever the round names, GOV-2 as
        the round stands, and a first answer to anything not answered yet."""
        for item in self.items:
            if item.owner_function not in plan.answering:
                continue
            if item.code in plan.answers:
                answer = plan.answers[item.code]
            elif item.code == "GOV-2":
                under_way = ("partial", data.REVIEW_UNDER_WAY_ANSWER.format(number=number))
                # A plain approval needs every item of the function answered without a gap, so where
                # legal approves plainly GOV-2 is "yes": all four functions have the request in review.
                legal_approves = any(s.function == "legal" and s.decision == "approve" for s in plan.signoffs)
                answer = ("yes", "") if plan.approved_by_all_reviewers() or legal_approves else under_way
            elif item.pk in self.answered:
                continue
            else:
                answer = self.first_answer(item)
            self.answer(item, self.signer(item.owner_function), answer)

    # 3. Afterwards
    def conclude(self, afterwards: data.DemoAfterwards) -> None:
        actor = self.users[afterwards.by] if afterwards.by else self.owner
        if afterwards.verb == "withdraw":
            use_case_withdraw(use_case=self.use_case, user=actor, reason=afterwards.reason)
        elif afterwards.verb == "revoke":
            approval_revoke(use_case=self.use_case, user=actor, reason=afterwards.reason)
        elif afterwards.verb == "suspend":
            # `approval_suspend` is the step every suspension goes through (a material edit, a registry
            # change); it expects its caller's transaction and the use case locked.
            with transaction.atomic():
                locked = UseCase.objects.select_for_update().get(pk=self.use_case.pk)
                if (
                    approval_suspend(
                        use_case=locked, reason=afterwards.reason, cause=SuspensionCause.REVIEW_FINDING, actor=actor
                    )
                    is None
                ):
                    raise CommandError(f"Demo request {self.spec.title!r} has no approval to suspend.")
        else:
            raise CommandError(f"Unknown demo step {afterwards.verb!r}")


def _long_enough_ago() -> datetime:
    """A moment whose approval has run out by now, whatever its risk: the longer approval period and
    a month more ago."""
    months = max(settings.CLEARANCE_APPROVAL_MONTHS, settings.CLEARANCE_APPROVAL_MONTHS_HIGH_RISK)
    today = timezone.localdate()
    then = add_months(today, -months) - timedelta(days=30)
    return timezone.now() - (today - then)


# The demo's pace, in days: from opening a request to submitting it, from a submission to the reviewers'
# first answers, from a return for changes to the next submission, and from the last round to what follows.
OPEN_DAYS = 2
SUBMIT_DAYS = 1
RETURN_DAYS = 6
AFTERWARDS_DAYS = 14


class DemoShift:
    """How far the demo clock runs behind (or ahead of) the real one; `advance` moves the demo on."""

    def __init__(self, offset: timedelta):
        self.offset = offset

    def advance(self, *, days: int = 0, hours: int = 0) -> None:
        self.offset += timedelta(days=days, hours=hours)


@contextmanager
def demo_clock(at: datetime) -> Iterator[DemoShift]:
    """DEMO TIME-SHIFTING ONLY: inside the block, `django.utils.timezone.now()` runs from `at`, and moves
    on when the story calls `advance` on the shift the block yields.

    The expired request must have been approved more than an approval period ago. Dating it back
    afterwards with queryset updates would not work: approval events are append-only in the database
    (a trigger refuses updates) and carry the expiry date given at approval, so events, history and
    rounds would tell different stories. Played at an earlier time instead, every row (history,
    events, round and sign-off times, expiry date, even the year of its reference) is as if the seed
    had run back then; the expiry sweep then runs at the real today. Django's auto dates,
    simple-history and the services all read the clock through `timezone.now`, which is what moves;
    nothing else in the process runs meanwhile, and the real clock is back when the block exits.
    """
    real_now = timezone.now
    shift = DemoShift(at - real_now())
    timezone.now = lambda: real_now() + shift.offset
    try:
        yield shift
    finally:
        timezone.now = real_now


# --- Notifications ------------------------------------------------------------------------------


def last_notification_id() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@contextmanager
def quiet_delivery_log() -> Iterator[None]:
    """Keep Celery's per-task success lines out of the seed's output (warnings and errors still show).

    Exit it after the seed's transaction: in the embedded default the delivery tasks queued on commit
    run in-process as it commits, each finds its notification muted, and Celery would log a line for
    each above the demo logins.
    """
    logger = logging.getLogger("celery.app.trace")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def mute_demo_notifications(*, after: int) -> int:
    """Mark the notifications the seed caused as handled, without e-mailing them; returns how many.

    Every workflow step queues its e-mails through the outbox: a Notification row, and a delivery
    task queued on commit. In the embedded default Celery runs eagerly and e-mail goes to the console,
    so a fresh `make run` would print dozens of e-mails above the demo logins (and with SMTP set up,
    mail the demo's example.com addresses). Here, in the seed's own transaction, the rows get
    `sent_at` and a `last_error` saying they were never e-mailed. The delivery tasks still run after
    commit, but `notification_deliver` finds each row already sent and does nothing; the outbox sweep
    skips them too. The rows stay, so the outbox shows what each demo person would have been told.
    No mail setting or service changes: anything a demo user does afterwards is e-mailed as usual.
    `make run` seeds before it serves, so every row added since `after` is the seed's.
    """
    return Notification.objects.filter(pk__gt=after, sent_at__isnull=True).update(
        sent_at=timezone.now(), last_error=DEMO_NOT_EMAILED
    )
