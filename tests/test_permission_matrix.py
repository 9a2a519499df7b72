"""The permission matrix: every route of the URL resolver (the admin's included), asked by every role,
about objects in every state, against a table of what each role must get.

A route with no entry in the table fails `test_every_route_has_an_expectation`, so a route added
tomorrow is covered the day it is added. A POST that is refused (or only re-shows a form) must leave
every domain table as it was. Each role is one test, which lists every mismatch as
`METHOD URL [route/variant]: got X, expected Y`.
"""

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from simple_history.admin import SimpleHistoryAdmin

from governance.roles import ROLE_PERMISSIONS, Function, Role
from tests.approvals.workflow import business_items
from tests.matrix_cases import (
    ADMIN_LOGIN,
    DISCUSSANTS,
    EDITABLE,
    LOGIN,
    STATES,
    Case,
    a_file,
    action,
    everyone,
    expect,
    on_use_case,
    read_only,
    ref,
    url,
)
from tests.matrix_evaluations import EVALUATIONS
from tests.matrix_fixtures import (  # noqa: F401 (the *_fixture names are fixtures)
    ADMIN,
    ANONYMOUS,
    EXECUTIVE,
    FORMER,
    OWNER,
    REVIEWER_ROLES,
    ROLES,
    World,
    fingerprint,
    fingerprint_diff,
    item_of,
    media_root_fixture,
    pending_signoff,
    quiet_refusals_fixture,
    world_fixture,
)
from tests.matrix_people import PEOPLE
from tests.matrix_webhooks import WEBHOOKS

pytestmark = pytest.mark.django_db

# --- The site's routes ---------------------------------------------------------------------------

