import pytest

from governance.roles import Role
from tests.factories import UserFactory
from tests.webhooks.receiver import Receiver
from webhooks.services import endpoint_create


@pytest.fixture
def gina(db):
    """The governance admin who manages the webhooks."""
    return UserFactory(username="gina", first_name="Gina", roles=[Role.ADMIN], is_staff=True)


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


@pytest.fixture
def endpoint_for(gina, receiver):
    """An endpoint at the receiver for the given event types; the receiver checks with its secret."""

    def make(*event_types: str, url: str | None = None):
        endpoint, secret = endpoint_create(
            user=gina, url=url or receiver.url, event_types=list(event_types or ["submitted"]), description="Tests"
        )
        receiver.secret = secret
        return endpoint

    return make
