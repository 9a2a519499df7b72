"""`manage.py seed_demo`: load the demo registry, people and requests, then print the demo logins.

`make run` calls it on every start, so it is idempotent: each row is looked up by its natural key
(vendor name; vendor, model name and version; username; use case title) and left alone when it is
already there. Nothing is updated on a second run, so no history row is written either, and anything
a demo user changed in the meantime stays changed.

Requests go through the same services as the web forms (`use_case_create`, `risk_create`), so they
get their references, owner grants and history like any other. The one thing no service does yet is
move a request through the workflow; `_demo_set_status` stands in for it, see there.
"""

import csv
import re
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser, Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from approvals.demo import data
from checklist.models import Answer, ChecklistItem, ChecklistTemplate
from governance.history import save_with_history, stamp
from governance.models import AIModel, DataCategory, UseCase, Vendor
from governance.roles import Function
from governance.services import risk_create, use_case_create

User = get_user_model()

OWNERSHIP_BY_PREFIX = {
    "private": Vendor.Ownership.PRIVATE,
    "listed": Vendor.Ownership.LISTED,
    # SB Intuitions: a subsidiary of a listed company, as Sber's developer is of a state-owned bank.
    "listed parent": Vendor.Ownership.LISTED,
    "state-linked": Vendor.Ownership.STATE_LINKED,
}
ARCHITECTURES = {"moe": AIModel.Architecture.MOE, "dense": AIModel.Architecture.DENSE, "": AIModel.Architecture.UNKNOWN}


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
        with transaction.atomic():
            created = seed()
        for what, count in created.items():
            self.stdout.write(f"{what}: {count} created")
        if not created:
            self.stdout.write("Demo data already present: nothing added.")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(logins_table())


def seed() -> Counter:
    """Load everything that is missing, in dependency order, and count what was created."""
    created: Counter = Counter()
    users = seed_users(created)
    rows = read_model_facts()
    vendors = seed_vendors(rows, author=users["admin"], created=created)
    models = seed_models(rows, vendors, author=users["admin"], created=created)
    seed_use_cases(users, models, created=created)
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
            raise CommandError(f"No sanctions assessment for vendor {name!r} in approvals/demo/data.py") from None
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
    template = ChecklistTemplate.objects.order_by("-version").first()
    items = list(ChecklistItem.objects.filter(section__template=template).order_by("section__position", "position"))
    categories = {c.slug: c for c in DataCategory.objects.all()}
    existing = set(UseCase.objects.filter(title__in=[s.title for s in data.USE_CASES]).values_list("title", flat=True))
    for spec in data.USE_CASES:
        if spec.title in existing:
            continue
        _create_use_case(spec, users=users, models=models, categories=categories, items=items)
        created["Use cases"] += 1


def _create_use_case(
    spec: data.DemoUseCase,
    *,
    users: dict[str, AbstractUser],
    models: dict[str, AIModel],
    categories: dict[str, DataCategory],
    items: list[ChecklistItem],
) -> UseCase:
    """Open the request as its owner, record its risks and answers, then put it in its demo status."""
    owner = users[spec.owner]
    use_case = use_case_create(
        user=owner,
        title=spec.title,
        purpose=spec.purpose,
        primary_model=models[spec.model],
        deployment_mode=spec.deployment_mode,
        hosting_country=spec.hosting_country,
        business_owner=owner,
        technical_owner=owner,
        risk_owner=owner,
        fallback_models=[models[name] for name in spec.fallbacks],
        data_categories=[categories[slug] for slug in spec.data_categories],
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
    )
    for risk in spec.risks:
        risk_create(
            use_case=use_case,
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
    for answer in _answers(spec, use_case=use_case, users=users, items=items):
        # Field checks only: the database enforces the answer's constraints, and validating them here
        # costs four queries per answer, most of the seed's run time.
        answer.full_clean(exclude=["use_case", "item", "answered_by"], validate_constraints=False)
        save_with_history(answer, user=answer.answered_by, reason="Demo data: checklist answered")
    if spec.status != UseCase.Status.DRAFT:
        use_case = _demo_set_status(use_case, spec.status, user=users["admin"], note=spec.status_note)
    return use_case


def _answers(
    spec: data.DemoUseCase, *, use_case: UseCase, users: dict[str, AbstractUser], items: list[ChecklistItem]
) -> list[Answer]:
    """The business owner's answers, and those of the reviewers who have looked at the request.

    Items of the current template that the spec does not mention get a plain "yes", except the two
    whose truthful answer follows from the request itself: whether it has been reviewed (GOV-2) and
    whether tool use was tested when no tools are enabled (SEC-4). Codes a later template no longer
    has are simply not answered.
    """
    answers = []
    for item in items:
        if item.owner_function == Function.BUSINESS:
            if spec.business_items is not None and item.code not in spec.business_items:
                continue
            answered_by = users[spec.owner]
        elif item.owner_function in spec.reviewed_by:
            answered_by = users[data.REVIEWER_USERNAME[Function(item.owner_function)]]
        else:
            continue
        response, justification = "yes", ""
        if item.code == "GOV-2":
            response, justification = data.REVIEWED_ANSWER_BY_STATUS.get(spec.status, ("yes", ""))
        elif item.code == "SEC-4" and not spec.tool_use:
            response, justification = data.NO_TOOLS_ANSWER
        response, justification = spec.answers.get(item.code, (response, justification))
        answers.append(
            Answer(
                use_case=use_case,
                item=item,
                response=response,
                justification=justification,
                answered_by=answered_by,
            )
        )
    return answers


def _demo_set_status(use_case: UseCase, status: str, *, user, note: str = "") -> UseCase:
    """DEMO DATA ONLY: put a request straight into `status`, with one history row saying so.

    The lifecycle services (submit, sign-offs) do not exist yet, and `UseCase.status` is a protected
    django-fsm field that cannot be assigned on a loaded instance. So the status is written with a
    queryset update, and the row is re-read and saved once more so that simple-history records the
    new status, by `user`, with a reason that says it was demo data. Replace this with the real
    transitions once the workflow exists; nothing outside this command may call it.
    """
    UseCase.objects.filter(pk=use_case.pk).update(status=status)
    fresh = UseCase.objects.get(pk=use_case.pk)
    reason = f"Demo data: status set to {UseCase.Status(status).label}" + (f" ({note})" if note else "")
    if len(reason) > 100:  # simple-history's change-reason column holds 100 characters
        raise ValueError(f"Status note too long for the history row: {reason!r}")
    stamp(fresh, user=user, reason=reason)
    fresh.save(update_fields=["updated_at"])
    return fresh