SITE: dict[str, list[Case]] = {
    "home": read_only("home", expect(200)),
    "healthz": read_only("healthz", everyone(200)),
    "healthz_live": read_only("healthz_live", everyone(200)),
    "healthz_ready": read_only("healthz_ready", everyone(200)),
    "login": [Case("", url("login"), expect(302, anonymous=200), expect(302, anonymous=200))],
    "logout": [Case("", url("logout"), everyone(405), everyone(LOGIN))],
    # Single sign-on is off here (its own tests run it against a real provider): its routes do not exist.
    "oidc_authentication_init": [Case("", url("oidc_authentication_init"), everyone(404), everyone(404))],
    "oidc_authentication_callback": [Case("", url("oidc_authentication_callback"), everyone(404), everyone(404))],
    # Whom to ask for a role: for a person without one; anyone with a role is sent home.
    "no_role": read_only("no_role", expect(302, roleless=200)),
    "use_case_list": read_only("use_case_list", expect(200)),
    "use_case_new": [
        Case("", url("use_case_new"), expect(403, owner=200, other_owner=200), expect(403, owner=400, other_owner=400))
    ],
    "use_case_change": [
        Case(
            state,
            url("use_case_change", reference=ref(state)),
            on_use_case(state, owner=200 if state != "review" else 403, seers=403),
            on_use_case(state, owner=400 if state != "review" else 403, seers=403),
        )
        for state in STATES
    ],
    "use_case_risks": [
        Case(
            state,
            url("use_case_risks", reference=ref(state)),
            on_use_case(state, owner=200, seers=200),
            on_use_case(state, owner=400 if state in EDITABLE else 403, seers=403),
        )
        for state in STATES
    ],
    "use_case_failure_modes": [
        Case(
            state,
            url("use_case_failure_modes", reference=ref(state)),
            on_use_case(state, owner=200, seers=200),
            on_use_case(state, owner=400 if state in EDITABLE else 403, seers=403),
        )
        for state in STATES
    ],
    "use_case_risk_change": [
        *(
            Case(
                state,
                url("use_case_risk_change", reference=ref(state), pk=lambda w, s=state: w.risks[s].pk),
                on_use_case(state, owner=200 if state in EDITABLE else 403, seers=403),
                on_use_case(state, owner=400 if state in EDITABLE else 403, seers=403),
            )
            for state in STATES
        ),
        Case(
            "another use case's risk",
            url("use_case_risk_change", reference=ref("returned"), pk=lambda w: w.risks["draft"].pk),
            expect(404),
            expect(404),
        ),
    ],
    "use_case_risk_remove": [
        *(
            action(
                state,
                url("use_case_risk_remove", reference=ref(state), pk=lambda w, s=state: w.risks[s].pk),
                on_use_case(state, owner=302 if state in EDITABLE else 403, seers=403),
                changes=(OWNER,) if state in EDITABLE else (),
            )
            for state in STATES
        ),
        action(
            "another use case's risk",
            url("use_case_risk_remove", reference=ref("returned"), pk=lambda w: w.risks["draft"].pk),
            expect(404),
        ),
    ],
    "evidence_upload": [
        action(
            state,
            url("evidence_upload", reference=ref(state), item_id=lambda w: business_items()[0].pk),
            on_use_case(state, owner=302 if state in EDITABLE else 403, seers=403),
            data=a_file,
            changes=(OWNER,) if state in EDITABLE else (),
        )
        for state in STATES
    ],
    "evidence_download": [
        *(
            Case(
                state,
                url("evidence_download", reference=ref(state), pk=lambda w, s=state: w.evidence[s].pk),
                on_use_case(state, owner=200, seers=200),
                everyone(405),
            )
            for state in STATES
        ),
        Case(
            "another use case's evidence",
            url("evidence_download", reference=ref("review"), pk=lambda w: w.evidence["draft"].pk),
            expect(404),
            everyone(405),
        ),
    ],
    "catalog_models": read_only("catalog_models", expect(200, roleless=404)),
    "catalog_model": read_only("catalog_model", expect(200, roleless=404), pk=lambda w: w.draft.primary_model_id),
    "catalog_vendors": read_only("catalog_vendors", expect(200, roleless=404)),
    "catalog_vendor": read_only(
        "catalog_vendor", expect(200, roleless=404), pk=lambda w: w.draft.primary_model.vendor_id
    ),
    "model_facts": [
        Case(
            "",
            lambda w: f"{reverse('model_facts')}?primary_model={w.draft.primary_model_id}&hosting_country=RU",
            expect(200, roleless=404),
            everyone(405),
        )
    ],
    "risk_score": [
        Case(
            "",
            lambda w: f"{reverse('risk_score')}?residual_likelihood=4&residual_impact=5",
            expect(200),
            everyone(405),
        )
    ],
    "use_case_detail": [
        Case(
            state, url("use_case_detail", reference=ref(state)), on_use_case(state, owner=200, seers=200), everyone(405)
        )
        for state in STATES
    ],
    "review_queue": read_only("review_queue", expect(200)),
    "review_sign": [
        Case(
            "pending legal sign-off",
            url("review_sign", pk=lambda w: pending_signoff(w).pk),
            on_use_case("review", owner=200, seers=200),
            {**on_use_case("review", owner=403, seers=403), "legal": 400},
        ),
        Case(
            "decided sign-off of the returned round",
            url("review_sign", pk=lambda w: w.returned.rounds.get().signoffs.get(function="legal").pk),
            on_use_case("returned", owner=200, seers=200),
            on_use_case("returned", owner=403, seers=403),
        ),
        Case(
            "sign-off of the approved round",
            url("review_sign", pk=lambda w: w.approved_round.signoffs.get(function="legal").pk),
            on_use_case("approved", owner=200, seers=200),
            on_use_case("approved", owner=403, seers=403),
        ),
    ],
    "review_take": [
        action(
            "pending legal sign-off",
            url("review_take", pk=lambda w: pending_signoff(w).pk),
            {**on_use_case("review", owner=403, seers=403), "legal": 302},
            changes=("legal",),
        ),
        action(
            "sign-off of the approved round",
            url("review_take", pk=lambda w: w.approved_round.signoffs.get(function="legal").pk),
            on_use_case("approved", owner=403, seers=403),
        ),
    ],
    # All of a function's checklist items in one save, from its sign page: its reviewers, while the round is open
    # and the sign-off pending. An empty POST is a permitted save that changes nothing.
    "review_checklist_answer": [
        action(
            "pending legal sign-off",
            url("review_checklist_answer", pk=lambda w: pending_signoff(w).pk),
            {**on_use_case("review", owner=403, seers=403), "legal": 302},
        ),
        action(
            "decided sign-off of the returned round",
            url("review_checklist_answer", pk=lambda w: w.returned.rounds.get().signoffs.get(function="legal").pk),
            on_use_case("returned", owner=403, seers=403),
        ),
        action(
            "sign-off of the approved round",
            url("review_checklist_answer", pk=lambda w: w.approved_round.signoffs.get(function="legal").pk),
            on_use_case("approved", owner=403, seers=403),
        ),
    ],
    # Giving a sign-off to someone is for leads of its function and governance admins.
    "review_assign": [
        action(
            "pending legal sign-off",
            url("review_assign", pk=lambda w: pending_signoff(w).pk),
            {**on_use_case("review", owner=403, seers=403), ADMIN: 302},
            data=lambda w: {"assignee": w.users["legal"].pk},
            changes=(ADMIN,),
        ),
        action(
            "sign-off of the approved round",
            url("review_assign", pk=lambda w: w.approved_round.signoffs.get(function="legal").pk),
            on_use_case("approved", owner=403, seers=403),
            data=lambda w: {"assignee": w.users["legal"].pk},
        ),
    ],
    # Assigning the sign-offs selected on the queue: leads of their function and governance admins.
    "review_assign_many": [
        action(
            "pending legal sign-off",
            url("review_assign_many"),
            {**expect(403), ADMIN: 302},
            data=lambda w: {"signoffs": [pending_signoff(w).pk], "assignee": w.users["legal"].pk},
            changes=(ADMIN,),
        ),
        action(
            "sign-off of the approved round",
            url("review_assign_many"),
            {**expect(403), ADMIN: 302},
            data=lambda w: {
                "signoffs": [w.approved_round.signoffs.get(function="legal").pk],
                "assignee": w.users["legal"].pk,
            },
        ),
    ],
    **PEOPLE,
    # Naming the leads of the functions: governance admins only; everyone else learns nothing.
    "review_leads": [
        Case(
            "",
            url("review_leads"),
            expect(404, admin=200),
            expect(404, admin=302),
            data=lambda w: {"member": w.users["legal"].pk, "lead": "on"},
            changes=(ADMIN,),
        )
    ],
    "use_case_submit": [
        Case(
            state,
            url("use_case_submit", reference=ref(state)),
            on_use_case(state, owner=200, seers=200),
            on_use_case(state, owner=302 if state in EDITABLE else 403, seers=403),
            changes=(OWNER,) if state in EDITABLE else (),
        )
        for state in STATES
    ],
    # GET is the confirmation page; a POST without a reason shows it again with the error, and nothing changes.
    "use_case_withdraw": [
        Case(
            state,
            url("use_case_withdraw", reference=ref(state)),
            on_use_case(state, owner=200 if state == "review" else 403, seers=403),
            on_use_case(state, owner=400 if state == "review" else 403, seers=403),
        )
        for state in STATES
    ],
    # The risk owner (alice) or an executive revokes an approval: the same confirmation page and refusals.
    "use_case_revoke": [
        Case(
            state,
            url("use_case_revoke", reference=ref(state)),
            {
                **on_use_case(state, owner=403, seers=403),
                **({OWNER: 200, EXECUTIVE: 200} if state == "approved" else {}),
            },
            {
                **on_use_case(state, owner=403, seers=403),
                **({OWNER: 400, EXECUTIVE: 400} if state == "approved" else {}),
            },
        )
        for state in STATES
    ],
    # An empty answer is sent back with a message: a permitted POST that changes nothing.
    "checklist_answer": [
        *(
            action(
                f"{state}, business item",
                url("checklist_answer", reference=ref(state), item_id=lambda w: business_items()[0].pk),
                on_use_case(state, owner=302 if state in EDITABLE else 403, seers=403),
            )
            for state in STATES
        ),
        action(
            "review, legal item",
            url("checklist_answer", reference=ref("review"), item_id=lambda w: item_of(Function.LEGAL).pk),
            {**on_use_case("review", owner=403, seers=403), "legal": 302},
        ),
    ],
    # A section's answers in one save (the governance section: business and legal items). An empty POST is a
    # permitted save that changes nothing; whoever answers none of the section's items now is refused.
    "checklist_section_answer": [
        action(
            state,
            url("checklist_section_answer", reference=ref(state), section_id=lambda w: business_items()[0].section_id),
            {
                **on_use_case(state, owner=302 if state in EDITABLE else 403, seers=403),
                **({"legal": 302} if state in ("review", "returned") else {}),
            },
        )
        for state in STATES
    ],
    "record_verify": [Case("", url("record_verify"), expect(200), expect(400))],
    "record_download": read_only(
        "record_download", on_use_case("approved", owner=200, seers=200), pk=lambda w: w.record.pk
    ),
    # A condition is seen by whoever sees its use case; nobody may act on this one (its round carries no
    # conditions), so every POST is refused: 403 to those who see it, 404 to the rest.
    "condition_detail": read_only(
        "condition_detail", on_use_case("approved", owner=200, seers=200), pk=lambda w: w.condition.pk
    ),
    **{
        name: [
            action(
                "approved round, no conditions",
                url(name, pk=lambda w: w.condition.pk),
                on_use_case("approved", owner=403, seers=403),
            )
        ]
        for name in ("condition_claim", "condition_confirm", "condition_return", "condition_waive")
    },
    "condition_evidence": read_only("condition_evidence", expect(404), pk=lambda w: w.condition.pk),
    # An inbox is its owner's: everyone signed in has one; someone else's entry is 404.
    "inbox": read_only("inbox", expect(200)),
    "inbox_follow": read_only("inbox_follow", expect(404, owner=302), pk=lambda w: w.notification.pk),
    "inbox_read": [action("", url("inbox_read", pk=lambda w: w.notification.pk), expect(404, owner=302))],
    "inbox_read_all": [action("", url("inbox_read_all"), expect(302))],
    # The discussion is read by whoever sees the use case; posted to by its owners, the members of the
    # functions routed on its rounds, and governance admins (executives and compliance are not routed here).
    "discussion": [
        Case(
            state,
            url("discussion", reference=ref(state)),
            on_use_case(state, owner=200, seers=200),
            {
                **on_use_case(state, owner=302, seers=403),
                **(dict.fromkeys(DISCUSSANTS, 302) if state != "draft" else {}),
            },
            data=lambda w: {"body": "A question from the permission matrix"},
            changes=(OWNER, *DISCUSSANTS) if state != "draft" else (OWNER,),
        )
        for state in STATES
    ],
    "report": read_only("report", expect(404, portfolio=200)),
    "report_csv": read_only("report_csv", expect(404, portfolio=200)),
    "report_risks_csv": read_only("report_risks_csv", expect(404, portfolio=200)),
    "report_conditions_csv": read_only("report_conditions_csv", expect(404, portfolio=200)),
    "report_slide": read_only("report_slide", expect(404, portfolio=200)),
    # Each chart as SVG or PNG; a name that is no chart is 404 to everyone.
    "report_chart": [
        *read_only("report_chart", expect(404, portfolio=200), chart=lambda w: "activity", fmt=lambda w: "svg"),
        *read_only("report_chart", expect(404, portfolio=200), chart=lambda w: "heat-map", fmt=lambda w: "png"),
        *read_only("report_chart", expect(404), chart=lambda w: "no-such-chart", fmt=lambda w: "svg"),
    ],
    "report_exports": [
        Case(
            "",
            url("report_exports"),
            expect(404, portfolio=200),
            expect(404, portfolio=302),
            changes=(EXECUTIVE, ADMIN),
        )
    ],
    # An export is its requester's (erin, the executive): the other portfolio reader gets 404 too.
    "report_export_detail": read_only("report_export_detail", expect(404, executive=200), pk=lambda w: w.export.pk),
    "report_export_download": read_only("report_export_download", expect(404, executive=200), pk=lambda w: w.export.pk),
    **WEBHOOKS,
    **EVALUATIONS,
}


