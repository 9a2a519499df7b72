"""What the people tests build on: gina and greta, two governance admins; a reviewer who holds sign-offs of
open rounds; a provider account behind a person."""

from approvals.models import Notification
from approvals.services import signoff_assign
from governance.roles import Role
from identity.models import ExternalIdentity
from tests.approvals.workflow import complete_use_case, person, submit

ISSUER = "https://id.example.com"


def admins():
    return person("gina", Role.ADMIN, is_staff=True), person("greta", Role.ADMIN)


def take(round, function: str, user):
    """`user` takes the round's sign-off of `function`."""
    return signoff_assign(signoff=round.signoffs.get(function=function), user=user, assignee=user)


def rounds_held_by(owner, function: str, reviewer, count: int = 2):
    """`count` open rounds of `owner`'s requests whose `function` sign-off `reviewer` holds."""
    rounds = []
    for n in range(count):
        round = submit(complete_use_case(owner, title=f"Held {n}"))
        take(round, function, reviewer)
        rounds.append(round)
    return rounds


def provider_account(user, groups=()):
    return ExternalIdentity.objects.create(
        user=user, issuer=ISSUER, subject=f"sub-{user.username}", groups=list(groups)
    )


def notified(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("pk"))
