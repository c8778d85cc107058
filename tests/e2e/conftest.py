"""Where the e2e tests leave their artifacts (the `browser` fixture is in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.journey import artifacts_dir

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def e2e_artifacts() -> Path:
    return artifacts_dir()
