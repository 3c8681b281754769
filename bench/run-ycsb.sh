#!/usr/bin/env bash
# YCSB 0.17.0 against Walnut and RocksDB (defaults) in one command: loads RECORDS records into each,
# then runs workloads A, B, C, F, E with 1 and 4 threads against both, alternating engines, each run
# in a JVM that reopens the loaded store; reports throughput, that JVM's peak RSS and the open time.
#   bench/run-ycsb.sh                1M records, 200k operations per run -> bench/results/ycsb/
#   bench/run-ycsb.sh 50000 20000    a small run (minutes)                -> bench/results/ycsb-small/
# Environment: YCSB_WORKLOADS (default a,b,c,f,e: E last, its inserts grow the stores), YCSB_THREADS
# (default 1,4), YCSB_HEAP (default 8g, every child JVM), WALNUT_BENCH_DIR (default /tmp/walnut-bench;
# 1M records take ~1.5 GiB per engine), SKIP_BUILD=1 reuses bench/target/benchmarks.jar, JAVA picks the JVM.
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-1000000}"
ops="${2:-200000}"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -q -B -pl bench -am package -DskipTests
fi
WALNUT_COMMIT="$(bench/commit-id.sh)"
export WALNUT_COMMIT
out=bench/results/ycsb
(( records >= 1000000 )) || out=bench/results/ycsb-small
exec "${JAVA:-java}" -cp bench/target/benchmarks.jar dev.walnut.bench.YcsbRunner "$records" "$ops" \
  "${YCSB_WORKLOADS:-a,b,c,f,e}" "${YCSB_THREADS:-1,4}" "${YCSB_HEAP:-8g}" "$out" \
  "${WALNUT_BENCH_DIR:-/tmp/walnut-bench}/ycsb" bench/ycsb/workloads
