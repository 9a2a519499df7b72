"""The permission matrix's entries for the evaluation evidence pages and the thresholds."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.matrix_cases import EDITABLE, STATES, Case, action, everyone, expect, on_use_case, ref, url
from tests.matrix_fixtures import ADMIN, EVALUATION, OWNER

# The security function adds evidence while a request is prepared or in review (it answers its items then).
SECURITY_IMPORTS = ("review", "returned")


def a_result_file(world) -> dict:
    # Another run than the world's (a different file), so that an import that is allowed succeeds.
    content = EVALUATION.read_bytes() + b"\n"
    return {"file": SimpleUploadedFile("another.report.jsonl", content)}


def _run(state):
    return lambda w: w.evaluation_runs[state].pk


EVALUATIONS: dict[str, list[Case]] = {
    "use_case_evaluations": [
        Case(
            state,
            url("use_case_evaluations", reference=ref(state)),
            on_use_case(state, owner=200, seers=200),
            everyone(405),
        )
        for state in STATES
    ],
    "use_case_evaluation_import": [
        action(
            state,
            url("use_case_evaluation_import", reference=ref(state)),
            {
                **on_use_case(state, owner=302 if state in EDITABLE else 403, seers=403),
                **({"security": 302} if state in SECURITY_IMPORTS else {}),
            },
            data=a_result_file,
            changes=(OWNER, "security") if state in EDITABLE else ("security",) if state in SECURITY_IMPORTS else (),
        )
        for state in STATES
    ],
    # A run's page and its file: whoever sees the use case; another use case's run is 404 to everyone.
    **{
        route: [
            *(
                Case(
                    state,
                    url(route, reference=ref(state), pk=_run(state)),
                    on_use_case(state, owner=200, seers=200),
                    everyone(405),
                )
                for state in STATES
            ),
            Case(
                "another use case's run",
                url(route, reference=ref("review"), pk=_run("draft")),
                expect(404),
                everyone(405),
            ),
        ]
        for route in ("use_case_evaluation", "use_case_evaluation_file")
    },
    "use_case_evaluation_remove": [
        action(
            state,
            url("use_case_evaluation_remove", reference=ref(state), pk=_run(state)),
            on_use_case(state, owner=302 if state in EDITABLE else 403, seers=403),
            changes=(OWNER,) if state in EDITABLE else (),
        )
        for state in STATES
    ],
    # Everyone with a role reads the thresholds; the security function and governance admins set them.
    "evaluation_thresholds": [
        Case(
            "",
            url("evaluation_thresholds"),
            expect(200, roleless=404),
            expect(403, roleless=404, security=302, admin=302),
            data=lambda w: {"sensitivity": "4", "failure_mode": "data_leakage", "min_pass_rate": "99"},
            changes=("security", ADMIN),
        ),
        Case(
            "a rate over 100 %",
            url("evaluation_thresholds"),
            expect(200, roleless=404),
            expect(403, roleless=404, security=400, admin=400),
            data=lambda w: {"sensitivity": "4", "failure_mode": "data_leakage", "min_pass_rate": "101"},
        ),
    ],
    "evaluation_threshold_remove": [
        action(
            "",
            url("evaluation_threshold_remove", pk=lambda w: w.threshold.pk),
            expect(403, roleless=404, security=302, admin=302),
            changes=("security", ADMIN),
        )
    ],
}
