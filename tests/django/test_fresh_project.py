"""A new user's five steps (fresh_project.py) with the package from the repository's sources."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as test_settings
from fresh_project import Project, five_steps

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    # Step 1 (the package is installed): importable from the repository.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    project = Project(tmp_path / "mysite", sys.executable, env, test_settings.TARGET)
    project.start()
    yield project
    project.clean_up()


def test_five_steps_in_a_fresh_project(project: Project):
    five_steps(project)
