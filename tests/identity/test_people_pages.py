"""The people pages: governance admins list people, open one, grant and revoke the roles Clearance manages,
deactivate and reactivate accounts; everyone else gets 404. Changes ask for the password again when it was
given too long ago."""

from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import ApprovalEvent
from governance import sessions
from governance.limits import NOTE
from governance.roles import Function, Role
from identity.models import RoleChange
from tests.approvals.workflow import person
from tests.factories import UserFactory
from tests.identity.helpers import provider_account, rounds_held_by

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
T0 = 1_800_000_000


def at(moment):
    return mock.patch.object(sessions, "now", return_value=moment)


@pytest.fixture
def gina(db):
    return UserFactory(username="gina", first_name="Gina", roles=[Role.ADMIN], is_staff=True)


@pytest.fixture
def admin(client, gina):
    """gina, signed in at T0 (her password counts as given then)."""
    with at(T0):
        client.force_login(gina)
    return client


@pytest.fixture
def lena(db):
    return person("lena", Role.LEGAL, first_name="Lena", last_name="Lindqvist", email="lena@legal.example.com")


def roles(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def routes(user) -> list[tuple[str, str]]:
    base = f"/people/{user.pk}/"
    return [
        ("get", "/people/"),
        ("get", base),
        ("post", base + "roles/grant/"),
        ("post", base + "roles/revoke/"),
        ("get", base + "deactivate/"),
        ("post", base + "deactivate/"),
        ("get", base + "reactivate/"),
        ("post", base + "reactivate/"),
    ]


# --- Who may


@pytest.mark.parametrize("role", [None, Role.LEGAL, Role.EXECUTIVE, Role.BUSINESS_OWNER])
def test_everyone_but_an_admin_gets_404_on_every_page(client, lena, role):
    someone = person("someone", *([role] if role else []))
    client.force_login(someone)
    for method, url in routes(lena):
        data = {"role": Role.PRIVACY.value, "reason": "Let me in."}
        response = client.get(url) if method == "get" else client.post(url, data)
        assert response.status_code == 404, f"{method} {url}"
    assert roles(lena) == {Role.LEGAL} and not RoleChange.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, lena):
    for method, url in routes(lena):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_changes_are_posted_never_got(admin, lena):
    for url in (f"/people/{lena.pk}/roles/grant/", f"/people/{lena.pk}/roles/revoke/"):
        assert admin.get(url).status_code == 405


def test_the_people_link_is_for_admins(admin, client, lena):
    assert 'href="/people/"' in admin.get("/").text
    client.force_login(lena)
    assert 'href="/people/"' not in client.get("/").text


# --- The list


def test_the_list_shows_people_their_roles_and_where_they_come_from(admin, lena, settings):
    settings.CLEARANCE_OIDC_ROLE_MAP = {"legal-team": Role.LEGAL.value}
    provider_account(lena, ["legal-team"])
    person("old", Role.PRIVACY, is_active=False)
    page = admin.get("/people/")
    assert page.status_code == 200
    text = page.text
    assert "lena@legal.example.com" in text and "Lena Lindqvist" in text
    assert 'Legal reviewers <span class="muted">(identity provider)</span>' in text
    assert 'Governance admins <span class="muted">(Clearance)</span>' in text
    assert "Provider account" in text and "Local password" in text
    assert "Deactivated" in text


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"q": "lindq"}, ["lena"], ["pia"]),
        ({"q": "legal.example LENA"}, ["lena"], ["pia"]),
        ({"role": Role.PRIVACY.value}, ["pia"], ["lena"]),
        ({"role": "none"}, ["nadia"], ["lena", "pia"]),
        ({"status": "inactive"}, ["pia"], ["lena"]),
        ({"status": "active", "role": Role.LEGAL.value}, ["lena"], ["pia"]),
    ],
)
def test_search_and_filters(admin, lena, query, shown, hidden):
    person("pia", Role.PRIVACY, is_active=False)
    person("nadia")
    text = admin.get("/people/", query).text
    for username in shown:
        assert f">{username}</a>" in text
    for username in hidden:
        assert f">{username}</a>" not in text


