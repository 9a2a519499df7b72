"""`signoffs_release_held`: the pending sign-offs a person holds in open rounds go back to their functions'
queues, each with its history, one "released" event and a word to the function's members."""

import pytest

from approvals.models import ApprovalEvent, Notification
from approvals.services import signoffs_release_held
from governance.roles import Function, Role
from tests.approvals.workflow import person, sign
from tests.identity.helpers import rounds_held_by, take

pytestmark = pytest.mark.django_db


def released_subjects(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, subject__contains="back in your queue")
        .order_by("pk")
        .values_list("subject", flat=True)
    )


def test_every_held_signoff_goes_back_with_an_event_and_a_notification(alice, team, governance_admin):
    lena = team["legal"]
    lara = person("lara", Role.LEGAL)
    rounds = rounds_held_by(alice, Function.LEGAL, lena)
    released = signoffs_release_held(person=lena, actor=governance_admin, reason="Moved to another team.")
    assert len(released) == 2
    for round in rounds:
        signoff = round.signoffs.get(function=Function.LEGAL)
        assert signoff.assignee is None
        assert signoff.history.latest().history_user == governance_admin
        assert "Moved to another team." in signoff.history.latest().history_change_reason
        event = round.events.filter(verb=ApprovalEvent.Verb.ASSIGNED).latest("pk")
        assert event.actor == governance_admin
        assert event.data == {
            "function": "legal",
            "kind": "released",
            "previous": "lena",
            "assignee": None,
            "by": "gina",
            "reason": "Moved to another team.",
        }
    assert released_subjects(lara) == [
        f"{round.use_case.reference}: the Legal sign-off is back in your queue" for round in rounds
    ]
    link = (
        Notification.objects.filter(recipient=lara, subject__contains="back in your queue").order_by("pk").first().link
    )
    assert link == f"/reviews/{rounds[0].signoffs.get(function=Function.LEGAL).pk}/"
    assert not released_subjects(alice)  # the owner may not sign it


def test_only_the_functions_named(alice, team, governance_admin):
    lena = team["legal"]
    lena.groups.add(*team["privacy"].groups.all())
    (round,) = rounds_held_by(alice, Function.LEGAL, lena, count=1)
    take(round, Function.PRIVACY, lena)
    released = signoffs_release_held(
        person=lena, actor=governance_admin, reason="No longer legal.", functions=["legal"]
    )
    assert [s.function for s in released] == ["legal"]
    assert round.signoffs.get(function=Function.PRIVACY).assignee == lena


def test_decided_and_closed_signoffs_stay(alice, team, governance_admin):
    lena = team["legal"]
    decided, _open = rounds_held_by(alice, Function.LEGAL, lena)
    sign(decided, "legal", lena, "request_changes", comment="Name the retention period.")
    released = signoffs_release_held(person=lena, actor=governance_admin, reason="Left.")
    assert [s.round_id for s in released] == [_open.pk]
    assert decided.signoffs.get(function=Function.LEGAL).signed_by == lena


def test_the_identity_provider_releases_with_no_actor(alice, team):
    lena = team["legal"]
    (round,) = rounds_held_by(alice, Function.LEGAL, lena, count=1)
    signoffs_release_held(person=lena, actor=None, reason="At sign-in through Example ID: no longer legal")
    event = round.events.filter(verb=ApprovalEvent.Verb.ASSIGNED).latest("pk")
    assert event.actor is None
    assert event.data["by"] is None and event.data["kind"] == "released"
    assert round.signoffs.get(function=Function.LEGAL).assignee is None


def test_nothing_held_nothing_written(team, governance_admin):
    assert signoffs_release_held(person=team["legal"], actor=governance_admin, reason="Left.") == []
    assert not ApprovalEvent.objects.exists()


def test_a_reason_with_line_breaks_makes_a_one_line_subject(alice, team, governance_admin):
    lena = team["legal"]
    lara = person("lara", Role.LEGAL)
    rounds_held_by(alice, Function.LEGAL, lena, count=1)
    signoffs_release_held(person=lena, actor=governance_admin, reason="Left.\r\nBcc: everyone@example.com")
    (notification,) = Notification.objects.filter(recipient=lara, subject__contains="back in your queue")
    assert "\n" not in notification.subject
    assert "Bcc: everyone@example.com" in notification.body