# --- The admin's routes: staff only ----------------------------------------------------------------
# Generated from the admin site's registry by rule, so a newly registered model is covered; a custom
# admin URL is not, and fails the coverage test until it is written down here.

ADMIN_PERMS = set(ROLE_PERMISSIONS[Role.ADMIN])


def staff_only(gina) -> dict[str, object]:
    """Everyone but the staff governance admin is sent to the admin's login page."""
    return {**expect(ADMIN_LOGIN, anonymous=ADMIN_LOGIN), ADMIN: gina}


def _admin_object(world: World, model):
    if model is Group:
        return Group.objects.get(name=Role.BUSINESS_OWNER)
    if model._meta.label == settings.AUTH_USER_MODEL:
        return world.users[OWNER]
    if hasattr(model, "history"):
        # One with a history, so its history pages have something to show.
        latest = model.history.order_by("-history_id").first()
        return model._base_manager.get(pk=latest.instance.pk)
    found = model._base_manager.order_by("pk").first()
    assert found is not None, f"The matrix's world has no {model._meta.label} to ask the admin about"
    return found


def _model_admin_cases(model, model_admin) -> dict[str, list[Case]]:
    opts = model._meta
    prefix = f"admin:{opts.app_label}_{opts.model_name}"
    perm = f"{opts.app_label}.{{}}_{opts.model_name}"
    read_only_admin = model_admin.has_add_permission.__qualname__.startswith("ReadOnlyAdmin")
    can_view = perm.format("view") in ADMIN_PERMS or perm.format("change") in ADMIN_PERMS
    can_add = perm.format("add") in ADMIN_PERMS and not read_only_admin
    can_delete = perm.format("delete") in ADMIN_PERMS and not read_only_admin
    obj_id = lambda w: _admin_object(w, model).pk  # noqa: E731
    view = 200 if can_view else 403

    def get(name, gina, **kwargs):
        return [Case("", url(f"{prefix}_{name}", **kwargs), staff_only(gina), None)]

    cases = {
        f"{prefix}_changelist": get("changelist", view),
        f"{prefix}_add": get("add", 200 if can_add else 403),
        f"{prefix}_change": get("change", view, object_id=obj_id),
        f"{prefix}_history": get("history", view, object_id=obj_id),
        f"{prefix}_delete": get("delete", 200 if can_delete else 403, object_id=obj_id),
        f"<unnamed> admin/{opts.app_label}/{opts.model_name}/<path:object_id>/": [
            Case("", lambda w: f"/admin/{opts.app_label}/{opts.model_name}/{obj_id(w)}/", staff_only(302), None)
        ],
    }
    if isinstance(model_admin, SimpleHistoryAdmin) and not hasattr(model, "history"):
        # The admin offers a history page, but the model keeps no history: nothing to show, and no error.
        cases[f"{prefix}_simple_history"] = [
            Case("", lambda w: reverse(f"{prefix}_simple_history", args=[obj_id(w), 1]), staff_only(404), None)
        ]
    elif hasattr(model, "history"):
        cases[f"{prefix}_simple_history"] = [
            Case(
                "",
                lambda w: reverse(
                    f"{prefix}_simple_history",
                    args=[obj_id(w), model.history.order_by("-history_id").first().history_id],
                ),
                staff_only(view),
                None,
            )
        ]
    if model._meta.label == "governance.UseCase":
        # Guardian's object-permission pages need the change right, which the read-only admin never gives:
        # it sends the admin back to the index.
        cases[f"{prefix}_permissions"] = get("permissions", 302, object_pk=obj_id)
        cases[f"{prefix}_permissions_manage_user"] = get(
            "permissions_manage_user", 302, object_pk=obj_id, user_id=lambda w: w.users[OWNER].pk
        )
        cases[f"{prefix}_permissions_manage_group"] = get(
            "permissions_manage_group",
            302,
            object_pk=obj_id,
            group_id=lambda w: Group.objects.get(name=Role.BUSINESS_OWNER).pk,
        )
    if model._meta.label == settings.AUTH_USER_MODEL:
        cases[f"{prefix}_password_change"] = get("password_change", 403, id=obj_id)
    return cases