@pytest.mark.parametrize("query", [{"q": "x" * 5000}, {"role": "Superusers"}, {"status": "asleep"}])
def test_a_bad_filter_is_400_with_the_form(admin, query):
    response = admin.get("/people/", query)
    assert response.status_code == 400
    assert 'class="error"' in response.text


def test_the_list_runs_the_same_queries_for_few_and_many_people(admin, settings):
    settings.CLEARANCE_OIDC_ROLE_MAP = {"legal-team": Role.LEGAL.value}

    def queries() -> int:
        admin.get("/people/")
        with CaptureQueriesContext(connection) as ctx:
            assert admin.get("/people/").status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for i in range(30):
        someone = person(f"member{i}", Role.LEGAL, Role.PRIVACY, last_login=None)
        if i % 2:
            provider_account(someone, ["legal-team"])
    assert queries() == few


def test_pages_of_the_list(admin):
    for i in range(30):
        person(f"member{i:02}")
    first = admin.get("/people/", {"role": "none"}).text
    assert 'rel="next"' in first and "?role=none&amp;page=2" in first
    second = admin.get("/people/", {"role": "none", "page": "2"}).text
    assert ">member29</a>" in second and ">member00</a>" not in second


# --- A person's page and their roles


def test_a_persons_page(admin, lena, gina, settings):
    settings.CLEARANCE_OIDC_ROLE_MAP = {"legal-team": Role.LEGAL.value}
    provider_account(lena, ["legal-team"])
    RoleChange.objects.create(
        person=lena, action="granted", role=Role.LEGAL, source="provider", reason="At sign-in through Example ID"
    )
    RoleChange.objects.create(
        person=lena, action="granted", role=Role.PRIVACY, source="local", actor=gina, reason="Help"
    )
    page = admin.get(f"/people/{lena.pk}/")
    assert page.status_code == 200
    text = page.text
    assert "Identity provider at sign-in" in text and "Gina" in text
    assert "Change their groups at the identity provider." in text  # legal: no form
    assert f'action="/people/{lena.pk}/roles/grant/"' in text
    assert f'action="/people/{lena.pk}/roles/revoke/"' not in text  # the one role she holds is the provider's
    assert "sub-lena at https://id.example.com" in text


def test_a_404_for_nobody(admin):
    assert admin.get("/people/999999/").status_code == 404


def test_an_admin_grants_a_role(admin, lena, gina):
    response = admin.post(
        f"/people/{lena.pk}/roles/grant/", {"role": Role.PRIVACY.value, "reason": "Joins the privacy office."}
    )
    assert response.status_code == 302 and response["Location"] == f"/people/{lena.pk}/"
    assert roles(lena) == {Role.LEGAL, Role.PRIVACY}
    change = lena.role_changes.get()
    assert (change.actor, change.reason, change.source) == (gina, "Joins the privacy office.", "local")
    assert "Lena Lindqvist now holds “Privacy reviewers”." in admin.get(response["Location"]).text


def test_an_admin_revokes_a_role_and_the_held_signoffs_go_back(admin, lena, alice, team):
    (round,) = rounds_held_by(alice, Function.LEGAL, lena, count=1)
    page = admin.get(f"/people/{lena.pk}/").text
    assert f"Revoking sends the sign-off of this function they hold ({round.use_case.reference})" in page
    response = admin.post(f"/people/{lena.pk}/roles/revoke/", {"role": Role.LEGAL.value, "reason": "Left legal."})
    assert response.status_code == 302
    assert roles(lena) == set()
    assert round.signoffs.get(function=Function.LEGAL).assignee is None


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"role": Role.LEGAL.value, "reason": ""}, "This field is required."),
        ({"role": Role.LEGAL.value, "reason": "x" * (NOTE + 1)}, "Keep this to at most"),
        ({"role": "Superusers", "reason": "Why not."}, "Select a valid choice."),
        ({"role": Role.PRIVACY.value, "reason": "Not held."}, "does not hold"),
    ],
)
def test_a_refused_revoke_is_400_with_the_form(admin, lena, data, error):
    response = admin.post(f"/people/{lena.pk}/roles/revoke/", data)
    assert response.status_code == 400
    assert error in response.text
    assert roles(lena) == {Role.LEGAL} and not RoleChange.objects.exists()


