"""The distributions `make wheel` and `make sdist` put in dist/, and a fresh virtualenv that
holds the wheel and nothing of this repository."""

from __future__ import annotations

import os
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
# The five steps of a new project live beside the Django suite, which also runs them.
sys.path.insert(0, str(ROOT / "tests" / "django"))

from fresh_virtualenv import Virtualenv  # noqa: E402


def _one(pattern: str, variable: str) -> Path:
    if os.environ.get(variable):
        return Path(os.environ[variable])
    found = sorted(DIST.glob(pattern))
    if len(found) != 1:
        pytest.fail(f"expected one {pattern} in {DIST}, found {found}: run `make wheel`")
    return found[0]


@pytest.fixture(scope="session")
def wheel() -> Path:
    """The repaired wheel (DCE_WHEEL, else the one in dist/)."""
    return _one("django_cassandra_engine-*.whl", "DCE_WHEEL")


@pytest.fixture(scope="session")
def sdist() -> Path:
    """The source distribution (DCE_SDIST, else the one in dist/)."""
    return _one("django_cassandra_engine-*.tar.gz", "DCE_SDIST")


@pytest.fixture(scope="session")
def wheel_cqld(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """cqld as unpacked from the wheel, with the mode bits the wheel records."""
    directory = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(wheel) as archive:
        info = archive.getinfo("django_cassandra_engine/bin/cqld")
        path = Path(archive.extract(info, directory))
        path.chmod(info.external_attr >> 16)
    return path


@pytest.fixture(scope="module")
def virtualenv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtualenv]:
    """A new virtualenv with only the wheel and what the wheel declares."""
    venv = Virtualenv.create(tmp_path_factory.mktemp("venv"))
    venv.pip_install(str(wheel))
    yield venv
