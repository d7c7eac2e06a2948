#!/usr/bin/env python3
"""Runs the CQL conformance cases against a server, or records their expected results from Apache Cassandra.

    run.py [paths...] [--target cqld|cassandra] [--host H --port P --user U --password W]
           [--record] [--update-pending] [-j N] [-v]

See README.md in this folder for the case format, the lists and the rules.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import secrets
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cassandra.cluster import NoHostAvailable

import casefile
import caselists
import client
import cqld
from casefile import Case, CaseFile

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
KS_PLACEHOLDER = "{ks}"
KEYSPACE_REPLICATION = "{'class': 'SimpleStrategy', 'replication_factor': 1}"
MAX_KEYSPACE_NAME = 48
AUTH_FOLDER = "auth"
SUPERUSER = ("cassandra", "cassandra")  # the default superuser of a fresh node with authentication


@dataclass
class CaseResult:
    case_id: str
    case: Case
    actual: list[str]
    passed: bool


@dataclass
class FileResult:
    cf: CaseFile
    results: list[CaseResult] = field(default_factory=list)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    files = _case_files(args.paths)
    if args.target == "cqld":
        return _run_on_cqld(args, files)
    # One Cassandra node either authenticates or not: files under auth/ need one that does (log in with
    # --user), the others one that does not.
    auth = bool(args.user)
    chosen = [f for f in files if _needs_auth(f) == auth]
    if len(chosen) < len(files):
        kind = "without" if auth else "with"
        print(f"skipping {len(files) - len(chosen)} files that need a node {kind} authentication")
    return _run_on(args, Target(args.host, args.port, args.user, args.password), chosen)


@dataclass
class Target:
    host: str
    port: int
    user: str | None
    password: str | None


def _needs_auth(path: Path) -> bool:
    """Files under a folder named auth/ run on a server with PasswordAuthenticator and CassandraAuthorizer."""
    return AUTH_FOLDER in path.parts[:-1]


def _run_on_cqld(args, files: list[Path]) -> int:
    """Plain files on a cqld without authentication; auth/ files on a second one started with it."""
    groups = [(False, [f for f in files if not _needs_auth(f)]), (True, [f for f in files if _needs_auth(f)])]
    servers = []
    try:
        targets = []
        for auth, chosen in groups:
            if not chosen:
                continue
            server = cqld.start(args.cqld, auth=auth)
            servers.append(server)
            user, password = SUPERUSER if auth else (None, None)
            targets.append((Target("127.0.0.1", server.port, user, password), chosen))
        return _run_targets(args, targets)
    except (OSError, RuntimeError) as e:
        print(f"cannot run the suite: {type(e).__name__}: {e}")
        return 2
    finally:
        for server in servers:
            server.stop()


def _run_on(args, target: Target, files: list[Path]) -> int:
    return _run_targets(args, [(target, files)])


def _run_targets(args, targets: list[tuple[Target, list[Path]]]) -> int:
    clusters = []
    try:
        runs = []
        for target, files in targets:
            cluster = client.connect(target.host, target.port, target.user, target.password)
            clusters.append(cluster)
            runs.append((target, cluster, files))
        return _run(args, runs)
    except (OSError, RuntimeError, NoHostAvailable) as e:
        print(f"cannot run the suite: {type(e).__name__}: {e}")
        return 2
    finally:
        for cluster in clusters:
            cluster.shutdown()


def _run(args, runs: list[tuple[Target, object, list[Path]]]) -> int:
    version = None
    for _target, cluster, _files in runs:
        session = cluster.connect()
        version = identify(session)
        session.shutdown()
    print(f"server: {version or 'not Apache Cassandra'} at {args.host if args.target != 'cqld' else 'cqld'}")
    if args.record and not version:
        print("refusing to record: expected results come only from Apache Cassandra (see README.md)")
        return 2
    jobs = [(target, cluster, casefile.parse(p)) for target, cluster, files in runs for p in files]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        file_results = list(pool.map(lambda job: run_file(job[0], job[1], job[2], args.record), jobs))
    if args.record:
        for fr in file_results:
            for r in fr.results:
                r.case.expected = r.actual
            fr.cf.set_recorded_with(version)
            casefile.write(fr.cf)
        total = sum(len(fr.results) for fr in file_results)
        print(f"recorded {total} cases in {len(file_results)} files")
        return 0
    lists_apply = version is None
    return _report(args, file_results, lists_apply)


def identify(session) -> str | None:
    """'Apache Cassandra <release_version>' when the server is a real Cassandra node, else None.

    The tell is the JVM: Cassandra's virtual table system_views.system_properties reports the Java VM it runs
    in; a server that is not Cassandra has no JVM to report.
    """
    try:
        vm = session.execute("SELECT value FROM system_views.system_properties WHERE name = 'java.vm.name'").one()
        local = session.execute("SELECT release_version FROM system.local WHERE key = 'local'").one()
    except Exception:  # noqa: BLE001 - any failure means: not Cassandra
        return None
    if not vm or not vm.value or not local:
        return None
    return f"Apache Cassandra {local.release_version}"


def run_file(target: Target, cluster, cf: CaseFile, record: bool) -> FileResult:
    result = FileResult(cf)
    ks = keyspace_name(cf.path.stem)
    session = cluster.connect()
    logins = Logins(target, ks)
    # Server-side write timestamps: they order plain writes and LWT (Paxos) writes consistently, where client
    # timestamps race with the server's ballots when a file mixes both on one cell.
    session.use_client_timestamp = False
    try:
        setup = [f"CREATE KEYSPACE {ks} WITH replication = {KEYSPACE_REPLICATION}", f"USE {ks}"]
        setup_failure = None
        for cql in setup:
            outcome = client.execute(session, cql)
            if outcome.kind == "error":
                setup_failure = [f"setup failed: {cql}: {outcome.detail}"]
                break
        for case in cf.cases:
            case_id = f"{cf.path.stem}:{case.name}"
            if setup_failure:
                result.results.append(CaseResult(case_id, case, setup_failure, False))
                continue
            try:
                on = logins.session(case.login) if case.login else session
            except NoHostAvailable as e:
                outcome = client.Outcome("error", f"DriverError: login refused: {_login_error(e)}")
            else:
                outcome = client.execute_once_indexed(on, case.statement.replace(KS_PLACEHOLDER, ks), case.fetch_size)
            actual = [line.replace(ks, KS_PLACEHOLDER) for line in canonical(outcome, case)]
            passed = not record and case.expected is not None and matches(case, actual)
            result.results.append(CaseResult(case_id, case, actual, passed))
    finally:
        logins.close()
        _drop_keyspaces(session, ks)
        _drop_roles(session, ks)
        session.shutdown()
    return result


class Logins:
    """Sessions logged in as the roles of a file's `as=ROLE:PASSWORD` cases, one per role and password, each
    using the file's keyspace."""

    def __init__(self, target: Target, ks: str):
        self.target = target
        self.ks = ks
        self.clusters: dict[tuple[str, str], tuple[object, object]] = {}

    def session(self, login: tuple[str, str]):
        """The session for a login; raises NoHostAvailable when the server refuses it."""
        role, password = (part.replace(KS_PLACEHOLDER, self.ks) for part in login)
        key = (role, password)
        if key not in self.clusters:
            cluster = client.connect(self.target.host, self.target.port, role, password)
            try:
                session = cluster.connect(self.ks)
            except NoHostAvailable:
                cluster.shutdown()
                raise
            session.use_client_timestamp = False
            self.clusters[key] = (cluster, session)
        return self.clusters[key][1]

    def close(self) -> None:
        for cluster, _session in self.clusters.values():
            cluster.shutdown()


