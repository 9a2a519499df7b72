"""The permission matrix's vocabulary: what each role gets (`expect`, `everyone`, `on_use_case`), a case
of a route (`Case`), and the ways to write one (`read_only`, `action`, `url`, `ref`)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.matrix_fixtures import ADMIN, ANONYMOUS, EXECUTIVE, OWNER, REVIEWER_ROLES, ROLES, World

LOGIN = "302 to the login page"
ADMIN_LOGIN = "302 to the admin login page"
STATES = ("draft", "review", "returned", "approved")
EDITABLE = ("draft", "returned")  # the owner may still change these
# Who sees a use case that has been submitted at least once. A never-submitted draft is its owner's alone.
SEES_SUBMITTED = (OWNER, *REVIEWER_ROLES, EXECUTIVE, ADMIN)
# Who takes part in a submitted use case's discussion besides its owner: the routed functions and admins.
DISCUSSANTS = ("legal", "privacy", "security", "procurement", ADMIN)
GROUPS = {"reviewers": REVIEWER_ROLES, "seers": (*REVIEWER_ROLES, EXECUTIVE, ADMIN), "portfolio": (EXECUTIVE, ADMIN)}


def expect(default, *, anonymous=LOGIN, **overrides) -> dict[str, object]:
    """Every role gets `default` (anonymous: the login page) but those named; a group name (reviewers,
    seers, portfolio) names several roles. Later names win."""
    table = dict.fromkeys(ROLES, default)
    table[ANONYMOUS] = anonymous
    for name, value in overrides.items():
        for role in GROUPS.get(name, (name,)):
            table[role] = value
    return table


def everyone(status) -> dict[str, object]:
    return expect(status, anonymous=status)


def on_use_case(state: str, *, owner, seers) -> dict[str, object]:
    """A page about one use case: outsiders get 404; reviewers, executives and admins see it only once
    it has been submitted."""
    table = expect(404, owner=owner)
    if state != "draft":
        table.update(expect(404, owner=owner, seers=seers))
    return table


@dataclass(frozen=True)
class Case:
    variant: str
    url: Callable[[World], str]
    get: dict[str, object] | None
    post: dict[str, object] | None
    # Bound forms: an empty POST would leave `Form(request.POST or None)` unbound and merely re-shown.
    data: Callable[[World], dict] = field(default=lambda world: {"matrix": "1"})
    changes: tuple[str, ...] = ()  # roles whose POST may change rows (a permitted action)


def url(name: str, **kwargs: Callable[[World], object]) -> Callable[[World], str]:
    return lambda world: reverse(name, kwargs={key: value(world) for key, value in kwargs.items()})


def ref(state: str) -> Callable[[World], str]:
    return lambda world: world.use_case(state).reference


def read_only(name: str, table: dict, **kwargs) -> list[Case]:
    """A page that only reads: GET as the table says, POST refused before anything else."""
    return [Case("", url(name, **kwargs), table, everyone(405))]


def action(variant: str, target: Callable[[World], str], table: dict, **options) -> Case:
    """A state change: GET refused for everyone, POST as the table says."""
    return Case(variant, target, everyone(405), table, **options)


def a_file(world: World) -> dict:
    return {"file": SimpleUploadedFile("matrix.txt", b"evidence from the permission matrix")}
