"""The permission matrix's entries for the people and service-account pages (governance admins only)."""

from governance.roles import Role
from tests.matrix_cases import Case, action, everyone, expect, read_only, url
from tests.matrix_fixtures import ADMIN, FORMER

PEOPLE: dict[str, list[Case]] = {
    # People: governance admins only; everyone else learns nothing. lena (legal) is the person acted on;
    # a refused change (a role already held, oneself, a wrong state) is 400 with the form.
    "people": read_only("people", expect(404, admin=200)),
    "person": read_only("person", expect(404, admin=200), pk=lambda w: w.users["legal"].pk),
    "person_role_grant": [
        action(
            "a role not held",
            url("person_role_grant", pk=lambda w: w.users["legal"].pk),
            expect(404, admin=302),
            data=lambda w: {"role": Role.PRIVACY.value, "reason": "Joins the privacy office."},
            changes=(ADMIN,),
        ),
        action(
            "a role already held",
            url("person_role_grant", pk=lambda w: w.users["legal"].pk),
            expect(404, admin=400),
            data=lambda w: {"role": Role.LEGAL.value, "reason": "Again."},
        ),
        action(
            "one's own roles",
            url("person_role_grant", pk=lambda w: w.users[ADMIN].pk),
            expect(404, admin=400),
            data=lambda w: {"role": Role.LEGAL.value, "reason": "I review too."},
        ),
    ],
    "person_role_revoke": [
        action(
            "a role held",
            url("person_role_revoke", pk=lambda w: w.users["legal"].pk),
            expect(404, admin=302),
            data=lambda w: {"role": Role.LEGAL.value, "reason": "Left legal."},
            changes=(ADMIN,),
        ),
        action(
            "a deactivated person's role",
            url("person_role_revoke", pk=lambda w: w.users[FORMER].pk),
            expect(404, admin=400),
            data=lambda w: {"role": Role.LEGAL.value, "reason": "Left."},
        ),
    ],
    "person_deactivate": [
        Case(
            "an active person",
            url("person_deactivate", pk=lambda w: w.users["legal"].pk),
            expect(404, admin=200),
            expect(404, admin=302),
            data=lambda w: {"reason": "Left the company."},
            changes=(ADMIN,),
        ),
        Case(
            "oneself",
            url("person_deactivate", pk=lambda w: w.users[ADMIN].pk),
            expect(404, admin=200),
            expect(404, admin=400),
            data=lambda w: {"reason": "Holiday."},
        ),
        Case(
            "a deactivated person",
            url("person_deactivate", pk=lambda w: w.users[FORMER].pk),
            expect(404, admin=200),
            expect(404, admin=400),
            data=lambda w: {"reason": "Again."},
        ),
    ],
    "person_reactivate": [
        Case(
            "a deactivated person",
            url("person_reactivate", pk=lambda w: w.users[FORMER].pk),
            expect(404, admin=200),
            expect(404, admin=302),
            data=lambda w: {"reason": "Back from leave."},
            changes=(ADMIN,),
        ),
        Case(
            "an active person",
            url("person_reactivate", pk=lambda w: w.users["legal"].pk),
            expect(404, admin=200),
            expect(404, admin=400),
            data=lambda w: {"reason": "Back."},
        ),
    ],
    # Service accounts: governance admins only, like the people pages. Issuing a token answers 200 with the
    # token (shown once); a refused change (a deactivated account, a token revoked already) is 400.
    "service_accounts": read_only("service_accounts", expect(404, admin=200)),
    "service_account_new": [
        Case(
            "a new name",
            url("service_account_new"),
            expect(404, admin=200),
            expect(404, admin=302),
            data=lambda w: {"name": "Nightly report", "scopes": ["read"]},
            changes=(ADMIN,),
        ),
        Case(
            "a name taken",
            url("service_account_new"),
            expect(404, admin=200),
            expect(404, admin=400),
            data=lambda w: {"name": "matrix PIPELINE", "scopes": ["read"]},
        ),
    ],
    "service_account": [
        *read_only("service_account", expect(404, admin=200), pk=lambda w: w.service_account.pk),
        Case(
            "a deactivated account",
            url("service_account", pk=lambda w: w.former_service_account.pk),
            expect(404, admin=200),
            everyone(405),
        ),
    ],
    "service_account_scopes": [
        action(
            "an active account",
            url("service_account_scopes", pk=lambda w: w.service_account.pk),
            expect(404, admin=302),
            data=lambda w: {"scopes": ["read"]},
            changes=(ADMIN,),
        ),
        action(
            "a deactivated account",
            url("service_account_scopes", pk=lambda w: w.former_service_account.pk),
            expect(404, admin=400),
            data=lambda w: {"scopes": ["read"]},
        ),
    ],
    "service_account_token_issue": [
        action(
            "an active account",
            url("service_account_token_issue", pk=lambda w: w.service_account.pk),
            expect(404, admin=200),
            data=lambda w: {"name": "Matrix, staging"},
            changes=(ADMIN,),
        ),
        action(
            "a deactivated account",
            url("service_account_token_issue", pk=lambda w: w.former_service_account.pk),
            expect(404, admin=400),
            data=lambda w: {"name": "Matrix, again"},
        ),
    ],
    "service_account_token_revoke": [
        Case(
            "a usable token",
            url(
                "service_account_token_revoke",
                pk=lambda w: w.service_account.pk,
                token_pk=lambda w: w.service_token.pk,
            ),
            expect(404, admin=200),
            expect(404, admin=302),
            changes=(ADMIN,),
        ),
        Case(
            "a revoked token",
            url(
                "service_account_token_revoke",
                pk=lambda w: w.service_account.pk,
                token_pk=lambda w: w.revoked_token.pk,
            ),
            expect(404, admin=200),
            expect(404, admin=400),
        ),
        Case(
            "another account's token",
            url(
                "service_account_token_revoke",
                pk=lambda w: w.former_service_account.pk,
                token_pk=lambda w: w.service_token.pk,
            ),
            expect(404),
            expect(404),
        ),
    ],
    "service_account_deactivate": [
        Case(
            "an active account",
            url("service_account_deactivate", pk=lambda w: w.service_account.pk),
            expect(404, admin=200),
            expect(404, admin=302),
            changes=(ADMIN,),
        ),
        Case(
            "a deactivated account",
            url("service_account_deactivate", pk=lambda w: w.former_service_account.pk),
            expect(404, admin=200),
            expect(404, admin=400),
        ),
    ],
}
