"""Every review event of a subscribed type becomes deliveries, in the transaction that records it."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from approvals.models import ApprovalEvent


@receiver(post_save, sender=ApprovalEvent, dispatch_uid="webhooks.event_recorded")
def event_recorded(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from webhooks.outbox import deliveries_enqueue

        deliveries_enqueue(event=instance)
