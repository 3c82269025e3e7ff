#!/usr/bin/env bash
# How long a `gloss` command takes before it does any work: `--version` of
# the command line (`gloss`, no WebKit) and of the window's binary
# (`gloss-app`, which links WebKitGTK), mean of RUNS starts each, release
# build. Writes its section of docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source bench/lib.sh

RUNS="${RUNS:-50}"
npm --prefix ui run build --silent >/dev/null
cargo build --release --quiet --features custom-protocol --bin gloss --bin gloss-app

mean_ms() {
  local start end
  start=$(date +%s%N)
  for _ in $(seq "$RUNS"); do "$1" --version >/dev/null; done
  end=$(date +%s%N)
  echo "scale=2; ($end - $start) / $RUNS / 1000000" | bc -l
}
cli=$(mean_ms target/release/gloss)
app=$(mean_ms target/release/gloss-app)

section="## Command start (bench/cli_start.sh)

Command: \`bench/cli_start.sh\` (release build; mean of $RUNS runs of \`--version\`).
Machine: $(machine_line). Run: $(date -u +%Y-%m-%d).

| binary | start to exit, ms |
|---|---|
| \`gloss\` (command line, no WebKit) | $cli |
| \`gloss-app\` (the window's binary, links WebKitGTK) | $app |
"
echo "$section"
write_section "## Command start (bench/cli_start.sh)" "$section"