def admin_cases() -> dict[str, list[Case]]:
    apps_with_rights = {name.split(".")[0] for name in ADMIN_PERMS}
    cases = {
        "admin:index": [Case("", url("admin:index"), staff_only(200), None)],
        # The login page is for anyone; a signed-in staff member is sent on to the index.
        "admin:login": [Case("", url("admin:login"), {**everyone(200), ADMIN: 302}, None)],
        # Logging out is a POST; the admin sends anyone not staff to its index (and so to its login) first.
        "admin:logout": [Case("", url("admin:logout"), {**everyone(302), ADMIN: 405}, None)],
        "admin:password_change": [Case("", url("admin:password_change"), staff_only(200), None)],
        "admin:password_change_done": [Case("", url("admin:password_change_done"), staff_only(200), None)],
        # Without its query the autocomplete refuses even staff.
        "admin:autocomplete": [Case("", url("admin:autocomplete"), staff_only(403), None)],
        "admin:jsi18n": [Case("", url("admin:jsi18n"), staff_only(200), None)],
        "admin:view_on_site": [
            Case(
                "",
                lambda w: reverse(
                    "admin:view_on_site",
                    kwargs={
                        "content_type_id": ContentType.objects.get_for_model(w.review).pk,
                        "object_id": w.review.pk,
                    },
                ),
                staff_only(302),
                None,
            )
        ],
        "admin:app_list": [
            Case(
                app_label,
                url("admin:app_list", app_label=lambda w, a=app_label: a),
                staff_only(200 if app_label in apps_with_rights else 404),
                None,
            )
            for app_label in sorted({model._meta.app_label for model in admin.site._registry})
        ],
        "<unnamed> admin/(?P<url>.*)$": [Case("", lambda w: "/admin/no-such-page/", staff_only(404), None)],
    }
    for model, model_admin in admin.site._registry.items():
        cases.update(_model_admin_cases(model, model_admin))
    return cases


