"""The demo (`make run`) names its models and requests as a gateway would, so the decision can be tried at once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from demo import data
from gateway.models import ApplicationAlias, ModelIdentifier
from gateway.selectors import gateway_decision
from governance.models import UseCase

pytestmark = pytest.mark.django_db

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHER)
def test_the_demo_names_its_models_and_requests_for_gateways():
    call_command("seed_demo", stdout=StringIO())
    assert ModelIdentifier.objects.get(name="deepseek-chat").ai_model.name == "DeepSeek-V3"
    demo = UseCase.objects.filter(title__in=[spec.title for spec in data.USE_CASES])
    assert not demo.filter(gateway_aliases=None).exists()
    writing = ApplicationAlias.objects.get(alias="internal-writing-and-summarising-assistant").use_case
    assert writing.status == UseCase.Status.APPROVED
    answer = gateway_decision(application="internal-writing-and-summarising-assistant", model="claude-sonnet-4-5")
    assert answer["decision"] == "allow", answer["reason"]
    assert answer["fallbacks"] == ["gemini-2.5-pro", "gpt-4o"]
    # seeding again adds nothing
    aliases, identifiers = ApplicationAlias.objects.count(), ModelIdentifier.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert (ApplicationAlias.objects.count(), ModelIdentifier.objects.count()) == (aliases, identifiers)
