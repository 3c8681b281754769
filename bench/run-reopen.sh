#!/usr/bin/env bash
# Issue 12's time-to-ready figures in one command: crash-then-reopen (Walnut, RocksDB defaults,
# RocksDB whole WAL, H2 MVStore, LMDB, JE), clean-close reopen and reopen after compaction,
# 10 overwrites per key against each key once, heap per live key; writes
# bench/results/reopen/<size>/{reopen.md,reopen-rows.csv,reopen-chart.png}.
#   bench/run-reopen.sh issue    1M and 2M records, 3 rounds (the issue's figures; about an hour here)
#   bench/run-reopen.sh small    100k and 200k records, 3 rounds (a few minutes: proves the profile)
#   bench/run-reopen.sh smoke    2k records, 1 round (seconds; CI runs the same through BenchSmokeTest)
#   bench/run-reopen.sh issue crash 1000000    only the crash-then-reopen part at 1M (a partial run, marked so)
# Environment: SKIP_BUILD=1 reuses bench/target/benchmarks.jar; WALNUT_BENCH_DIR (default
# /tmp/walnut-bench) holds the stores (issue: ~6 GiB at peak); JAVA picks the JVM.
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-small}"
shift || true
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -q -B -pl bench -am package -DskipTests
fi
WALNUT_COMMIT="$(bench/commit-id.sh)"
export WALNUT_COMMIT
out="bench/results/reopen/$size"
(( $# == 0 )) || out+="-partial"   # a partial run never overwrites a whole one
exec "${JAVA:-java}" -cp bench/target/benchmarks.jar dev.walnut.bench.ReopenProfile \
  "$size" "$out" "${WALNUT_BENCH_DIR:-/tmp/walnut-bench}" "$@"
