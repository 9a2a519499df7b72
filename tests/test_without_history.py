"""Objects with no history rows, or with their oldest rows missing, open like any other.

Rows inserted in bulk (bench/seed.py's `seed_portfolio`, `bulk_create`) or saved before history was
kept have no history rows at all; a database pruned of old history keeps later rows without the
creation row. Each role opens every page it would open about such objects: none may fail, and the
pages a role may see answer 200.
"""

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import reverse

from approvals.documents.records import record_context
from approvals.models import ApprovalRequest, SignOff
from bench.seed import seed_portfolio
from checklist.models import Answer
from governance.history import field_changes
from governance.models import Risk, UseCase
from tests.matrix_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    ADMIN,
    EXECUTIVE,
    OWNER,
    World,
    media_root_fixture,
    quiet_refusals_fixture,
    world_fixture,
)

pytestmark = pytest.mark.django_db

Status = UseCase.Status
REVIEWER = "legal"
# Who may read a use case once it has been submitted: a reviewer, an executive, a governance admin.
SEERS = (REVIEWER, EXECUTIVE, ADMIN)
STAFF_PAGES = ("change", "history")


def _drop_creation_rows(obj) -> None:
    """Keep the object's later history rows but not the one that recorded its creation."""
    obj.history.filter(history_type="+").delete()


