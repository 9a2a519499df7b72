import pytest

from tests.approvals.workflow import reviewers
from tests.gateway.helpers import gateway_client


@pytest.fixture
def team(db):
    return reviewers()


@pytest.fixture
def gateway(db):
    """A LiteLLM proxy's API client: a service account with the gateway scope."""
    return gateway_client()
