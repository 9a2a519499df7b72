import os

import pytest

from governance.roles import Role
from tests.factories import UseCaseFactory, UserFactory


@pytest.fixture
def alice(db):
    """A business owner; owns `use_case`."""
    return UserFactory(username="alice", roles=[Role.BUSINESS_OWNER])


@pytest.fixture
def bob(db):
    """A security reviewer: sees every use case, owns none."""
    return UserFactory(username="bob", roles=[Role.SECURITY])


@pytest.fixture
def charlie(db):
    """Another business owner, with no access to alice's use cases."""
    return UserFactory(username="charlie", roles=[Role.BUSINESS_OWNER])


@pytest.fixture
def governance_admin(db):
    return UserFactory(username="gina", roles=[Role.ADMIN], is_staff=True)


@pytest.fixture
def use_case(alice):
    return UseCaseFactory(user=alice)


def pytest_collection_modifyitems(config, items):
    """Broker tests need REDIS_URL. Without it they skip, unless CI says the broker must be there."""
    from django.conf import settings

    if settings.REDIS_URL:
        return
    if os.environ.get("CLEARANCE_REQUIRE_BROKER") == "1":
        raise pytest.UsageError("CLEARANCE_REQUIRE_BROKER=1 but REDIS_URL is not set: the broker tests cannot run.")
    skip = pytest.mark.skip(reason="needs REDIS_URL (runs in the PostgreSQL + Redis leg of CI)")
    for item in items:
        if "broker" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def celery_eager():
    """Run queued tasks in-process for this test, on either leg, so it can assert their effects directly."""
    from config.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def team(db):
    """One reviewer per function: lena (legal), pia (privacy), bob (security), pedro (procurement),
    cora (compliance) and erin (executive), keyed by function."""
    from tests.approvals.workflow import reviewers

    return reviewers()


@pytest.fixture(autouse=True)
def reference_data_for_transactional_tests(request):
    """A test that commits (a live server, a worker, two connections) starts from the data migrations' rows:
    an earlier transactional test's flush may have taken them away (tests/reference_data.py says why)."""
    marker = request.node.get_closest_marker("django_db")
    committing = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not committing:
        return
    from tests.reference_data import load_reference_data

    request.getfixturevalue("transactional_db")
    load_reference_data()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Cheap password hashing in every test: the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def broker_backoff_reset():
    """Each test starts with the broker presumed up (a broker-down test must not leak its backoff)."""
    from approvals import notifications

    notifications._broker_down_until = 0.0
    yield
    notifications._broker_down_until = 0.0


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached: a figure cached by another test's database must not be read."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Files a test stores (evidence, records, exports) go to a temporary folder, never ./media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def render_in_request(settings):
    """Renders run where they are queued, so a test reads the record right after the decision (the
    embedded default renders them on a background thread; tests/approvals/test_background_renders.py
    covers that)."""
    settings.CLEARANCE_RENDER_IN_BACKGROUND = False