@pytest.fixture(scope="module", name="seeded")
def seeded_fixture(world: World, django_db_blocker):
    """The matrix's world plus a bulk-loaded portfolio (no history at all), with the creation rows of the
    world's approved request, its risk, model and vendor deleted (history that starts later), and every
    history row of the returned request deleted."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_portfolio(12)
        # The seed writes creation rows as the services would; a load from elsewhere has none.
        bench = UseCase.objects.filter(reference__in=_bench_references())
        UseCase.history.filter(id__in=bench.values("pk")).delete()
        Risk.history.filter(use_case_id__in=bench.values("pk")).delete()
        ApprovalRequest.history.filter(use_case_id__in=bench.values("pk")).delete()
        SignOff.history.filter(round_id__in=ApprovalRequest.objects.filter(use_case__in=bench).values("pk")).delete()
        approved = world.approved
        approved.history.update(history_change_reason="Moved to the EU region")
        for obj in (approved, world.risks["approved"], approved.primary_model, approved.primary_model.vendor):
            _drop_creation_rows(obj)
        world.returned.history.all().delete()
        world.risks["returned"].history.all().delete()
        Answer.history.filter(use_case=world.approved).delete()
        yield world
        transaction.set_rollback(True)


def bulk_loaded(status: str) -> UseCase:
    return UseCase.objects.filter(reference__in=_bench_references(), status=status).order_by("pk").first()


def _bench_references():
    """The bulk-loaded use cases (their owners are the bench's), which have no history rows."""
    return UseCase.objects.filter(business_owner__username__startswith="bench-").values("reference")


def _get(user, url: str):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    with transaction.atomic():
        response = client.get(url)
        transaction.set_rollback(True)
    return response


def _check(asks: list[tuple[str, object, str, set[int]]]) -> None:
    """Each (who, user, url, allowed statuses); lists every request answered otherwise."""
    wrong = []
    for who, user, url, allowed in asks:
        status = _get(user, url).status_code
        if status not in allowed:
            wrong.append(f"{who}: GET {url} answered {status}, expected one of {sorted(allowed)}")
    assert not wrong, f"{len(wrong)} of {len(asks)} requests:\n" + "\n".join(wrong)


def _use_case_asks(use_case: UseCase, people: dict[str, object]) -> list[tuple[str, object, str, set[int]]]:
    """Every page about `use_case`, as each of `people` (name: user) may open it: the pages that read
    answer 200 to whoever may see the request (outsiders 404); the forms may refuse (403) once the
    request is under review; nothing fails."""
    ref = use_case.reference
    reads = [reverse(name, args=[ref]) for name in ("use_case_detail", "use_case_risks", "use_case_failure_modes")]
    reads.append(reverse("use_case_submit", args=[ref]))
    forms = [reverse("use_case_change", args=[ref])]
    forms += [reverse("use_case_risk_change", args=[ref, risk.pk]) for risk in use_case.risks.order_by("pk")]
    asks = []
    for who, user in people.items():
        sees = who == "owner" or use_case.rounds.exists()
        asks += [(who, user, page, {200} if sees else {404}) for page in reads]
        asks += [(who, user, page, {200, 403} if sees else {404}) for page in forms]
    return asks


def test_the_portfolio_was_loaded_without_history(seeded):
    bench = UseCase.objects.filter(reference__in=_bench_references())
    assert bench.count() == 12
    assert not UseCase.history.filter(id__in=bench.values("pk")).exists()
    assert not seeded.returned.history.exists()
    assert not seeded.approved.history.filter(history_type="+").exists()
    assert seeded.approved.history.exists()


@pytest.mark.parametrize("status", list(Status))
def test_a_bulk_loaded_use_case_opens_for_everyone_who_may_see_it(seeded, status):
    use_case = bulk_loaded(status)
    assert use_case is not None, f"the seeded portfolio has no {status} use case"
    people = {"owner": use_case.business_owner, **{role: seeded.users[role] for role in SEERS}}
    _check(_use_case_asks(use_case, people))


def test_a_bulk_loaded_pending_sign_off_opens_for_its_reviewers_and_the_owner(seeded):
    signoff = (
        SignOff.objects.filter(
            round__use_case__reference__in=_bench_references(),
            round__status=ApprovalRequest.Status.IN_REVIEW,
            decision=SignOff.Decision.PENDING,
            function=REVIEWER,
        )
        .select_related("round__use_case__business_owner")
        .first()
    )
    assert signoff is not None
    url = reverse("review_sign", args=[signoff.pk])
    owner = signoff.round.use_case.business_owner
    _check([("owner", owner, url, {200}), *((role, seeded.users[role], url, {200}) for role in SEERS)])


def test_use_cases_with_partial_or_no_history_open_for_everyone(seeded):
    people = {"owner": seeded.users[OWNER], **{role: seeded.users[role] for role in SEERS}}
    _check(_use_case_asks(seeded.approved, people) + _use_case_asks(seeded.returned, people))


def test_the_page_says_where_the_recorded_history_starts(seeded):
    client = Client()
    client.force_login(seeded.users[OWNER])
    page = client.get(reverse("use_case_detail", args=[seeded.approved.reference])).content.decode()
    assert "Moved to the EU region" in page
    assert "History before this point was not recorded" in page
    assert page.index("Moved to the EU region") < page.index("History before this point was not recorded")


@pytest.mark.parametrize("role", [OWNER, REVIEWER, EXECUTIVE, ADMIN])
def test_the_pages_over_many_use_cases_open(seeded, role):
    user = seeded.users[role]
    model = seeded.approved.primary_model
    pages = [
        reverse("home"),
        reverse("use_case_list"),
        reverse("review_queue"),
        reverse("catalog_models"),
        reverse("catalog_model", args=[model.pk]),
        reverse("catalog_vendors"),
        reverse("catalog_vendor", args=[model.vendor_id]),
    ]
    bench_model = UseCase.objects.filter(reference__in=_bench_references()).first().primary_model
    pages += [reverse("catalog_model", args=[bench_model.pk]), reverse("catalog_vendor", args=[bench_model.vendor_id])]
    asks = [(role, user, page, {200}) for page in pages]
    if role in (EXECUTIVE, ADMIN):
        asks.append((role, user, reverse("report"), {200}))
    _check(asks)


def test_the_admin_opens_every_object_whatever_its_history(seeded):
    gina = seeded.users[ADMIN]
    asks = []
    for model in admin.site._registry:
        if not hasattr(model, "history"):
            continue
        recorded = model.history.values("id")
        bare = model._base_manager.exclude(pk__in=recorded).order_by("pk").first()
        if bare is None:  # nothing of this kind was bulk-loaded: forget one object's history
            bare = model._base_manager.order_by("pk").first()
            bare.history.all().delete()
        partial = model._base_manager.filter(pk__in=recorded).exclude(pk=bare.pk).order_by("pk").first()
        opts = model._meta
        for obj in filter(None, (bare, partial)):
            asks += [
                (ADMIN, gina, reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=[obj.pk]), {200})
                for page in STAFF_PAGES
            ]
        if partial is not None:
            _drop_creation_rows(partial)
            oldest = partial.history.order_by("history_date", "history_id").first()
            if oldest is not None:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[partial.pk, oldest.pk])
                asks.append((ADMIN, gina, url, {200}))
    _check(asks)


def test_history_shows_what_was_recorded_and_says_where_it_starts(seeded):
    entries = field_changes(seeded.approved)
    *recorded, gap = entries
    assert recorded, "the rows that were kept are still shown"
    assert recorded[-1].changes == [], "no change is invented against a row that is not there"
    assert gap.kind == "gap" and gap.changes == []
    assert gap.reason == "History before this point was not recorded"
    assert all(entry.kind != "gap" for entry in recorded)


def test_history_of_an_object_without_rows_says_it_was_not_recorded(seeded):
    entries = field_changes(seeded.returned)
    assert [(entry.kind, entry.changes) for entry in entries] == [("gap", [])]


def test_the_approval_record_of_a_round_without_answer_history_renders(seeded):
    context = record_context(seeded.approved_round)
    assert context["reference"] == seeded.approved.reference


def test_a_catalog_page_says_when_no_history_was_recorded(seeded):
    vendor = seeded.draft.primary_model.vendor
    vendor.history.all().delete()
    client = Client()
    client.force_login(seeded.users[REVIEWER])
    page = client.get(reverse("catalog_vendor", args=[vendor.pk])).content.decode()
    assert "No history was recorded." in page
