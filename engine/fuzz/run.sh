#!/usr/bin/env bash
# Runs the fuzz targets of a CQLD_BUILD_FUZZ build (see README.md beside this file).
#   run.sh replay   BUILD_DIR   each saved input of corpus/<target>/ once
#   run.sh smoke    BUILD_DIR   replay, then each target for FUZZ_SMOKE_SECONDS (default 15)
#   run.sh campaign BUILD_DIR   each target for FUZZ_SECONDS (default 600), FUZZ_PARALLEL at once
# FUZZ_TARGETS narrows the list. Findings are saved in crashes/<target>/ of this folder; the
# exit status is non-zero when any target found one. A campaign's report (executions, coverage
# and findings per target) goes to BUILD_DIR/fuzz-run/report.txt.
set -uo pipefail

mode=${1:?usage: run.sh replay|smoke|campaign BUILD_DIR}
build=$(cd "${2:?usage: run.sh MODE BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
targets=${FUZZ_TARGETS:-frame request parser prepare value storage session}
work=$build/fuzz-run  # seeds, new corpus, logs, report (build/sanitize/fuzz is CMake's)
python=${PYTHON:-python3}

# The largest input each target is given: a few frames' worth for the stream targets.
max_len() {
  case $1 in
    session|frame) echo 65536 ;;
    *) echo 8192 ;;
  esac
}

# libFuzzer's own limit on a target's memory; ASan's reports go to the target's log.
common_flags() {
  echo -rss_limit_mb=2560 -timeout=30 -max_len="$(max_len "$1")" -print_final_stats=1 \
    -artifact_prefix="$here/crashes/$1/"
}

symbolizer=$(command -v llvm-symbolizer-19 || true)
[ -n "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH=$symbolizer UBSAN_SYMBOLIZER_PATH=$symbolizer
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

seed() {
  rm -rf "$work/seeds"
  "$python" "$here/seeds.py" "$work/seeds" || exit 1
}

replay_one() {
  local t=$1 dir=$here/corpus/$1
  mkdir -p "$here/crashes/$t"
  [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ] || { echo "== $t: no saved corpus"; return 0; }
  echo "== $t: replaying $(ls "$dir" | wc -l) saved inputs"
  "$build/fuzz_$t" $(common_flags "$t") -runs=0 "$dir" >"$work/logs/$t.replay.log" 2>&1 || {
    tail -n 60 "$work/logs/$t.replay.log"; return 1; }
}

# fuzz_one TARGET SECONDS: fuzzes from the seeds and the saved corpus; new inputs go to
# work/corpus/TARGET. Prints one report line.
fuzz_one() {
  local t=$1 seconds=$2 log=$work/logs/$1.log status
  mkdir -p "$work/corpus/$t" "$here/crashes/$t" "$here/corpus/$t"
  "$build/fuzz_$t" $(common_flags "$t") -max_total_time="$seconds" \
    "$work/corpus/$t" "$work/seeds/$t" "$here/corpus/$t" >"$log" 2>&1
  status=$?
  local runs cov
  runs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
  local found
  found=$(grep -oE "Test unit written to .*" "$log" | sed 's/Test unit written to //')
  printf '%-8s %10s executions in %4ss, coverage %6s edges, %s\n' "$t" "${runs:-?}" "$seconds" "${cov:-?}" \
    "${found:+FOUND $found}" | tee -a "$work/report.txt"
  if [ "$status" -ne 0 ]; then
    grep -E -A40 "ERROR: (AddressSanitizer|libFuzzer|UndefinedBehaviorSanitizer)|runtime error:|uncaught exception" \
      "$log" | head -80
    return 1
  fi
}

mkdir -p "$work/logs"
status=0
case $mode in
  replay)
    for t in $targets; do replay_one "$t" || status=1; done ;;
  smoke)
    seed
    : >"$work/report.txt"
    for t in $targets; do replay_one "$t" || status=1; done
    for t in $targets; do fuzz_one "$t" "${FUZZ_SMOKE_SECONDS:-15}" || status=1; done ;;
  campaign)
    seed
    : >"$work/report.txt"
    parallel=${FUZZ_PARALLEL:-1}
    pids=()
    for t in $targets; do
      fuzz_one "$t" "${FUZZ_SECONDS:-600}" &
      pids+=($!)
      if [ "${#pids[@]}" -ge "$parallel" ]; then wait "${pids[0]}" || status=1; pids=("${pids[@]:1}"); fi
    done
    for p in "${pids[@]}"; do wait "$p" || status=1; done
    echo "report: $work/report.txt" ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
exit $status
