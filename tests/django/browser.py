"""A real browser for tests: Debian's Chromium (tools/install-deps.sh installs it) driven by
Playwright from PyPI. Playwright's own browser downloads are never used (`playwright install`
is not needed); each launch gets a fresh profile, so no state carries between tests.

Tests use the ``browser`` fixture (conftest.py); ``@pytest.mark.browser(**options)`` passes
Playwright context options, e.g. ``timezone_id="Asia/Tokyo"`` or ``viewport={...}``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
DEFAULT_TIMEOUT_MS = 20_000


@contextmanager
def chromium(**context_options: Any) -> Iterator[Any]:
    """A Playwright BrowserContext in a headless Chromium with a new, temporary profile."""
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        raise RuntimeError(f"{CHROMIUM} not found: run tools/install-deps.sh (Debian's chromium)")
    options = {"viewport": {"width": 1100, "height": 800}, **context_options}
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, **options
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        try:
            yield context
        finally:
            context.close()
