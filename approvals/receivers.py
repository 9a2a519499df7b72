"""Reactions to the registry: a change that undermines approvals suspends them, and re-routes the rounds in
review that were routed on the old facts, in the background."""

from django.db import transaction
from django.dispatch import receiver

from governance.models import AIModel, Vendor
from governance.signals import registry_changed


@receiver(registry_changed, dispatch_uid="approvals.registry_changed")
def suspend_dependent_approvals(sender, instance, changed, user=None, **kwargs):
    from approvals.notifications import enqueue_safely
    from approvals.tasks import suspend_dependents

    if isinstance(instance, AIModel):
        reason = f"{instance.name}: {', '.join(changed)} changed"
        kwargs = {"model_id": instance.pk, "reason": reason}
    elif isinstance(instance, Vendor):
        # Every change of status, not only to restricted: rounds in review were routed on the old one.
        reason = f"Vendor {instance.name} is now {instance.get_sanctions_status_display().lower()}"
        kwargs = {"vendor_id": instance.pk, "reason": reason}
    else:
        return
    transaction.on_commit(lambda: enqueue_safely(suspend_dependents, **kwargs))
