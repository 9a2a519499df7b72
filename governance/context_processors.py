from governance.permissions import has_role
from governance.roles import REVIEWER_ROLES, Role


def roles(request):
    """What the navigation needs to know about the signed-in user's roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "is_business_owner": has_role(user, Role.BUSINESS_OWNER),
        "is_reviewer": has_role(user, *REVIEWER_ROLES),
        "is_executive": has_role(user, Role.EXECUTIVE),
        "is_governance_admin": has_role(user, Role.ADMIN),
    }