EXPECTATIONS: dict[str, list[Case]] = {**SITE, **admin_cases()}


# --- Walking the resolver --------------------------------------------------------------------------


def route_key(name: str | None, route: str) -> str:
    return name or f"<unnamed> {route}"


def resolver_routes(patterns=None, prefix: str = "", namespace: str = "") -> list[str]:
    """Every route the project answers, as `namespace:name` (or `<unnamed> full/route`)."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += resolver_routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            found.append(route_key(name, prefix + str(pattern.pattern)))
    return found


def page_routes() -> list[str]:
    """The routes this matrix asks: all but the API's, which tests/api/test_api_matrix.py asks (with tokens)."""
    return [route for route in resolver_routes() if not route.startswith("api_")]


def test_every_route_has_an_expectation():
    missing = sorted(set(page_routes()) - set(EXPECTATIONS))
    assert not missing, "Routes with no entry in the permission matrix: " + ", ".join(missing)


def test_every_expectation_names_a_route_that_exists():
    stale = sorted(set(EXPECTATIONS) - set(page_routes()))
    assert not stale, "Entries for routes that no longer exist: " + ", ".join(stale)


def test_every_case_says_what_each_role_gets():
    incomplete = [
        f"{key} {case.variant}".strip()
        for key, cases in EXPECTATIONS.items()
        for case in cases
        for table in (case.get, case.post)
        if table is not None and set(table) != set(ROLES)
    ]
    assert not incomplete


