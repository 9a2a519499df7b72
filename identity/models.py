"""Who people are to Clearance: the identity provider's account behind a person, and every change of role."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

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


class ServiceAccount(models.Model):
    """A machine that uses the API: a CI pipeline submitting requests, a gateway asking decisions, a
    reporting job reading the portfolio. It acts as its own user account (no password, no roles, never
    signs in to the pages), so every change it makes carries its name in the history and the events; what
    it may do is its scopes."""

    class Scope(models.TextChoices):
        READ = "read", "Read the portfolio (read-only)"
        SUBMIT = "submit", "Create, change and submit its own requests"
        GATEWAY = "gateway", "Ask runtime decisions (model gateways)"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="service_account")
    name = models.CharField(max_length=100, unique=True)
    description = BoundedTextField(max_length=NOTE, blank=True, help_text="What uses it, and who runs that.")
    scopes = models.JSONField(default=list, help_text="What its tokens may do: a list of scope values.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True, help_text="Set when it was switched off for good.")

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.deactivated_at is None

    def get_scopes_display(self) -> list[str]:
        return [self.Scope(scope).label for scope in self.Scope.values if scope in self.scopes]


class ApiToken(models.Model):
    """A bearer token of a service account. Only a SHA-256 digest of it is kept (the token itself is
    shown once, when it is issued); its first characters stay readable so people can tell tokens apart."""

    service_account = models.ForeignKey(ServiceAccount, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=100, help_text="Where it is used, e.g. 'CI pipeline, production'.")
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.prefix}… ({self.name})"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
