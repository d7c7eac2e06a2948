"""Django's own test suite against this backend.

Runs tests/runtests.py from the source distribution (PyPI sdist) of the Django version this
Python has, one process per app, with the databases of cassandra_settings.py, and prints per
app how many tests ran, passed, failed (failures and errors) and were skipped.

    build/venv-django52/bin/python tests/django_suite/run.py              # the apps of APPS
    build/venv-django52/bin/python tests/django_suite/run.py basic lookup # some apps
    build/venv-django52/bin/python tests/django_suite/run.py --fast       # make test's subset

``--fast`` runs the tests named in fast-<version>.txt and compares the outcome with
pending-<version>.txt: a test that fails and is not listed fails the run, and so does a listed
test that passes. ``--update-pending`` rewrites the pending file from the run (keeping the
reasons of tests already listed; new ones go under an UNTRIAGED heading to be given a reason).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

import django

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SOURCES = ROOT / "build" / "django-src"
APPS = [
    "basic", "lookup", "queries", "ordering", "aggregation", "annotations", "expressions",
    "update", "delete", "get_or_create", "many_to_one", "many_to_many", "m2m_through",
    "select_related", "prefetch_related", "model_fields", "custom_pk", "defer", "null_queries",
    "model_forms", "auth_tests", "admin_views", "admin_changelist", "sessions_tests",
    "contenttypes_tests", "migrations", "schema",
]  # fmt: skip
APP_TIMEOUT_S = 3600  # bounds a hung run; not a speed expectation
VERSION = "{}.{}".format(*django.VERSION[:2])
UNTRIAGED = "UNTRIAGED: give these a reason"


def django_tests_dir() -> Path:
    """tests/ of the sdist of the installed Django version, downloaded once with pip."""
    version = django.get_version()
    target = SOURCES / f"Django-{version}"
    tests = target / "tests"
    if (tests / "runtests.py").exists():
        return tests
    SOURCES.mkdir(parents=True, exist_ok=True)
    archive = next(SOURCES.glob(f"[dD]jango-{version}.tar.gz"), None)
    if archive is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", f"django=={version}",
             "--no-binary", ":all:", "--no-deps", "-d", str(SOURCES)],
            check=True,
        )  # fmt: skip
        archive = next(SOURCES.glob(f"[dD]jango-{version}.tar.gz"))
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if "/tests/" in m.name or m.name.endswith("/tests")]
        tar.extractall(SOURCES, members=members, filter="data")
    extracted = next(
        p for p in SOURCES.iterdir() if p.is_dir() and p.name.lower() == f"django-{version}"
    )
    if extracted != target:
        extracted.rename(target)
    return tests


def run_labels(labels: list[str], pending: Path | None, verbosity: int) -> tuple[dict, float, int]:
    tests = django_tests_dir()
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        results = Path(handle.name)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
        "DJANGO_SUITE_RESULTS": str(results),
    }
    cqld = ROOT / ".venv" / "bin" / "cqld"
    if "CQLD_BINARY" not in env and cqld.exists():
        env["CQLD_BINARY"] = str(cqld)
    if pending is not None:
        env["DJANGO_SUITE_PENDING"] = str(pending)
    command = [
        sys.executable, "runtests.py", "--settings=cassandra_settings", "--parallel=1",
        "--noinput", f"-v{verbosity}", *labels,
    ]  # fmt: skip
    started = time.monotonic()
    try:
        completed = subprocess.run(command, cwd=tests, env=env, timeout=APP_TIMEOUT_S)
        code = completed.returncode
    except subprocess.TimeoutExpired:
        code = -1
    elapsed = time.monotonic() - started
    outcomes = json.loads(results.read_text()) if results.stat().st_size else {}
    results.unlink()
    return outcomes, elapsed, code


def app_of(test_id: str) -> str:
    return test_id.split(".", 1)[0]


def table(rows: list[tuple[str, Counter, float]]) -> str:
    header = f"{'app':<22}{'run':>7}{'passed':>8}{'failed':>8}{'skipped':>9}{'time (s)':>10}"
    lines = [header, "-" * len(header)]
    total: Counter = Counter()
    seconds = 0.0
    for app, counts, elapsed in rows:
        lines.append(_line(app, counts, elapsed))
        total.update(counts)
        seconds += elapsed
    lines.append("-" * len(header))
    lines.append(_line("total", total, seconds))
    return "\n".join(lines)


def _line(app: str, counts: Counter, elapsed: float) -> str:
    failed = counts["failed"] + counts["error"] + counts["pending"] + counts["unexpected-pass"]
    run = counts["passed"] + failed
    return (
        f"{app:<22}{run:>7}{counts['passed']:>8}{failed:>8}{counts['skipped']:>9}{elapsed:>10.0f}"
    )


def read_pending(path: Path) -> dict[str, str]:
    sys.path.insert(0, str(HERE))
    from suite_runner import read_pending as parse

    return parse(str(path))


def write_pending(path: Path, outcomes: dict[str, str], scope: set[str]) -> None:
    """Rewrites the pending list for the tests in ``scope`` from a run's outcomes."""
    known = read_pending(path)
    failing = {t for t, o in outcomes.items() if o in ("failed", "error", "pending")}
    kept = {t: r for t, r in known.items() if t not in scope}
    for test in failing:
        kept[test] = known.get(test, UNTRIAGED)
    by_reason: dict[str, list[str]] = {}
    for test, reason in kept.items():
        by_reason.setdefault(reason, []).append(test)
    lines = [
        f"# Tests of Django {VERSION}'s own suite (fast-{VERSION}.txt) that fail on this backend,",
        '# grouped under "## reason" lines. A listed test that passes fails the run. Refresh with',
        f"#   build/venv-django{VERSION.replace('.', '')}/bin/python tests/django_suite/run.py "
        "--fast --update-pending",
        "",
    ]
    for reason in sorted(by_reason, key=lambda r: (r == UNTRIAGED, r)):
        lines.append(f"## {reason}")
        lines.extend(sorted(by_reason[reason]))
        lines.append("")
    path.write_text("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("apps", nargs="*", help="apps to run (default: all of APPS)")
    parser.add_argument(
        "--fast", action="store_true", help="the fast subset, checked against the pending list"
    )
    parser.add_argument("--update-pending", action="store_true")
    parser.add_argument("--json", type=Path, help="write every test's outcome here")
    parser.add_argument("-v", "--verbosity", type=int, default=1)
    args = parser.parse_args()
    print(f"Django {django.get_version()}, target {os.environ.get('CQL_TARGET', 'cqld')}")
    pending_file = HERE / f"pending-{VERSION}.txt"
    if args.fast:
        labels = [
            line.strip()
            for line in (HERE / f"fast-{VERSION}.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")
        ]
        outcomes, elapsed, code = run_labels(
            labels, None if args.update_pending else pending_file, args.verbosity
        )
        by_app: dict[str, Counter] = {}
        for test, outcome in outcomes.items():
            by_app.setdefault(app_of(test), Counter())[outcome] += 1
        print(table([(app, counts, 0.0) for app, counts in sorted(by_app.items())]))
        print(f"{elapsed:.0f} s")
        if args.update_pending:
            write_pending(pending_file, outcomes, set(outcomes))
            print(f"wrote {pending_file}")
            return 0
        return _verdict(outcomes, code)
    everything: dict[str, str] = {}
    rows = []
    for app in args.apps or APPS:
        outcomes, elapsed, code = run_labels([app], None, args.verbosity)
        counts = Counter(outcomes.values())
        if code == -1:
            counts["error"] += 1
            print(f"{app}: timed out after {APP_TIMEOUT_S} s")
        elif not outcomes:
            counts["error"] += 1
            print(f"{app}: the run stopped before any test (exit status {code})")
        everything.update(outcomes)
        rows.append((app, counts, elapsed))
        print(_line(app, counts, elapsed), flush=True)
    print()
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(everything, indent=0, sort_keys=True))
    return 0


def _verdict(outcomes: dict[str, str], code: int) -> int:
    unexpected = sorted(t for t, o in outcomes.items() if o in ("failed", "error"))
    fixed = sorted(t for t, o in outcomes.items() if o == "unexpected-pass")
    for test in unexpected:
        print(f"FAILED (not in the pending list): {test}")
    for test in fixed:
        print(f"PASSED (listed as pending; remove it from the list): {test}")
    if code not in (0, 1) and not outcomes:
        print(f"runtests.py exited with status {code} before running any test")
        return 1
    return 1 if unexpected or fixed or code not in (0, 1) else 0


if __name__ == "__main__":
    sys.exit(main())