def _login_error(e: NoHostAvailable) -> str:
    """The server's message for a refused login, without the driver's host and class decoration."""
    for error in e.errors.values():
        text = str(error)
        m = re.search(r'message="(.*)"', text)
        return m.group(1) if m else text
    return str(e)


def _drop_roles(session, ks: str) -> None:
    """Roles are not in a keyspace: the ones a file created are named {ks}_... and dropped with it."""
    listing = client.execute(session, "SELECT role FROM system_auth.roles")
    if listing.kind != "rows":
        return
    for page in listing.pages:
        for row in page:
            name = row.strip("'")
            if name.startswith(ks + "_"):
                client.execute(session, f'DROP ROLE IF EXISTS "{name}"')


def keyspace_name(stem: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_")
    suffix = secrets.token_hex(3)
    return f"cf_{base[: MAX_KEYSPACE_NAME - len(suffix) - 4]}_{suffix}"


def _drop_keyspaces(session, ks: str) -> None:
    names = {ks}
    listing = client.execute(session, "SELECT keyspace_name FROM system_schema.keyspaces")
    for page in listing.pages:  # rendered rows: 'name'
        names |= {row.strip("'") for row in page if row.strip("'").startswith(ks + "_")}
    for name in sorted(names):
        client.execute(session, f"DROP KEYSPACE IF EXISTS {name}")


def canonical(outcome: client.Outcome, case: Case) -> list[str]:
    """The expected-result lines of README.md for an outcome."""
    if outcome.kind == "error":
        detail = outcome.detail.replace("\\", "\\\\").replace("\n", "\\n")
        stripped = detail.rstrip(" ")  # trailing spaces stay visible (editors strip them)
        return ["error " + stripped + "\\x20" * (len(detail) - len(stripped))]
    if outcome.kind != "rows":
        return [f"{outcome.kind} {outcome.detail}".strip()]
    lines = ["rows", outcome.header]
    if case.unordered:
        return lines + sorted(row for page in outcome.pages for row in page)
    for n, page in enumerate(outcome.pages, 1):
        if case.fetch_size and n > 1:
            lines.append(f"~ page {n}")
        lines.extend(page)
    return lines


def matches(case: Case, actual: list[str]) -> bool:
    expected = case.expected or []
    if case.code_only and expected[0].startswith("error "):
        return actual[0].startswith("error ") and _code(expected[0]) == _code(actual[0])
    return expected == actual


def _code(line: str) -> str:
    return line.split(":", 1)[0]


def _report(args, file_results: list[FileResult], lists_apply: bool) -> int:
    pending = caselists.load(args.pending)
    differences = caselists.load(args.differences)
    pending_reasons = pending.reasons() if lists_apply else {}
    difference_reasons = differences.reasons() if lists_apply else {}
    passed = failed = n_pending = n_different = 0
    failing: list[str] = []
    ran: set[str] = set()
    for fr in file_results:
        for r in fr.results:
            ran.add(r.case_id)
            if not r.passed:
                failing.append(r.case_id)
            listed = pending_reasons.get(r.case_id) or difference_reasons.get(r.case_id)
            if listed and not r.passed:
                n_pending += r.case_id in pending_reasons
                n_different += r.case_id in difference_reasons
                if args.verbose:
                    _print_failure(r, f"listed: {listed}")
            elif listed:
                failed += 1
                print(f"FAIL {r.case_id}: passes but is listed ({listed}); remove it from the list")
            elif r.passed:
                passed += 1
                if args.verbose:
                    print(f"ok   {r.case_id}")
            else:
                failed += 1
                _print_failure(r, None)
    failed += _stale_ids(pending_reasons, difference_reasons, ran, args.paths == [])
    if args.update_pending and lists_apply:
        failing = [f for f in failing if f not in difference_reasons]
        for note in caselists.update(pending, failing, ran):
            print(f"pending list: {note}")
        caselists.save(pending)
    print(f"{n_pending} pending ({args.pending.name}), {n_different} known differences ({args.differences.name})")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def _stale_ids(pending: dict[str, str], differences: dict[str, str], ran: set[str], whole_suite: bool) -> int:
    """Listed ids that name no case are failures too (only checked when the whole suite ran)."""
    if not whole_suite:
        return 0
    stale = [i for i in [*pending, *differences] if i not in ran]
    for case_id in stale:
        print(f"FAIL {case_id}: listed but no such case")
    return len(stale)


def _print_failure(r: CaseResult, note: str | None) -> None:
    print(f"FAIL {r.case_id}" + (f"  [{note}]" if note else ""))
    print("  " + r.case.statement.replace("\n", "\n  "))
    if r.case.expected is None:
        print("  not recorded yet: run with --record against Apache Cassandra")
        return
    diff = difflib.unified_diff(r.case.expected, r.actual, "expected", "actual", lineterm="", n=2)
    for line in list(diff)[2:]:
        print("  " + line)


def _case_files(paths: list[str]) -> list[Path]:
    roots = [Path(p) for p in paths] or [HERE / "cases"]
    files: list[Path] = []
    for root in roots:
        files.extend(sorted(root.rglob("*.test")) if root.is_dir() else [root])
    return files


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    env = os.environ.get
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="*", help="case files or folders (default: all of cases/)")
    p.add_argument(
        "--target",
        choices=["cqld", "cassandra"],
        default="cassandra",
        help="cqld: start a fresh in-memory cqld; cassandra: use --host/--port (default)",
    )
    p.add_argument("--host", default=env("CASSANDRA_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(env("CASSANDRA_PORT", "9042")))
    p.add_argument("--user", default=env("CASSANDRA_USER"))
    p.add_argument("--password", default=env("CASSANDRA_PASSWORD"))
    p.add_argument("--cqld", default=env("CQLD", str(ROOT / ".venv" / "bin" / "cqld")), help="cqld binary")
    p.add_argument("--record", action="store_true", help="write expected results from the server (Cassandra only)")
    p.add_argument("--pending", type=Path, default=HERE / "pending.txt")
    p.add_argument("--differences", type=Path, default=HERE / "differences.txt")
    p.add_argument(
        "--update-pending",
        action="store_true",
        help="rewrite the pending list from this run, keeping reasons; prints every removal",
    )
    p.add_argument("-j", "--jobs", type=int, default=1, help="files run in parallel")
    p.add_argument("-v", "--verbose", action="store_true")
    return p.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
