"""Two people acting on the same request at the same moment: the row locks make one of them go second.

Only on PostgreSQL: SQLite has no row locks (it serialises whole-database writes instead)."""

import random
import threading
import time
from unittest import mock

import pytest
from django.db import IntegrityError, connection

from approvals import services
from approvals.models import ApprovalEvent, ApprovalRequest, Notification
from approvals.services import WorkflowRefused, signoff_decide, use_case_submit
from governance.models import UseCase
from tests.approvals.workflow import answer_items, complete_use_case, sign, submit

pytestmark = [
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fast_passwords"),
]


def at_once(*calls, jitter: float = 0.0, timeout: float = 30) -> list:
    """Run each call in its own thread, released together; return each result or the exception raised.
    `jitter`: up to that many seconds of random delay after the release, so each side sometimes goes first."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            if jitter:
                time.sleep(random.random() * jitter)
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (a lock never released?)"
    return results


@pytest.fixture
def slow_settle():
    """Hold each decision's transaction open a while after it has read the round's decisions, so that two
    deciders both read before either commits, unless a lock makes the second wait for the first."""
    settle = services._settle

    def slow(*args, **kwargs):
        settled = settle(*args, **kwargs)
        time.sleep(0.3)
        return settled

    with mock.patch.object(services, "_settle", slow):
        yield


@pytest.mark.usefixtures("slow_settle")
def test_it_settles_the_round_once_when_the_last_two_sign_at_once(alice, team):
    use_case = complete_use_case(alice)
    round = submit(use_case)
    sign(round, "legal", team["legal"], "approve")
    sign(round, "privacy", team["privacy"], "approve")
    security, procurement = round.signoffs.get(function="security"), round.signoffs.get(function="procurement")
    answer_items(round, "security", team["security"])
    answer_items(round, "procurement", team["procurement"])

    results = at_once(
        lambda: signoff_decide(signoff=security, user=team["security"], decision="approve"),
        lambda: signoff_decide(signoff=procurement, user=team["procurement"], decision="approve"),
    )

    assert [type(r).__name__ for r in results] == ["SignOff", "SignOff"]
    round.refresh_from_db()
    assert round.status == ApprovalRequest.Status.APPROVED
    assert UseCase.objects.get(pk=use_case.pk).status == UseCase.Status.APPROVED
    assert round.signoffs.filter(decision="approve").count() == 4
    outcomes = ApprovalEvent.objects.exclude(verb__in=["submitted", "signed"])
    assert list(outcomes.values_list("verb", flat=True)) == ["approved"]
    assert Notification.objects.filter(recipient=alice, subject=f"{use_case.reference} approved").count() == 1


@pytest.mark.usefixtures("slow_settle")
def test_a_reject_and_an_approval_at_once_settle_once(alice, team):
    use_case = complete_use_case(alice)
    round = submit(use_case)
    sign(round, "legal", team["legal"], "approve")
    sign(round, "privacy", team["privacy"], "approve")
    security, procurement = round.signoffs.get(function="security"), round.signoffs.get(function="procurement")
    answer_items(round, "security", team["security"])
    answer_items(round, "procurement", team["procurement"])

    results = at_once(
        lambda: signoff_decide(signoff=security, user=team["security"], decision="reject", comment="No."),
        lambda: signoff_decide(signoff=procurement, user=team["procurement"], decision="approve"),
    )

    # Whoever went second either found the round rejected (refused) or settled it as rejected.
    assert sum(isinstance(r, WorkflowRefused) for r in results) <= 1
    round.refresh_from_db()
    assert round.status == ApprovalRequest.Status.REJECTED
    outcomes = ApprovalEvent.objects.exclude(verb__in=["submitted", "signed"])
    assert list(outcomes.values_list("verb", flat=True)) == ["rejected"]
    assert Notification.objects.filter(recipient=alice, subject__endswith="rejected").count() == 1


def test_two_submissions_at_once_make_one_round(alice, team):
    use_case = complete_use_case(alice)

    results = at_once(
        lambda: use_case_submit(use_case=use_case, user=alice),
        lambda: use_case_submit(use_case=use_case, user=alice),
    )

    rounds = [r for r in results if isinstance(r, ApprovalRequest)]
    refusals = [r for r in results if isinstance(r, WorkflowRefused | IntegrityError)]
    assert (len(rounds), len(refusals)) == (1, 1), results
    assert ApprovalRequest.objects.filter(use_case=use_case).count() == 1
    assert ApprovalEvent.objects.filter(verb="submitted").count() == 1
    assert UseCase.objects.get(pk=use_case.pk).status == UseCase.Status.IN_REVIEW
