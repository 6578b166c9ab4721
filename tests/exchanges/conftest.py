"""Fixtures of the exchange tests: the partnerships tests' small registry, on both engines."""

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