def test_the_providers_role_is_refused_on_the_page(admin, lena, settings):
    settings.CLEARANCE_OIDC_ROLE_MAP = {"legal-team": Role.LEGAL.value}
    provider_account(lena, ["legal-team"])
    response = admin.post(f"/people/{lena.pk}/roles/revoke/", {"role": Role.LEGAL.value, "reason": "Left."})
    assert response.status_code == 400
    assert "from the identity provider" in response.text
    assert roles(lena) == {Role.LEGAL}


def test_an_admin_cannot_change_their_own_roles_on_the_page(admin, gina):
    page = admin.get(f"/people/{gina.pk}/").text
    assert "You cannot change your own roles" in page and "roles/revoke/" not in page
    response = admin.post(f"/people/{gina.pk}/roles/revoke/", {"role": Role.ADMIN.value, "reason": "Bye."})
    assert response.status_code == 400 and "your own roles" in response.text
    assert roles(gina) == {Role.ADMIN}


# --- Deactivating and reactivating


def test_the_deactivation_page_says_what_will_happen(admin, lena, alice, team):
    person("lara", Role.LEGAL, first_name="Lara")
    rounds_held_by(alice, Function.LEGAL, lena)
    page = admin.get(f"/people/{lena.pk}/deactivate/")
    assert page.status_code == 200
    text = page.text
    assert "The 2 Legal sign-offs they hold" in text and "back to the Legal queue" in text
    assert "Told by e-mail: Lara" in text
    assert 'type="password"' not in text


def test_a_deactivated_reviewer_is_signed_out_and_their_signoffs_go_back(admin, lena, alice, team, gina):
    (round,) = rounds_held_by(alice, Function.LEGAL, lena, count=1)
    from django.test import Client

    lenas = Client()
    lenas.force_login(lena)
    assert lenas.get("/").status_code == 200
    response = admin.post(f"/people/{lena.pk}/deactivate/", {"reason": "Left the company."})
    assert response.status_code == 302
    lena.refresh_from_db()
    assert not lena.is_active
    after = lenas.get("/reviews/")
    assert after.status_code == 302 and after["Location"].startswith("/login/")
    assert round.signoffs.get(function=Function.LEGAL).assignee is None
    event = round.events.filter(verb=ApprovalEvent.Verb.ASSIGNED).latest("pk")
    assert event.data["kind"] == "released" and event.actor == gina
    assert lena.role_changes.get().action == RoleChange.Action.DEACTIVATED


def test_deactivating_yourself_or_twice_is_refused(admin, gina, lena):
    page = admin.get(f"/people/{gina.pk}/deactivate/")
    assert page.status_code == 200 and "You cannot deactivate yourself" in page.text and "<textarea" not in page.text
    response = admin.post(f"/people/{gina.pk}/deactivate/", {"reason": "Holiday."})
    assert response.status_code == 400 and "deactivate yourself" in response.text
    lena.is_active = False
    lena.save()
    assert "already deactivated" in admin.get(f"/people/{lena.pk}/deactivate/").text
    assert admin.post(f"/people/{lena.pk}/deactivate/", {"reason": "Again."}).status_code == 400
    assert not RoleChange.objects.exists()


def test_a_deactivation_without_a_reason_is_400(admin, lena):
    response = admin.post(f"/people/{lena.pk}/deactivate/", {"reason": " "})
    assert response.status_code == 400 and "This field is required." in response.text
    lena.refresh_from_db()
    assert lena.is_active


