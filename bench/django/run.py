"""Times a Django test run (create the test keyspace, sync 10 models, run 50 CRUD tests, drop
it) on the embedded cqld and on a real Cassandra node, and reports both and the ratio.

    .venv/bin/python bench/django/run.py [--repeat N] [--targets cqld,cassandra]

A benchmark, not a test: it measures and reports; it asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def one_run(target: str) -> float:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CQL_TARGET": target,
        "DJANGO_SETTINGS_MODULE": "benchproject.settings",
    }
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "django", "test", "crud", "--noinput"],
        cwd=HERE,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0 or "Ran 50 tests" not in result.stderr:
        raise SystemExit(f"{target}: the test run failed:\n{result.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--targets", default="cqld,cassandra")
    parser.add_argument("--output", type=Path, default=HERE / "results.md")
    args = parser.parse_args()
    timings = {}
    for target in args.targets.split(","):
        runs = [one_run(target) for _ in range(args.repeat)]
        timings[target] = runs
        print(
            f"{target}: median {statistics.median(runs):.2f} s over {len(runs)} runs "
            f"({', '.join(f'{r:.2f}' for r in runs)})",
            flush=True,
        )
    lines = [
        "# Django test run: embedded cqld vs Apache Cassandra",
        "",
        "`manage.py test` of bench/django: create the test keyspace, sync 10 models, run 50 "
        "CRUD tests (each followed by a flush), drop the keyspace; the whole process timed.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; {args.repeat} runs each.",
        "",
        "| target | median (s) | runs (s) |",
        "|---|---|---|",
    ]
    for target, runs in timings.items():
        lines.append(
            f"| {target} | {statistics.median(runs):.2f} | {', '.join(f'{r:.2f}' for r in runs)} |"
        )
    if {"cqld", "cassandra"} <= set(timings):
        ratio = statistics.median(timings["cassandra"]) / statistics.median(timings["cqld"])
        lines += ["", f"Cassandra / cqld: **{ratio:.1f}x**"]
        print(f"ratio cassandra/cqld: {ratio:.1f}x")
    args.output.write_text("\n".join(lines) + "\n")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
