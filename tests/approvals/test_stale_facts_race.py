"""The registry and the last sign-off at the same moment: a vendor is sanctioned while the last reviewer
approves a request for one of its models. Whatever the order the database lets them commit in, no request
ends approved on a snapshot that says the vendor was clear: either the approval sees the sanction and the
round is re-routed to compliance, or the approval commits first and the sanction's announcement suspends it.

Only on PostgreSQL: SQLite has no row locks (it serialises whole-database writes instead)."""

import threading
from unittest import mock

import pytest
from django.db import connection, transaction  # noqa: F401 (read by the skipif condition)

from approvals import notifications, services
from approvals.models import ApprovalEvent, ApprovalRequest
from approvals.services import WorkflowRefused, signoff_decide
from approvals.tasks import suspend_dependents
from governance.models import UseCase, Vendor
from governance.roles import Role
from governance.services import registry_save
from tests.approvals.test_concurrency import at_once
from tests.approvals.workflow import answer_items, complete_use_case, person, sign, submit
from tests.factories import AIModelFactory, VendorFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fast_passwords"),
]

PAIRS = 40
PAIRS_AT_ONCE = 10  # two connections each, well under the server's connection limit


class Worker:
    """Stands in for the broker and an idle worker: a registry change's announcement runs as soon as the
    change commits, in the committing thread. Every other task (e-mail, PDF records) is left unsent: their
    own sweeps would send them, and they play no part here."""

    def __init__(self):
        self.announcements: list[dict] = []
        self.lock = threading.Lock()

    def enqueue(self, task, *args, **kwargs) -> bool:
        if task is suspend_dependents:
            with self.lock:
                self.announcements.append(kwargs)
            task(**kwargs)
        return True

    def redeliver(self) -> None:
        """Run every announcement once more, as a broker that redelivers a message would."""
        for kwargs in list(self.announcements):
            suspend_dependents(**kwargs)


def sanctioned_but_approved_on_clear() -> list[str]:
    """Use cases approved on a snapshot whose vendor is not the sanctioned one the registry now has."""
    rounds = ApprovalRequest.objects.filter(status__in=ApprovalRequest.APPROVED_STATUSES).select_related(
        "use_case__primary_model__vendor"
    )
    return [
        r.use_case.reference
        for r in rounds
        if r.use_case.primary_model.vendor.sanctions_status == Vendor.SanctionsStatus.SANCTIONED
        and r.snapshot["model"]["vendor"]["sanctions_status"] != Vendor.SanctionsStatus.SANCTIONED
    ]


def outcome(use_case: UseCase) -> str:
    use_case.refresh_from_db()
    first = use_case.rounds.get(number=1)
    verbs = set(use_case.events.filter(round=first).values_list("verb", flat=True))
    if use_case.status == UseCase.Status.SUSPENDED and first.status == ApprovalRequest.Status.SUSPENDED:
        assert {"approved", "suspended"} <= verbs
        return "suspended"
    if use_case.status == UseCase.Status.IN_REVIEW and first.status == ApprovalRequest.Status.SUPERSEDED:
        assert "superseded" in verbs and "approved" not in verbs
        second = use_case.rounds.get(number=2)
        assert second.is_open and "compliance" in second.required_functions
        assert second.snapshot["model"]["vendor"]["sanctions_status"] == Vendor.SanctionsStatus.SANCTIONED
        return "re-routed"
    return f"{use_case.status} with round 1 {first.status}"


