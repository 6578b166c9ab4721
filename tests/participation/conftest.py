"""The governance world on both engines (see world.py)."""

from __future__ import annotations

import pytest
from tests.auth.world import build_world


@pytest.fixture
def world(engine) -> dict:
    return {**build_world(engine), "engine": engine}
