"""Who hears about what in a review, and the words they get. Every message goes through the outbox."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from approvals.models import ApprovalRequest
from approvals.notifications import notification_queue, site_link
from governance.models import UseCase
from governance.roles import FUNCTION_GROUP, Function


def named(use_case: UseCase) -> str:
    return f"{use_case.reference} \u201c{use_case.title}\u201d"


def _link(path: str) -> str:
    """The absolute address of a path of this site, for an e-mail (`SITE_URL`, which `make run` sets to the
    address it serves)."""
    return site_link(path)


def members_of(function: str):
    return get_user_model().objects.filter(groups__name=FUNCTION_GROUP[function], is_active=True).distinct()


def notify_function_members(round: ApprovalRequest, functions: list[str], *, withdrawn: bool = False) -> None:
    """Tell each function's members, but not the request's owners or submitter, who may not sign it."""
    use_case = round.use_case
    involved = {*(u.pk for u in owners_of(use_case)), use_case.created_by_id, round.submitted_by_id}
    signoffs = dict(round.signoffs.values_list("function", "pk"))
    for function in functions:
        label = Function(function).label
        if withdrawn:
            subject = f"{use_case.reference} withdrawn from review"
            body = f"{named(use_case)} was withdrawn by its owners. Nothing is needed from {label}."
            link = use_case.get_absolute_url()
        else:
            # The function's own sign-off of the round, where its members take it and decide.
            link = (
                reverse("review_sign", args=[signoffs[function]]) if function in signoffs else reverse("review_queue")
            )
            subject = f"{use_case.reference} needs the {label} sign-off"
            body = (
                f"Round {round.number} of {named(use_case)} is waiting for the {label} "
                f"sign-off.\n\nModel: {use_case.primary_model}\nReview it: {_link(link)}"
            )
        for user in members_of(function).exclude(pk__in=involved):
            notification_queue(recipient=user, subject=subject, body=body, link=link)


def owners_of(use_case: UseCase):
    return {use_case.business_owner, use_case.technical_owner, use_case.risk_owner}


def notify_owners(use_case: UseCase, round: ApprovalRequest, outcome: str) -> None:
    # The outcome may carry a reason someone typed; notification_queue makes the subject header-safe.
    subject = f"{use_case.reference} {outcome}"
    link = use_case.get_absolute_url()
    body = f"Round {round.number} of {named(use_case)}: {outcome}.\n\nDetails: {_link(link)}"
    for owner in owners_of(use_case):
        notification_queue(recipient=owner, subject=subject, body=body, link=link)


def notify_signoff_released(signoff, reason: str) -> None:
    """A sign-off went back to its function's queue without its holder asking (they lost the role, or their
    account was closed): its function's members, but not those who may not sign it, hear that it waits."""
    round = signoff.round
    use_case = round.use_case
    label = Function(signoff.function).label
    involved = {*(u.pk for u in owners_of(use_case)), use_case.created_by_id, round.submitted_by_id}
    link = reverse("review_sign", args=[signoff.pk])
    subject = f"{use_case.reference}: the {label} sign-off is back in your queue"
    body = (
        f"The {label} sign-off of round {round.number} of {named(use_case)} is waiting for someone to take it: "
        f"{reason}\n\nTake it: {_link(link)}"
    )
    for user in members_of(signoff.function).exclude(pk__in=involved):
        notification_queue(recipient=user, subject=subject, body=body, link=link)
