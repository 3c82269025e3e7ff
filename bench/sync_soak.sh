#!/usr/bin/env bash
# Sync soak: the convergence property test of src-tauri/core/tests/sync/convergence.rs
# with many more random histories than the test command's 500 (default 20,000; the first
# argument sets it). Three libraries change and sync in random orders through one folder,
# some cut off from it at random; every case must end with identical libraries in which each
# story and field is what its last change made it. Prints the cases run and the time taken.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source bench/lib.sh
CASES="${1:-20000}"

start=$(date +%s)
GLOSS_SYNC_CASES="$CASES" cargo test --release -p gloss-core --test sync -- convergence --nocapture
took=$(( $(date +%s) - start ))
echo "sync soak: $CASES cases converged in ${took} s ($(machine_line))"
