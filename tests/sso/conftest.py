"""The single sign-on tests' provider: one per test module, pointed at by the settings in each test."""

import pytest

from tests.sso.provider import APP, Provider


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    running = Provider(tmp_path_factory.mktemp("provider"), [APP])
    yield running
    running.stop()


@pytest.fixture
def sso(provider, settings):
    provider.settings(settings)
    provider.accounts.clear()
    return provider
