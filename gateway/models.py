"""How a model gateway names what Clearance governs: the calling application (a key, team or app alias that
stands for a use case) and the model it asks for (the gateway's model name that stands for a registry model).

Both are reference data kept by governance admins; the decision endpoint reads them on every call."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from governance.models import AIModel, UseCase

NAME_MAX = 200


class ApplicationAlias(models.Model):
    """A name the gateway knows a calling application by (its API key alias, team alias or any app id),
    standing for one use case. A use case's reference is always a name for it too, without an alias."""

    alias = models.CharField(
        max_length=NAME_MAX,
        unique=True,
        help_text="Exactly as the gateway sends it (case matters), e.g. the key alias or team alias.",
    )
    use_case = models.ForeignKey(UseCase, on_delete=models.PROTECT, related_name="gateway_aliases")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["alias"]
        verbose_name = "application alias"
        verbose_name_plural = "application aliases"
        constraints = [models.CheckConstraint(condition=~models.Q(alias=""), name="applicationalias_alias_given")]

    def __str__(self):
        return self.alias


class ModelIdentifier(models.Model):
    """A model name as gateways call it ("deepseek-chat", "openai/gpt-4o-mini"), standing for one registry
    model. A model's exact version identifier also names it, without an entry."""

    name = models.CharField(
        max_length=NAME_MAX, help_text="The model name a gateway sends; matched without regard to case."
    )
    ai_model = models.ForeignKey(AIModel, on_delete=models.PROTECT, related_name="gateway_identifiers")
    litellm_model = models.CharField(
        "LiteLLM model",
        max_length=NAME_MAX,
        blank=True,
        help_text='What the LiteLLM config export puts in litellm_params.model, e.g. "deepseek/deepseek-chat". '
        "Empty: the name itself.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "model identifier"
        constraints = [
            models.UniqueConstraint(Lower("name"), name="modelidentifier_unique_name_ci"),
            models.CheckConstraint(condition=~models.Q(name=""), name="modelidentifier_name_given"),
        ]

    def __str__(self):
        return self.name

    @property
    def litellm_params_model(self) -> str:
        return self.litellm_model or self.name
