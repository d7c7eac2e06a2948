"""The source distribution of dist/: what it holds, and what `pip install` of it tells a user
whose machine lacks the toolchain. (`make wheel` builds the wheel from this sdist, which shows
that it builds where the toolchain exists.)"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

from fresh_virtualenv import PIP_TIMEOUT_S

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("librocksdb-dev", "libasio-dev", "liblz4-dev", "libsnappy-dev", "libgmp-dev",
            "libssl-dev")  # fmt: skip


def members(sdist: Path) -> set[str]:
    with tarfile.open(sdist) as archive:
        names = [m.name for m in archive.getmembers() if m.isfile()]
    top = names[0].split("/", 1)[0]
    return {name.removeprefix(f"{top}/") for name in names}


def repository_files(*folders: str) -> set[str]:
    return {
        str(path.relative_to(ROOT))
        for folder in folders
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_sdist_holds_the_package_and_the_engine_sources_and_nothing_else(sdist: Path):
    names = members(sdist)
    assert repository_files("django_cassandra_engine", "engine/src", "engine/cmake") <= names
    assert {"pyproject.toml", "README.md", "PKG-INFO", "engine/CMakeLists.txt"} <= names
    top_level = {name.split("/", 1)[0] for name in names}
    assert top_level == {"django_cassandra_engine", "engine", "pyproject.toml", "README.md",
                         "PKG-INFO", ".gitignore"}, top_level  # fmt: skip
    assert not {n for n in names if n.startswith(("engine/tests/", "engine/bench/"))}


def pip_wheel(sdist: Path, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """`pip wheel` of the sdist as a user's `pip install` runs it: an isolated build."""
    return subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path), str(sdist)],
        capture_output=True,
        text=True,
        timeout=PIP_TIMEOUT_S,
        env={**os.environ, **env},
    )


def test_pip_install_without_the_libraries_names_every_missing_package(sdist: Path, tmp_path: Path):
    # A machine without the -dev packages: CMake looks for libraries and headers in an empty
    # root only.
    (tmp_path / "empty-root").mkdir()
    cmake_args = [
        f"-DCMAKE_FIND_ROOT_PATH={tmp_path / 'empty-root'}",
        *(f"-DCMAKE_FIND_ROOT_PATH_MODE_{kind}=ONLY" for kind in ("LIBRARY", "INCLUDE", "PACKAGE")),
    ]
    result = pip_wheel(sdist, tmp_path, CMAKE_ARGS=" ".join(cmake_args))
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "cqld cannot be built: libraries it needs are missing." in output, output
    install_line = " ".join(output[output.index("sudo apt-get install") :].split())
    for package in PACKAGES:
        assert package in install_line, output


def test_pip_install_without_a_compiler_says_so(sdist: Path, tmp_path: Path):
    result = pip_wheel(sdist, tmp_path, CXX=str(tmp_path / "no-such-compiler"))
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "cqld needs a C++20 compiler and none was found." in output, output
    assert "build-essential" in output, output