def test_every_case_url_reaches_its_route(world):
    wrong = []
    for key, cases in EXPECTATIONS.items():
        for case in cases:
            match = resolve(case.url(world).split("?")[0])
            if route_key(match.view_name if match.url_name else None, match.route) != key:
                wrong.append(f"{case.url(world)} reaches {match.view_name or match.route}, not {key}")
    assert not wrong


# --- Asking ----------------------------------------------------------------------------------------


def _verdict(response, expected) -> tuple[bool, str]:
    status, location = response.status_code, response.get("Location", "")
    got = f"{status} to {location}" if status in (301, 302) else str(status)
    if expected == LOGIN:
        login = resolve_url(settings.LOGIN_URL)
        return status == 302 and (location == login or location.startswith(login + "?next=")), got
    if expected == ADMIN_LOGIN:
        return status == 302 and location.startswith(reverse("admin:login") + "?next="), got
    if expected == 302:
        to_a_login = location.startswith((resolve_url(settings.LOGIN_URL), reverse("admin:login")))
        return status == 302 and not to_a_login, got
    return status == expected, got


def _ask(client: Client, method: str, case: Case, role: str, expected, world: World) -> str | None:
    """One request in a savepoint that is rolled back, so each request sees the same world. Returns what
    went wrong, or None."""
    target = case.url(world)
    check_rows = method == "post" and role not in case.changes
    with transaction.atomic():
        before = fingerprint() if check_rows else None
        response = client.get(target) if method == "get" else client.post(target, case.data(world))
        ok, got = _verdict(response, expected)
        changed = []
        if check_rows:
            try:
                with transaction.atomic():
                    changed = fingerprint_diff(before, fingerprint())
            except DatabaseError as exc:
                changed = [f"the transaction is broken ({exc.__class__.__name__})"]
        transaction.set_rollback(True)
    where = f"{role}: {method.upper()} {target} [{route_of(case)}]"
    if not ok:
        return f"{where}: got {got}, expected {expected}"
    if changed:
        return f"{where}: refused ({got}) but changed {', '.join(changed)}"
    return None


