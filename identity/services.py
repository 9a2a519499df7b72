"""People and their roles."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from identity.models import RoleChange


@transaction.atomic
def roles_sync_from_provider(*, person, groups: list[str], provider: str) -> list[RoleChange]:
    mapping = settings.CLEARANCE_OIDC_ROLE_MAP
    managed = set(mapping.values())
    target = {mapping[g] for g in groups if g in mapping}
    held = set(person.groups.filter(name__in=managed).values_list("name", flat=True))
    changes = []
    for role in sorted(target - held):
        person.groups.add(Group.objects.get(name=role))
        changes.append(
            RoleChange.objects.create(
                person=person,
                action=RoleChange.Action.GRANTED,
                role=role,
                source=RoleChange.Source.PROVIDER,
                reason=f"At sign-in through {provider}",
            )
        )
    for role in sorted(held - target):
        person.groups.remove(Group.objects.get(name=role))
        changes.append(
            RoleChange.objects.create(
                person=person,
                action=RoleChange.Action.REVOKED,
                role=role,
                source=RoleChange.Source.PROVIDER,
                reason=f"At sign-in through {provider}",
            )
        )
    return changes
