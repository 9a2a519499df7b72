"""Reading people for the pages: the list, a person's roles and what they hold."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count, Prefetch, Q, QuerySet

from approvals.models import ApprovalRequest, SignOff
from approvals.notify import members_of
from governance.roles import Function, Role
from identity.models import RoleChange
from identity.services import role_is_provider_managed

User = get_user_model()

SEARCH_WORDS = 8  # more words than a name and an address: the rest are ignored


def people_listed(*, q: str = "", role: str = "", status: str = "") -> QuerySet:
    """Everyone, with their roles and provider account read along (a constant number of queries for a
    page), narrowed by a search of names, usernames and addresses (every word must match), a role and
    whether their account is active."""
    # Service accounts are machines with their own pages, not people.
    people = (
        User.objects.filter(service_account__isnull=True)
        .select_related("external_identity")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
    )
    for word in (q or "").split()[:SEARCH_WORDS]:
        people = people.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    if role == "none":
        people = people.filter(groups__isnull=True)
    elif role:
        people = people.filter(groups__name=role)
    if status in ("active", "inactive"):
        people = people.filter(is_active=status == "active")
    return people.order_by("username", "pk")


@dataclass(frozen=True)
class HeldRole:
    name: str
    provider_managed: bool


def roles_of(person) -> list[HeldRole]:
    """`person`'s roles (from prefetched groups), each marked as the identity provider's or Clearance's."""
    return [HeldRole(group.name, role_is_provider_managed(person, group.name)) for group in person.groups.all()]


@dataclass(frozen=True)
class RoleRow:
    role: str
    held: bool
    provider_managed: bool


def role_rows(person) -> list[RoleRow]:
    """Every role, in the order of `Role`, with whether `person` holds it and who manages it for them."""
    held = set(person.groups.values_list("name", flat=True))
    return [RoleRow(role.value, role.value in held, role_is_provider_managed(person, role.value)) for role in Role]


def held_signoffs(person) -> list[SignOff]:
    """The pending sign-offs of open rounds that `person` holds now."""
    return list(
        SignOff.objects.filter(
            assignee=person, decision=SignOff.Decision.PENDING, round__status=ApprovalRequest.Status.IN_REVIEW
        )
        .select_related("round__use_case")
        .order_by("round__use_case__reference", "function")
    )


NAMED_MEMBERS = 10  # named on the confirmation page; the others are counted


@dataclass(frozen=True)
class QueueReturn:
    """Sign-offs of one function that go back to its queue, and the members who are told."""

    function: str
    label: str
    signoffs: list[SignOff]
    members: list
    members_count: int

    @property
    def members_unnamed(self) -> int:
        return self.members_count - len(self.members)


def release_preview(person, signoffs: list[SignOff]) -> list[QueueReturn]:
    """What releasing `signoffs` does, function by function: how many go back and who hears of it (the
    function's other active members; the owners of a request are not told of its sign-off, as they may
    not sign it)."""
    by_function: dict[str, list[SignOff]] = {}
    for signoff in signoffs:
        by_function.setdefault(signoff.function, []).append(signoff)
    returns = []
    for function, rows in sorted(by_function.items()):
        members = members_of(function).exclude(pk=person.pk).order_by("username")
        returns.append(
            QueueReturn(function, Function(function).label, rows, list(members[:NAMED_MEMBERS]), members.count())
        )
    return returns


def role_history(person, *, limit: int = 100) -> list[RoleChange]:
    return list(person.role_changes.select_related("actor").order_by("-at", "-id")[:limit])


def is_lead(person) -> bool:
    return person.user_permissions.filter(codename="lead_signoffs", content_type__app_label="approvals").exists()


def admin_count() -> int:
    return User.objects.filter(groups__name=Role.ADMIN, is_active=True).aggregate(n=Count("pk", distinct=True))["n"]


def access_contacts(limit: int = 10) -> list:
    """The active governance admins a person without a role can ask, by name."""
    return list(
        User.objects.filter(groups__name=Role.ADMIN, is_active=True)
        .order_by("last_name", "first_name", "username")
        .only("username", "first_name", "last_name", "email")[:limit]
    )