def test_no_approval_lands_on_a_vendor_sanctioned_at_the_same_moment(team, governance_admin):
    owner = person("olga", Role.BUSINESS_OWNER)
    pairs = []
    for n in range(PAIRS):
        vendor = VendorFactory(name=f"Racing vendor {n}")
        use_case = complete_use_case(owner, primary_model=AIModelFactory(vendor=vendor))
        round = submit(use_case)
        for function in ("legal", "privacy", "security"):
            sign(round, function, team[function])
        answer_items(round, "procurement", team["procurement"])  # the racing approval rests on its items
        pairs.append((vendor, use_case, round.signoffs.get(function="procurement")))

    def sanction(vendor):
        def call():
            vendor.sanctions_status = Vendor.SanctionsStatus.SANCTIONED
            registry_save(vendor, user=governance_admin, reason="Listed today", changed=["sanctions_status"])
            return "sanctioned"

        return call

    def approve(signoff):
        return lambda: signoff_decide(signoff=signoff, user=team["procurement"], decision="approve")

    worker = Worker()
    results = []
    with (
        mock.patch.object(notifications, "enqueue_safely", worker.enqueue),
        mock.patch.object(services, "enqueue_safely", worker.enqueue),
    ):
        for start in range(0, PAIRS, PAIRS_AT_ONCE):
            batch = pairs[start : start + PAIRS_AT_ONCE]
            calls = [call for vendor, _, signoff in batch for call in (sanction(vendor), approve(signoff))]
            results += at_once(*calls, jitter=0.015, timeout=60)

        # The registry changes all committed; the approvals either committed or were refused because the
        # announcement had already re-routed their round.
        assert results[0::2] == ["sanctioned"] * PAIRS
        unexpected = [r for r in results[1::2] if not isinstance(r, WorkflowRefused) and type(r).__name__ != "SignOff"]
        assert unexpected == []
        assert Vendor.objects.filter(sanctions_status="sanctioned").count() == PAIRS
        assert len(worker.announcements) == PAIRS

        assert sanctioned_but_approved_on_clear() == []
        outcomes = {use_case.reference: outcome(use_case) for _, use_case, _ in pairs}
        assert set(outcomes.values()) <= {"suspended", "re-routed"}, outcomes

        # A redelivered announcement changes nothing.
        events = ApprovalEvent.objects.count()
        worker.redeliver()
        assert ApprovalEvent.objects.count() == events
        assert {use_case.reference: outcome(use_case) for _, use_case, _ in pairs} == outcomes
    print("outcomes:", {o: list(outcomes.values()).count(o) for o in set(outcomes.values())})


def test_the_last_approval_waits_for_a_registry_change_in_flight_and_sees_it(alice, team):
    """The registry change has written the vendor row but not committed when the last reviewer approves:
    the approval waits on the row's lock, then reads the sanction, even with its announcement lost."""
    vendor = VendorFactory(name="Moonshot")
    use_case = complete_use_case(alice, primary_model=AIModelFactory(vendor=vendor))
    round = submit(use_case)
    for function in ("legal", "privacy", "security"):
        sign(round, function, team[function])
    answer_items(round, "procurement", team["procurement"])
    last = round.signoffs.get(function="procurement")
    written, release, decided = threading.Event(), threading.Event(), threading.Event()

    def registry_change():
        with transaction.atomic():
            Vendor.objects.filter(pk=vendor.pk).update(sanctions_status=Vendor.SanctionsStatus.SANCTIONED)
            written.set()
            release.wait(timeout=10)
        return "committed"

    def last_approval():
        written.wait(timeout=10)
        try:
            return signoff_decide(signoff=last, user=team["procurement"], decision="approve")
        finally:
            decided.set()

    def referee():
        written.wait(timeout=10)
        waited = not decided.wait(timeout=0.5)  # the approval is still blocked on the vendor row
        release.set()
        return waited

    results = at_once(registry_change, last_approval, referee, jitter=0.015, timeout=60)

    assert results[0] == "committed"
    assert type(results[1]).__name__ == "SignOff", results[1]
    assert results[2] is True
    round.refresh_from_db()
    assert round.status == ApprovalRequest.Status.SUPERSEDED
    assert use_case.rounds.get(number=2).required_functions[-2:] == ["compliance", "executive"]
    assert not ApprovalEvent.objects.filter(verb="approved").exists()
