"""The test runner for Django's own suite on this backend (settings TEST_RUNNER).

It records each test's outcome in the JSON file named by DJANGO_SUITE_RESULTS, and marks the
tests listed in DJANGO_SUITE_PENDING as expected failures, so that an unlisted failure and a
listed pass (an unexpected success) both fail the run.
"""

from __future__ import annotations

import functools
import json
import os
import unittest
from pathlib import Path

from django.test.runner import DiscoverRunner

OUTCOMES: dict[str, str] = {}


def read_pending(path: str | None) -> dict[str, str]:
    """test id -> reason, from a pending file ("## reason" lines, then test ids)."""
    pending: dict[str, str] = {}
    if not path or not Path(path).exists():
        return pending
    reason = "pending"
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if line.startswith("## "):
            reason = line[3:]
        elif line and not line.startswith("#"):
            pending[line] = reason
    return pending


class RecordingResult(unittest.TextTestResult):
    def _record(self, test: unittest.TestCase, outcome: str) -> None:
        OUTCOMES[test.id()] = outcome

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, "passed")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "failed")

    def addError(self, test, err):
        super().addError(test, err)
        # setUpClass/tearDownClass errors come as _ErrorHolder "tests".
        self._record(test, "error")

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "skipped")

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._record(test, "pending")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._record(test, "unexpected-pass")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            failed = issubclass(err[0], test.failureException)
            self._record(test, "failed" if failed else "error")


def _tests(suite):
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield from _tests(test)
        else:
            yield test


def _expected_failure(method):
    """The bound test method as an expected failure (unittest marks a function, and a bound
    method takes no attributes, so it is wrapped in one)."""

    @functools.wraps(method)
    def run(*args, **kwargs):
        return method(*args, **kwargs)

    return unittest.expectedFailure(run)


class SuiteRunner(DiscoverRunner):
    def get_resultclass(self):
        return RecordingResult

    def build_suite(self, *args, **kwargs):
        suite = super().build_suite(*args, **kwargs)
        pending = read_pending(os.environ.get("DJANGO_SUITE_PENDING"))
        for test in _tests(suite):
            if test.id() in pending:
                method = getattr(test, test._testMethodName, None)
                if method is not None:
                    setattr(test, test._testMethodName, _expected_failure(method))
        return suite

    def run_suite(self, suite, **kwargs):
        try:
            return super().run_suite(suite, **kwargs)
        finally:
            path = os.environ.get("DJANGO_SUITE_RESULTS")
            if path:
                Path(path).write_text(json.dumps(OUTCOMES, indent=0, sort_keys=True))
