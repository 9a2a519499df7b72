"""Review rounds and what they produce. For now: the outbox of notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Notification(models.Model):
    """An e-mail to send, kept in the database first.

    The row is written in the same transaction as the decision that causes it, so a broker that is
    down when the decision commits loses nothing: the delivery task is queued on commit, and a
    periodic sweep sends whatever is still unsent.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="notification_unsent")]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"
