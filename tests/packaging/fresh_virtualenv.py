"""A new virtualenv whose commands run as a user's would: with the virtualenv's and the
system's bin directories on PATH, and nothing of this repository or its build tree."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

PIP_TIMEOUT_S = 900  # bounds a hung install; not a speed expectation
SYSTEM_BIN = ("/usr/local/bin", "/usr/bin", "/bin")


@dataclass(frozen=True)
class Virtualenv:
    directory: Path
    python: str
    # The environment of a user's commands: the virtualenv's bin and the system's on PATH;
    # no PYTHONPATH, no CQLD_BINARY, nothing of this repository.
    env: dict[str, str]

    @classmethod
    def create(cls, directory: Path) -> Virtualenv:
        """A virtualenv without system site-packages, from the interpreter running the tests."""
        base_python = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base_python, "-m", "venv", str(directory)], check=True)
        bin_dir = Path(sysconfig.get_path("scripts", vars={"base": str(directory)}))
        path = [str(bin_dir), *(p for p in SYSTEM_BIN if Path(p).is_dir())]
        env = {
            "PATH": os.pathsep.join(path),
            "HOME": os.environ.get("HOME", str(directory)),
            "LANG": "C.UTF-8",
            "VIRTUAL_ENV": str(directory),
        }
        return cls(directory, str(bin_dir / "python"), env)

    def pip_install(self, *requirements: str) -> None:
        # pip itself may need this machine's registry settings (PIP_*), so it runs with them.
        subprocess.run(
            [self.python, "-m", "pip", "install", "--quiet", *requirements],
            check=True,
            timeout=PIP_TIMEOUT_S,
            env={**os.environ, "PATH": self.env["PATH"]},
        )

    def run_python(self, code: str) -> str:
        return subprocess.run(
            [self.python, "-c", code],
            check=True,
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.directory,
        ).stdout.strip()
