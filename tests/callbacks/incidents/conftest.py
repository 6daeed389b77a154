"""Fixtures of the incident callback tests: one app on the tiny district holding INCIDENTS."""

from __future__ import annotations

import pytest

from tests.auth_support import signed_in
from tests.callbacks.incident_support import incident_app, store_of


@pytest.fixture(scope="module")
def app(make_tiny_app):
    """Return a tiny app whose database holds the INCIDENTS of tests/incident_fixtures.py."""
    return incident_app(make_tiny_app)


@pytest.fixture()
def client(app):
    """Return a test client of the incident app."""
    return signed_in(app)


@pytest.fixture(scope="module")
def store(app):
    """Return the incident store of the incident app."""
    return store_of(app)
