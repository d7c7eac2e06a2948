#!/usr/bin/env bash
# Runs cqld's micro benchmarks and writes the figures, with the machine and the commit they
# were measured on, to bench/results/cqld-micro-<date>-<commit>.json.
set -euo pipefail
binary="$1"
out_dir="$2"
mkdir -p "$out_dir"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git status --porcelain 2>/dev/null | grep -q . && echo "-dirty" || true)"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$out_dir/cqld-micro-$stamp-$commit$dirty.json"
"$binary" --benchmark_format=console --benchmark_out="$out" --benchmark_out_format=json \
  --benchmark_context=commit="$commit$dirty" \
  --benchmark_context=cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
  --benchmark_context=cores="$(nproc)" \
  --benchmark_context=memory="$(free -g | awk '/Mem:/ {print $2 " GiB"}')"
echo "results written to $out"
