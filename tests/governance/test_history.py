import pytest

from governance.history import save_with_history
from governance.models import UseCase
from governance.services import use_case_update
from tests.factories import AIModelFactory, RiskFactory, UseCaseFactory, VendorFactory, data_category

pytestmark = pytest.mark.django_db


def test_creating_a_use_case_writes_one_history_row_with_its_author(alice):
    categories = [data_category("source-code"), data_category("security-logs")]
    use_case = UseCaseFactory(user=alice, data_categories=categories)
    rows = list(use_case.history.all())
    assert len(rows) == 1
    (row,) = rows
    assert row.history_type == "+"
    assert row.history_user == alice
    assert row.history_change_reason == "Request opened"
    # The creation row already holds the relations set with it.
    assert {c.datacategory_id for c in row.data_categories.all()} == {c.pk for c in categories}


def test_an_edit_writes_one_row_with_who_why_and_the_change(alice):
    use_case = UseCaseFactory(user=alice, hosting_country="DE")
    other_model = AIModelFactory()
    use_case_update(
        use_case=use_case,
        user=alice,
        reason="Moved to the EU region",
        hosting_country="FR",
        fallback_models=[other_model],
        data_categories=[data_category("customer-records")],
    )
    latest, first = use_case.history.all()[:2]
    assert use_case.history.count() == 2
    assert latest.history_type == "~"
    assert latest.history_user == alice
    assert latest.history_change_reason == "Moved to the EU region"
    delta = latest.diff_against(first)
    assert "hosting_country" in delta.changed_fields
    assert "fallback_models" in delta.changed_fields
    assert "data_categories" in delta.changed_fields
    assert first.hosting_country == "DE" and latest.hosting_country == "FR"


def test_registry_changes_are_tracked_with_the_user(governance_admin):
    vendor = VendorFactory(name="Sber")
    vendor.sanctions_status = vendor.SanctionsStatus.SANCTIONED
    save_with_history(vendor, user=governance_admin, reason="OFAC SDN listing confirmed")
    latest = vendor.history.first()
    assert latest.sanctions_status == "sanctioned"
    assert latest.history_user == governance_admin
    assert latest.history_change_reason == "OFAC SDN listing confirmed"
    assert vendor.history.count() == 2


def test_risks_keep_history(use_case, alice):
    risk = RiskFactory(use_case=use_case)
    risk.residual_likelihood = 1
    save_with_history(risk, user=alice, reason="DLP gateway in place")
    assert [r.residual_likelihood for r in risk.history.all()] == [1, 2]
    assert risk.history.first().history_user == alice


def test_history_records_the_signed_in_user_for_admin_edits(client, governance_admin):
    vendor = VendorFactory(name="NAVER", hq_country="KR")
    client.force_login(governance_admin)
    response = client.post(
        f"/admin/governance/vendor/{vendor.pk}/change/",
        {
            "name": "NAVER",
            "hq_country": "KR",
            "ownership": "listed",
            "sanctions_status": "clear",
            "models-TOTAL_FORMS": "0",
            "models-INITIAL_FORMS": "0",
            "models-MIN_NUM_FORMS": "0",
            "models-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    latest = vendor.history.first()
    assert latest.ownership == "listed"
    assert latest.history_user == governance_admin


def test_use_case_status_is_protected_from_direct_assignment(use_case):
    loaded = UseCase.objects.get(pk=use_case.pk)
    with pytest.raises(AttributeError):
        loaded.status = UseCase.Status.APPROVED
