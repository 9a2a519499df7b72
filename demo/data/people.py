"""The demo's people: one per role, and who signs for each function."""

from dataclasses import dataclass
from pathlib import Path

from governance.roles import Function, Role

MODEL_FACTS_CSV = Path(__file__).resolve().parent.parent / "model_facts.csv"

# Every demo user gets this password. It is printed by the command; the command refuses to run
# with DEBUG off unless forced, so a production database does not silently get known logins.
DEMO_PASSWORD = "clearance-demo"


@dataclass(frozen=True, kw_only=True)
class DemoUser:
    username: str
    role: Role
    first_name: str
    last_name: str
    is_staff: bool = False

    @property
    def email(self) -> str:
        return f"{self.username}@example.com"


USERS: tuple[DemoUser, ...] = (
    DemoUser(username="owner", role=Role.BUSINESS_OWNER, first_name="Maria", last_name="Keller"),
    # A second business owner, to show that owners see only their own requests.
    # Korean names put the family name first; one field keeps that order wherever the full name shows.
    DemoUser(username="owner2", role=Role.BUSINESS_OWNER, first_name="김지수", last_name=""),
    DemoUser(username="legal", role=Role.LEGAL, first_name="Daniel", last_name="Okafor"),
    DemoUser(username="privacy", role=Role.PRIVACY, first_name="Ирина", last_name="Соколова"),
    DemoUser(username="security", role=Role.SECURITY, first_name="Tomás", last_name="Herrera"),
    DemoUser(username="procurement", role=Role.PROCUREMENT, first_name="Aiko", last_name="Tanaka"),
    DemoUser(username="compliance", role=Role.COMPLIANCE, first_name="Hannah", last_name="Schmidt"),
    DemoUser(username="executive", role=Role.EXECUTIVE, first_name="Robert", last_name="Chen"),
    # Staff so that the Django admin opens; the group's permissions decide what it may change.
    DemoUser(username="admin", role=Role.ADMIN, first_name="Samuel", last_name="Mensah", is_staff=True),
)

# The demo user who signs for each reviewing function, and answers its checklist items. None of them
# owns a use case: separation of duties.
SIGNER_USERNAME: dict[Function, str] = {
    Function.LEGAL: "legal",
    Function.PRIVACY: "privacy",
    Function.SECURITY: "security",
    Function.PROCUREMENT: "procurement",
    Function.COMPLIANCE: "compliance",
    Function.EXECUTIVE: "executive",
}
# The functions that own checklist items and sign every request.
CHECKLIST_REVIEWERS = (Function.LEGAL, Function.PRIVACY, Function.SECURITY, Function.PROCUREMENT)
