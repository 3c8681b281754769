#!/usr/bin/env bash
# Issue 12's time-to-ready figures in one command: crash-then-reopen (Walnut, RocksDB defaults,
# RocksDB whole WAL, H2 MVStore, LMDB, JE), clean-close reopen and reopen after compaction,
# 10 overwrites per key against each key once, heap per live key; writes
# bench/results/reopen/<size>/{reopen.md,reopen-rows.csv,reopen-chart.png}.
#   bench/run-reopen.sh issue    1M and 2M records, 3 rounds (the issue's figures; about an hour here)
#   bench/run-reopen.sh small    100k and 200k records, 3 rounds (a few minutes: proves the profile)
#   bench/run-reopen.sh smoke    2k records, 1 round (seconds; CI runs the same through BenchSmokeTest)
# Environment: SKIP_BUILD=1 reuses bench/target/benchmarks.jar; WALNUT_BENCH_DIR (default
# /tmp/walnut-bench) holds the stores (issue: ~6 GiB at peak); JAVA picks the JVM.
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-small}"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -q -B -pl bench -am package -DskipTests
fi
WALNUT_COMMIT="$(bench/commit-id.sh)"
export WALNUT_COMMIT
exec "${JAVA:-java}" -cp bench/target/benchmarks.jar dev.walnut.bench.ReopenProfile \
  "$size" "bench/results/reopen/$size" "${WALNUT_BENCH_DIR:-/tmp/walnut-bench}"