def test_reactivating(admin, lena, gina):
    lena.is_active = False
    lena.save()
    page = admin.get(f"/people/{lena.pk}/reactivate/")
    assert "can sign in again, with the roles they had: Legal reviewers" in page.text
    response = admin.post(f"/people/{lena.pk}/reactivate/", {"reason": "Back from leave."})
    assert response.status_code == 302
    lena.refresh_from_db()
    assert lena.is_active
    assert admin.post(f"/people/{lena.pk}/reactivate/", {"reason": "Again."}).status_code == 400


# --- The password again


CHANGES = [
    ("roles/grant/", {"role": Role.PRIVACY.value, "reason": "Joins privacy."}),
    ("roles/revoke/", {"role": Role.LEGAL.value, "reason": "Left legal."}),
    ("deactivate/", {"reason": "Left."}),
]


def changed(lena) -> bool:
    lena.refresh_from_db()
    return RoleChange.objects.filter(person=lena).exists() or roles(lena) != {Role.LEGAL} or not lena.is_active


@pytest.mark.parametrize(("path", "data"), CHANGES)
def test_a_recent_password_is_enough(admin, lena, path, data):
    with at(T0 + 9 * 60):
        assert 'type="password"' not in admin.get(f"/people/{lena.pk}/").text
        assert admin.post(f"/people/{lena.pk}/{path}", data).status_code == 302
    assert changed(lena)


@pytest.mark.parametrize(("path", "data"), CHANGES)
def test_an_old_password_must_be_given_again(admin, lena, path, data):
    with at(T0 + 11 * 60):
        page = admin.get(f"/people/{lena.pk}/" if "roles" in path else f"/people/{lena.pk}/{path}")
        assert 'type="password"' in page.text and 'autocomplete="current-password"' in page.text
        response = admin.post(f"/people/{lena.pk}/{path}", data)
    assert response.status_code == 400 and "Enter your password to confirm." in response.text
    assert not changed(lena)


@pytest.mark.parametrize(("path", "data"), CHANGES)
def test_a_wrong_password_changes_nothing_and_counts_as_a_failed_sign_in(admin, lena, path, data):
    with at(T0 + 11 * 60):
        response = admin.post(f"/people/{lena.pk}/{path}", {**data, "password": "guess"})
    assert response.status_code == 400 and "That is not your password" in response.text
    assert not changed(lena)
    assert AccessAttempt.objects.filter(username="gina").exists()


@pytest.mark.parametrize(("path", "data"), CHANGES)
def test_the_right_password_does_it(admin, lena, path, data):
    with at(T0 + 11 * 60):
        response = admin.post(f"/people/{lena.pk}/{path}", {**data, "password": PASSWORD})
        assert response.status_code == 302
        # Given now: the next change within the window does not ask again.
        assert 'type="password"' not in admin.get(f"/people/{lena.pk}/").text
    assert changed(lena)


def test_a_grant_of_a_role_held_is_refused_at_the_top_not_in_the_revoke_form(admin, lena):
    response = admin.post(f"/people/{lena.pk}/roles/grant/", {"role": Role.LEGAL.value, "reason": "Again."})
    assert response.status_code == 400
    text = response.text
    assert "Nothing was changed" in text and "already holds" in text
    assert ">Again.</textarea>" not in text  # the reason is not offered for revoking
    assert roles(lena) == {Role.LEGAL}


def test_a_reactivated_person_signs_in_again_their_old_session_is_gone(
    admin, lena, gina, django_capture_on_commit_callbacks
):
    from django.contrib.sessions.models import Session
    from django.test import Client

    lenas = Client()
    lenas.force_login(lena)
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(f"/people/{lena.pk}/deactivate/", {"reason": "Left the company."}).status_code == 302
    assert not Session.objects.filter(session_key=lenas.session.session_key).exists()
    assert admin.post(f"/people/{lena.pk}/reactivate/", {"reason": "Came back."}).status_code == 302
    assert lenas.get("/reviews/")["Location"].startswith("/login/")
    assert admin.get("/people/").status_code == 200  # the admin's own session is untouched
