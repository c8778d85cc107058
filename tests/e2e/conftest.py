"""Browser setup shared by the e2e tests: one Chromium per test module, and where artifacts go.

While Playwright's sync API is active, its event loop counts as running in this thread and
Django refuses ORM calls from it (SynchronousOnlyOperation). The tests' own ORM use stays
synchronous in this thread and the live server answers from another, so the `browser` fixture
allows it for as long as the browser is open.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.journey import CHROMIUM_ARGS, artifacts_dir

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    """One headless Chromium for the whole module; each test makes its own contexts."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with pytest.MonkeyPatch.context() as patch, playwright_api.sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def e2e_artifacts() -> Path:
    return artifacts_dir()
