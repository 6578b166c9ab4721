"""Fixtures of the exchange tests: the partnership tests' small registry (both engines) and the
web tests' registry and client for pages."""

from __future__ import annotations

from tests.partnerships.conftest import (  # noqa: F401 (fixtures)
    api_client,
    api_token,
    auth_headers,
    gazetteer_any,
    gazetteer_engine,
    gazetteer_template,
    postgres_gazetteer_template,
    small_registry,
)
from tests.web.conftest import client, registry  # noqa: F401 (fixtures)
