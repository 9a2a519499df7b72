"""Who may do what in a review. Views, templates, the API and the services all ask these predicates."""

from dataclasses import dataclass

from approvals.models import ApprovalRequest, SignOff
from governance.models import UseCase
from governance.permissions import can_edit_use_case, can_view_use_case, has_object_perm, has_role
from governance.roles import FUNCTION_GROUP, Role


@dataclass(frozen=True)
class Verdict:
    """A yes, or a no with the reason to show the person asking."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


YES = Verdict(True)


def _involved(user, use_case: UseCase, round: ApprovalRequest | None = None) -> bool:
    ids = {use_case.business_owner_id, use_case.technical_owner_id, use_case.risk_owner_id, use_case.created_by_id}
    if round is not None:
        ids.add(round.submitted_by_id)
    return user.pk in ids


def can_sign(user, signoff: SignOff, *, signed_functions: set[str] | None = None) -> Verdict:
    """Whether `user` may decide `signoff` now.

    `signed_functions` — the functions this user already signed in the round — may be passed by a
    caller that has them at hand (a list page); otherwise it is read.
    """
    if not user.is_authenticated or not user.is_active:
        return Verdict(False, "Sign in to sign.")
    round = signoff.round
    if not round.is_open:
        return Verdict(False, f"This round is {round.get_status_display().lower()}: nothing more can be signed.")
    if not signoff.is_pending:
        return Verdict(False, f"The {signoff.get_function_display()} sign-off is already decided.")
    group = FUNCTION_GROUP.get(signoff.function)
    if group is None or not has_role(user, group):
        return Verdict(False, f"Only members of {group} can sign for {signoff.get_function_display()}.")
    if _involved(user, round.use_case, round):
        return Verdict(False, "Owners and the submitter of a use case cannot sign any of its sign-offs.")
    if signed_functions is None:
        signed_functions = set(
            SignOff.objects.filter(round_id=round.pk, signed_by=user).values_list("function", flat=True)
        )
    others = signed_functions - {signoff.function}
    if others:
        return Verdict(False, "You already signed for another function in this round; one person signs one function.")
    return YES


def can_submit(user, use_case: UseCase) -> Verdict:
    if not has_object_perm(user, "governance.change_usecase", use_case):
        return Verdict(False, "Only the owners of a use case can submit it.")
    if use_case.status not in UseCase.SUBMITTABLE_STATUSES:
        return Verdict(False, f"A use case that is {use_case.get_status_display().lower()} cannot be submitted.")
    return YES


def can_withdraw(user, use_case: UseCase) -> Verdict:
    if not has_object_perm(user, "governance.change_usecase", use_case):
        return Verdict(False, "Only the owners of a use case can withdraw it.")
    if use_case.status != UseCase.Status.IN_REVIEW:
        return Verdict(False, "Only a request in review can be withdrawn.")
    return YES


def can_revoke(user, use_case: UseCase) -> Verdict:
    if not (has_role(user, Role.EXECUTIVE) or user.pk == use_case.risk_owner_id):
        return Verdict(False, "Only an executive or the use case's risk owner can revoke an approval.")
    if use_case.status not in (*UseCase.APPROVED_STATUSES, UseCase.Status.SUSPENDED):
        return Verdict(False, "Only an approved or suspended approval can be revoked.")
    return YES


def can_view_round(user, round: ApprovalRequest) -> bool:
    return can_view_use_case(user, round.use_case) or has_object_perm(user, "approvals.view_approvalrequest", round)


def can_change_request(user, use_case: UseCase) -> bool:
    """Owners edit a request while it is editable, and an approved one (a material change re-opens review)."""
    return can_edit_use_case(user, use_case) or (
        use_case.is_approved and has_object_perm(user, "governance.change_usecase", use_case)
    )


def available_actions(user, use_case: UseCase, open_round: ApprovalRequest | None = None) -> dict[str, bool]:
    """Which buttons the use case page draws for `user`."""
    return {
        "edit": can_change_request(user, use_case),
        "submit": bool(can_submit(user, use_case)),
        "withdraw": bool(can_withdraw(user, use_case)),
        "revoke": bool(can_revoke(user, use_case)),
    }
