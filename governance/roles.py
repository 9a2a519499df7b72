"""The roles people hold in Clearance, as Django groups, and the review functions they sign for."""

from django.db import models


class Function(models.TextChoices):
    """A function that owns checklist items or signs a review round."""

    BUSINESS = "business", "Governance / business"
    LEGAL = "legal", "Legal"
    PRIVACY = "privacy", "Privacy"
    SECURITY = "security", "Security"
    PROCUREMENT = "procurement", "Procurement"
    COMPLIANCE = "compliance", "Compliance"
    EXECUTIVE = "executive", "Executive"


class Role(models.TextChoices):
    """Group names. The value is the group's name in the database."""

    BUSINESS_OWNER = "Business owners"
    LEGAL = "Legal reviewers"
    PRIVACY = "Privacy reviewers"
    SECURITY = "Security reviewers"
    PROCUREMENT = "Procurement reviewers"
    COMPLIANCE = "Compliance reviewers"
    EXECUTIVE = "Executives"
    ADMIN = "Governance admins"


# Each role by a short key, as the identity provider's group mapping names it (CLEARANCE_OIDC_ROLE_MAP).
ROLE_KEYS = {
    "business_owner": Role.BUSINESS_OWNER.value,
    "legal": Role.LEGAL.value,
    "privacy": Role.PRIVACY.value,
    "security": Role.SECURITY.value,
    "procurement": Role.PROCUREMENT.value,
    "compliance": Role.COMPLIANCE.value,
    "executive": Role.EXECUTIVE.value,
    "admin": Role.ADMIN.value,
}

# The group whose members may sign for each reviewing function.
FUNCTION_GROUP = {
    Function.LEGAL: Role.LEGAL,
    Function.PRIVACY: Role.PRIVACY,
    Function.SECURITY: Role.SECURITY,
    Function.PROCUREMENT: Role.PROCUREMENT,
    Function.COMPLIANCE: Role.COMPLIANCE,
    Function.EXECUTIVE: Role.EXECUTIVE,
}

REVIEWER_ROLES = (Role.LEGAL, Role.PRIVACY, Role.SECURITY, Role.PROCUREMENT, Role.COMPLIANCE)

_VIEW_REGISTRY = [
    "governance.view_vendor",
    "governance.view_aimodel",
    "governance.view_datacategory",
    "checklist.view_checklisttemplate",
    "checklist.view_checklistsection",
    "checklist.view_checklistitem",
    "checklist.view_frameworkreference",
]
_SEE_ALL_USE_CASES = [
    "governance.view_usecase",
    "governance.view_risk",
    "checklist.view_answer",
    "checklist.view_evidence",
]
_ADMIN_EDITS = [
    f"{app}.{verb}_{model}"
    for app, model in [
        ("governance", "vendor"),
        ("governance", "aimodel"),
        ("governance", "datacategory"),
        ("checklist", "checklisttemplate"),
        ("checklist", "checklistsection"),
        ("checklist", "checklistitem"),
        ("checklist", "frameworkreference"),
        # How model gateways name applications and models (the runtime decision reads them).
        ("gateway", "applicationalias"),
        ("gateway", "modelidentifier"),
        # What harnesses' tests measure, and the prices that turn token usage into cost.
        ("evaluations", "failuremodemapping"),
        ("evaluations", "modelprice"),
    ]
    for verb in ("add", "change", "delete")
]

# Sign-in lockouts (django-axes): governance admins see the attempts and failures and unlock an account or
# address by deleting its access attempt in the admin. The access log is read-only.
_UNLOCK_SIGN_IN = [
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "axes.view_accessfailurelog",
    "axes.view_accesslog",
]

# Model-level permissions each group holds. Per-object rights (the owners of one use case) are
# guardian grants, made by the services, not listed here.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.BUSINESS_OWNER: [*_VIEW_REGISTRY, "governance.add_usecase"],
    **{role: [*_VIEW_REGISTRY, *_SEE_ALL_USE_CASES] for role in REVIEWER_ROLES},
    Role.EXECUTIVE: [*_VIEW_REGISTRY, *_SEE_ALL_USE_CASES],
    Role.ADMIN: [
        *_VIEW_REGISTRY,
        *_SEE_ALL_USE_CASES,
        *_ADMIN_EDITS,
        "approvals.view_notification",
        "approvals.view_approvalrequest",
        "approvals.view_signoff",
        "approvals.view_approvalevent",
        "approvals.view_approvalrecord",
        "reports.view_reportexport",
        "approvals.view_recordrender",
        *_UNLOCK_SIGN_IN,
        # People and sign-in: they read the provider accounts and the history of roles in the admin, and
        # change roles on the people pages (identity.services), never in the admin.
        "identity.view_externalidentity",
        "identity.view_rolechange",
        # Service accounts and their tokens: read in the admin, changed on their pages only.
        "identity.view_serviceaccount",
        "identity.view_apitoken",
        # Evaluation evidence and thresholds: read in the admin, changed on their pages only.
        "evaluations.view_evaluationrun",
        "evaluations.view_evaluationresult",
        "evaluations.view_evaluationthreshold",
    ],
}


def _create_permissions(apps) -> None:
    """Django creates permissions after all migrations; a data migration needs its models' ones now."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # Historical app configs have no models module; create_permissions only asks that it is set.
        saved = getattr(app_config, "models_module", None)
        app_config.models_module = saved or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = saved


def _permissions(apps, names: list[str]) -> list:
    Permission = apps.get_model("auth", "Permission")
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def sync_role_groups(apps, role_permissions: dict[str, list[str]]) -> None:
    """Create the role groups and give each exactly the permissions named.

    Called by the first roles migration with the historical app registry and a frozen copy of the
    mapping; later migrations add their delta with `grant_role_permissions`. A test checks the database
    against ROLE_PERMISSIONS above.
    """
    _create_permissions(apps)
    Group = apps.get_model("auth", "Group")
    for role, perm_names in role_permissions.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions(apps, perm_names))


def grant_role_permissions(apps, additions: dict[str, list[str]]) -> None:
    """Add permissions to existing role groups: a later migration's change, written as the delta only."""
    _create_permissions(apps)
    Group = apps.get_model("auth", "Group")
    for role, perm_names in additions.items():
        Group.objects.get(name=role).permissions.add(*_permissions(apps, perm_names))
