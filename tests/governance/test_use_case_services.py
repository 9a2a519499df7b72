import pytest
from django.core.exceptions import ValidationError

from governance.models import UseCase
from governance.permissions import can_edit_use_case, can_view_use_case
from governance.selectors import use_cases_visible_to
from governance.services import risk_create, use_case_update
from tests.factories import UseCaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_create_defaults_owners_to_the_creator_and_grants_them(alice, charlie):
    use_case = UseCaseFactory(user=alice)
    assert use_case.owners == {alice}
    assert use_case.status == UseCase.Status.DRAFT
    assert can_view_use_case(alice, use_case)
    assert can_edit_use_case(alice, use_case)
    assert not can_view_use_case(charlie, use_case)


def test_each_named_owner_is_granted(alice):
    tech, risk = UserFactory(username="tess"), UserFactory(username="ravi")
    use_case = UseCaseFactory(user=alice, technical_owner=tech, risk_owner=risk)
    assert all(can_edit_use_case(u, use_case) for u in (alice, tech, risk))


def test_changing_an_owner_moves_the_grant(alice):
    tech, successor = UserFactory(username="tess"), UserFactory(username="sam")
    use_case = UseCaseFactory(user=alice, technical_owner=tech)
    use_case_update(use_case=use_case, user=alice, technical_owner=successor, reason="Tess moved team")
    assert not can_view_use_case(tech, use_case)
    assert can_edit_use_case(successor, use_case)
    assert can_edit_use_case(alice, use_case)


def test_reviewers_see_every_submitted_use_case_but_no_draft_and_cannot_edit_them(alice, bob, charlie):
    from tests.approvals.workflow import complete_use_case, submit

    mine, theirs = complete_use_case(alice), complete_use_case(charlie)
    draft = UseCaseFactory(user=charlie)
    submit(mine), submit(theirs)
    assert set(use_cases_visible_to(bob)) == {mine, theirs}
    assert draft not in use_cases_visible_to(bob)
    assert not can_edit_use_case(bob, mine)


def test_business_owners_see_only_their_own(alice, charlie):
    mine, theirs = UseCaseFactory(user=alice), UseCaseFactory(user=charlie)
    assert list(use_cases_visible_to(alice)) == [mine]
    assert list(use_cases_visible_to(charlie)) == [theirs]


def test_an_edit_is_validated_and_loses_nothing_on_error(use_case, alice):
    with pytest.raises(ValidationError):
        use_case_update(use_case=use_case, user=alice, hosting_country="Germany")
    use_case.refresh_from_db()
    assert use_case.hosting_country == "DE"
    assert use_case.history.count() == 1


def test_an_edit_cannot_change_status_or_reference(use_case, alice):
    with pytest.raises(ValueError):
        use_case_update(use_case=use_case, user=alice, status="approved")
    with pytest.raises(ValueError):
        use_case_update(use_case=use_case, user=alice, reference="UC-1999-0001")


def test_a_use_case_out_of_draft_cannot_be_edited_or_take_risks(use_case, alice):
    UseCase.objects.filter(pk=use_case.pk).update(status=UseCase.Status.IN_REVIEW)
    with pytest.raises(ValidationError, match="cannot be edited"):
        use_case_update(use_case=use_case, user=alice, title="New title")
    with pytest.raises(ValidationError):
        risk_create(
            use_case=use_case,
            user=alice,
            title="Late risk",
            category="data",
            inherent_likelihood=3,
            inherent_impact=3,
            residual_likelihood=2,
            residual_impact=2,
        )
    assert not can_edit_use_case(alice, UseCase.objects.get(pk=use_case.pk))


def test_risk_create_defaults_the_owner_and_validates(use_case, alice):
    risk = risk_create(
        use_case=use_case,
        user=alice,
        title="Prompt injection",
        category="security",
        inherent_likelihood=4,
        inherent_impact=4,
        residual_likelihood=2,
        residual_impact=3,
    )
    assert risk.owner == use_case.risk_owner
    assert risk.residual_score == 6 and risk.residual_band == "medium"
    assert risk.history.first().history_user == alice
    with pytest.raises(ValidationError):
        risk_create(
            use_case=use_case,
            user=alice,
            title="Bad",
            category="security",
            inherent_likelihood=1,
            inherent_impact=1,
            residual_likelihood=5,
            residual_impact=5,
        )


def test_risk_tier_is_the_highest_residual_band(use_case, alice):
    assert use_case.risk_tier is None
    for likelihood, impact in ((1, 2), (4, 4)):
        risk_create(
            use_case=use_case,
            user=alice,
            title=f"Risk {likelihood}",
            category="data",
            inherent_likelihood=5,
            inherent_impact=5,
            residual_likelihood=likelihood,
            residual_impact=impact,
        )
    assert UseCase.objects.get(pk=use_case.pk).risk_tier == "high"
