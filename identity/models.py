"""Who people are to Clearance: the identity provider's account behind a person, and every change of role."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from governance.limits import NOTE, BoundedTextField


class ExternalIdentity(models.Model):
    """The account at the OpenID Connect provider that a person signs in with: its issuer and subject
    identify them (an e-mail address or a username may change; these do not)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identity")
    issuer = models.CharField(max_length=500)
    subject = models.CharField(max_length=255)
    groups = models.JSONField(default=list, blank=True, help_text="The provider's groups at the last sign-in.")
    first_signed_in_at = models.DateTimeField(default=timezone.now)
    last_signed_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "provider account"
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_unique")]

    def __str__(self):
        return f"{self.subject} at {self.issuer}"


class RoleChange(models.Model):
    """One change of what a person may do, kept for good: a role granted or revoked, or the person
    deactivated or reactivated. Written by the services only; never edited or deleted."""

    class Action(models.TextChoices):
        GRANTED = "granted", "Role granted"
        REVOKED = "revoked", "Role revoked"
        DEACTIVATED = "deactivated", "Deactivated"
        REACTIVATED = "reactivated", "Reactivated"

    class Source(models.TextChoices):
        PROVIDER = "provider", "Identity provider"
        LOCAL = "local", "Clearance"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_changes")
    action = models.CharField(max_length=12, choices=Action.choices)
    role = models.CharField(max_length=40, blank=True, help_text="The role group's name; blank for (de)activation.")
    source = models.CharField(max_length=10, choices=Source.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who made the change; empty when the identity provider's groups made it at sign-in.",
    )
    reason = BoundedTextField(max_length=NOTE)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"], name="rolechange_person")]

    def __str__(self):
        what = f"{self.get_action_display()}: {self.role}" if self.role else self.get_action_display()
        return f"{self.person} — {what}"
