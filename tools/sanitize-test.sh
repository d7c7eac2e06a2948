#!/usr/bin/env bash
# Runs the C++ unit tests and driver tests (on cqld) against the sanitized build in BUILD_DIR (ASan and UBSan, engine/cmake/Sanitizers.cmake). Every sanitizer report,
# from a test binary or from a cqld a test started, is written under BUILD_DIR/reports/ and
# fails the run, including leaks found when a process exits.
set -uo pipefail

# DRIVER_TESTS: the driver test files to run (default: all of tests/drivers). make test runs the
# ones that feed cqld malformed and hostile input, where memory errors would show first.
build=$(cd "${1:?usage: sanitize-test.sh BUILD_DIR}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
reports=$build/reports
rm -rf "$reports"
mkdir -p "$reports"

# Reports go to files (log_path.<pid>) so none is lost in a test's captured output. Leaks are
# checked (a cqld stopped with SIGTERM exits through main, so its leaks are found too).
export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tools/sanitize/lsan.supp:print_suppressions=0"

# Symbolized reports need the symbolizer of the compiler's own version (install-deps.sh).
symbolizer=$(command -v llvm-symbolizer-19 || true)
[ -n "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH=$symbolizer UBSAN_SYMBOLIZER_PATH=$symbolizer

status=0
echo "== C++ unit tests, sanitized"
(cd "$build" && ctest --output-on-failure -j "${JOBS:-2}") || status=1
echo "== driver tests on the sanitized cqld"
# Two tests are left to the normal build's driver-test: they assert on RSS after freeing and on
# the time a 6-million-range read takes, which ASan changes (freed memory waits in its quarantine,
# and the sanitized code runs several times slower).
not_sanitized=(
  --deselect tests/drivers/test_resource_bounds.py::test_the_statement_cache_is_bounded_in_bytes
  --deselect tests/drivers/test_resource_bounds.py::test_in_products_are_bounded
)
read -r -a driver_tests <<<"${DRIVER_TESTS:-tests/drivers}"
(cd "$root" && CQLD=$build/cqld CQL_TARGETS=cqld .venv/bin/python -m pytest -q "${not_sanitized[@]}" "${driver_tests[@]}") ||
  status=1

shopt -s nullglob
found=("$reports"/*)
if ((${#found[@]})); then
  echo "== ${#found[@]} sanitizer report(s):"
  for f in "${found[@]}"; do echo "--- $f"; head -n 80 "$f"; done
  status=1
else
  echo "== no sanitizer reports"
fi
exit $status
