"""The Django backend's suite: pytest-django on the test project in testproject/.

One CQL target per run (see testproject/settings.py); `make django-test` runs the suite once
per target in CQL_TARGETS.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PENDING_FILE = Path(__file__).with_name("cqld-pending.txt")


def cqld_binary() -> str | None:
    for candidate in (
        os.environ.get("CQLD"),
        os.environ.get("CQLD_BINARY"),
        str(ROOT / ".venv" / "bin" / "cqld"),
        shutil.which("cqld"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def pytest_configure(config: pytest.Config) -> None:
    binary = cqld_binary()
    if binary:
        os.environ.setdefault("CQLD_BINARY", binary)
    if settings.TARGET == "cqld" and not binary:
        raise pytest.UsageError(
            "CQL_TARGET=cqld needs the cqld binary: run `make build` or set CQLD"
        )


def _pending_on_cqld() -> dict[str, str]:
    """Tests cqld does not pass yet, with the reason (tests/django/cqld-pending.txt)."""
    pending = {}
    if PENDING_FILE.exists():
        for line in PENDING_FILE.read_text().splitlines():
            line = line.split("#", 1)[0].strip() if line.startswith("#") else line.strip()
            if line:
                test_id, _, reason = line.partition(" ")
                pending[test_id] = reason.strip() or "pending on cqld"
    return pending


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if settings.TARGET != "cqld":
        return
    pending = _pending_on_cqld()
    for item in items:
        reason = pending.get(item.nodeid) or pending.get(item.nodeid.split("[")[0])
        if reason:
            # Reported as xfail/xpass in the summary, never silently skipped.
            item.add_marker(pytest.mark.xfail(reason=f"cqld: {reason}", strict=False))


@pytest.fixture
def python() -> str:
    return sys.executable


@pytest.fixture
def staff(client):
    """The test client logged in as a superuser (stored in the SQLite database)."""
    from django.contrib.auth.models import User

    user = User.objects.db_manager("sql").create_superuser("admin", "a@example.com", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def browser(request: pytest.FixtureRequest):
    """A headless Chromium (Playwright BrowserContext, see browser.py); context options from
    ``@pytest.mark.browser(...)``."""
    from browser import chromium

    marker = request.node.get_closest_marker("browser")
    with chromium(**(marker.kwargs if marker else {})) as context:
        yield context
