"""The API's permission matrix vocabulary: who asks (each role of the page matrix with a session, and
service-account tokens of each scope, and a revoked one), and a case of one API route.

Each area keeps its cases in its own module (`tests/api/matrix_<area>.py`, a list named CASES); the test
in `test_api_matrix.py` collects them, checks that every route under /api/v1/ has at least one, and asks
each principal."""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.matrix_fixtures import ADMIN, ANONYMOUS, EXECUTIVE, OTHER_OWNER, OWNER, REVIEWER_ROLES, ROLELESS, World

TOKEN_READ = "token_read"
TOKEN_SUBMIT = "token_submit"
TOKEN_GATEWAY = "token_gateway"
TOKEN_REVOKED = "token_revoked"  # a read-and-submit token, revoked
TOKENS = (TOKEN_READ, TOKEN_SUBMIT, TOKEN_GATEWAY, TOKEN_REVOKED)
SESSIONS = (ANONYMOUS, OWNER, OTHER_OWNER, *REVIEWER_ROLES, EXECUTIVE, ADMIN, ROLELESS)
PRINCIPALS = (*SESSIONS, *TOKENS)
GROUPS = {
    "reviewers": REVIEWER_ROLES,
    "seers": (*REVIEWER_ROLES, EXECUTIVE, ADMIN),
    "portfolio": (EXECUTIVE, ADMIN),
    "people": (OWNER, OTHER_OWNER, *REVIEWER_ROLES, EXECUTIVE, ADMIN),
}


def api_expect(default, *, anonymous=401, roleless=None, revoked=401, **overrides) -> dict[str, int]:
    """Every principal gets `default` but those named (a group name names several; later names win).
    Nobody signed in gets 401 and so does a revoked token; a person with no role gets what `roleless`
    says (by default the same as `default`)."""
    table = dict.fromkeys(PRINCIPALS, default)
    table[ANONYMOUS] = anonymous
    table[TOKEN_REVOKED] = revoked
    if roleless is not None:
        table[ROLELESS] = roleless
    for name, value in overrides.items():
        for principal in GROUPS.get(name, (name,)):
            table[principal] = value
    return table


@dataclass(frozen=True)
class ApiCase:
    route: str  # the route's name, as `reverse` knows it
    method: str  # get, post, patch, put, delete
    url: Callable[[World], str]
    expect: dict[str, int]
    variant: str = ""
    data: Callable[[World], dict] | None = None  # a JSON body (multipart when it holds a file)
    multipart: bool = False
    changes: tuple[str, ...] = field(default=())  # principals whose request may change rows (permitted)