def route_of(case: Case) -> str:
    for key, cases in EXPECTATIONS.items():
        if case in cases:
            return f"{key} {case.variant}".strip()
    return "?"


def _run(world: World, route: str) -> tuple[int, list[str]]:
    asked, failures = 0, []
    for role in ROLES:
        for case in EXPECTATIONS[route]:
            for method, table in (("get", case.get), ("post", case.post)):
                if table is None:
                    continue
                # A fresh client each time: a request (logging out) may end the session.
                client = Client(raise_request_exception=False)
                if role != ANONYMOUS:
                    client.force_login(world.users[role])
                asked += 1
                failure = _ask(client, method, case, role, table[role], world)
                if failure:
                    failures.append(failure)
    return asked, failures


@pytest.mark.parametrize("route", list(EXPECTATIONS))
def test_route_answers_each_role_as_the_policy_says(world, route):
    asked, failures = _run(world, route)
    assert asked > 0
    assert not failures, f"{route}: {len(failures)} of {asked} requests differ:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", [role for role in ROLES if role != ANONYMOUS])
def test_the_list_shows_each_role_the_use_cases_it_may_open_and_no_other(world, role):
    """The list page answers 200 to everyone, so the matrix's status alone would not see a leak there."""
    client = Client(raise_request_exception=False)
    client.force_login(world.users[role])
    page = client.get(reverse("use_case_list")).content.decode()
    detail = {case.variant: case.get for case in EXPECTATIONS["use_case_detail"]}
    wrong = [
        f"{state} {world.use_case(state).reference}: {'listed' if listed else 'missing'}"
        for state in STATES
        if (listed := world.use_case(state).reference in page) != (detail[state][role] == 200)
    ]
    assert not wrong, f"{role}: " + ", ".join(wrong)
