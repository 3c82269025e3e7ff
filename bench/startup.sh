#!/usr/bin/env bash
# Start-up, memory and idle CPU of the desktop app, release build, on a
# 20,000-story library (goals, issue #21: process start → first list
# ≤ 600 ms, navigation start → first list ≤ 250 ms, after 50 stories
# PSS ≤ 300 MiB and RSS ≤ 450 MiB in all, idle CPU ≤ 1% of one core):
#   - generates the library: 20,000 varied .txt stories saved with
#     `gloss save -` (some starred, read, archived, tagged), and times it;
#   - launches the app RUNS times under Xvfb through the e2e driver
#     (tauri-driver + WebKitWebDriver) and times each launch to the first
#     painted list, with the start-up marks of both sides (the app's, which
#     it writes only when GLOSS_STARTUP_TRACE names a file, and the page's
#     performance marks); prints the median timeline;
#   - opens 50 stories one after another (j in the reader) and reads the
#     memory (RSS and PSS, /proc) of the app and its WebKit processes;
#   - then measures the CPU time of all of them over IDLE_S idle seconds.
# Prints the tables and writes its section of docs/benchmarks.md.
#
#   bench/startup.sh                     # STORIES=20000 RUNS=7 OPEN=50 IDLE_S=60
#   LIBRARY=/tmp/lib20k.gloss bench/startup.sh   # keep the generated library there,
#                                        # and reuse it when it exists (back-to-back runs)
#   APP=/path/to/gloss-app bench/startup.sh      # measure that build (nothing is built)
#   DOC=0 RESULT=out.json bench/startup.sh       # keep the figures, leave the doc alone
# Needs what tests/e2e/run.sh needs (tauri-driver, WebKitWebDriver, xvfb-run,
# dbus-run-session, node). bench/startup_report.py makes the tables.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source bench/lib.sh

STORIES="${STORIES:-20000}"
RUNS="${RUNS:-7}"
OPEN="${OPEN:-50}"
IDLE_S="${IDLE_S:-60}"
target="${CARGO_TARGET_DIR:-$ROOT/target}"
[[ "$target" == /* ]] || target="$ROOT/$target"

if [[ -z "${APP:-}" ]]; then
  # The UI is compiled into the binary: build it first.
  npm --prefix ui run build --silent >/dev/null
  cargo build --release --quiet --features custom-protocol --bin gloss --bin gloss-app
  APP="$target/release/gloss-app"
fi
# gloss-app also takes every subcommand of `gloss`.
gloss="$APP"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
lib="${LIBRARY:-$work/library.gloss}"

gen_line="reused from an earlier run ($lib)."
if [[ ! -e "$lib" ]]; then
  start=$(date +%s.%N)
  node tests/e2e/bench-startup.mjs generate "$work/txt" "$STORIES"
  files_done=$(date +%s.%N)
  "$gloss" --library "$lib" save - --quiet < "$work/txt/list"
  saved=$(date +%s.%N)
  # Some of everything the sidebar counts.
  ids() { seq "$1" "$2" "$3" | xargs "$gloss" --library "$lib" "$4"; }
  ids 1 7 "$STORIES" star >/dev/null
  ids 2 3 "$STORIES" read >/dev/null
  ids 3 5 "$STORIES" archive >/dev/null
  for i in $(seq 1 97 "$STORIES"); do "$gloss" --library "$lib" tag "$i" "topic-$((i % 12))" >/dev/null; done
  flagged=$(date +%s.%N)
  rm -rf "$work/txt"
  gen_files=$(printf %.1f "$(echo "$files_done - $start" | bc -l)")
  gen_save=$(printf %.1f "$(echo "$saved - $files_done" | bc -l)")
  gen_flags=$(printf %.1f "$(echo "$flagged - $saved" | bc -l)")
  save_rate=$(printf %.0f "$(echo "$STORIES / ($saved - $files_done)" | bc -l)")
  gen_line="generated in $gen_files s (text files) + $gen_save s (\`gloss save -\`, $save_rate stories/s) + $gen_flags s (stars, read, archive, tags)."
fi
count=$("$gloss" --library "$lib" check | sed -n 's/.*[^0-9]\([0-9][0-9]*\) stories.*/\1/p' | head -1)
size_mib=$(( $(stat -c %s "$lib") / 1048576 ))
gen_line="Library: $count stories, ${size_mib} MiB; $gen_line"

load="$(cut -d' ' -f1-3 /proc/loadavg)"
export GLOSS_STARTUP_TRACE="$work/trace"
GLOSS_E2E_BINARY="$APP" tests/e2e/run.sh --script tests/e2e/bench-startup.mjs measure "$lib" "$RUNS" "$OPEN" "$work/result.json" "$IDLE_S"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
[[ -z "${RESULT:-}" ]] || cp "$work/result.json" "$RESULT"

table=$(python3 bench/startup_report.py "$work/result.json")
commit="$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' with changes')"
webkit="$(dpkg-query -W -f='${Version}' libwebkit2gtk-4.1-0 2>/dev/null || echo '?')"

echo "$gen_line"
echo "App: $APP (commit $commit); WebKitGTK $webkit; load average $load before, $load_after after."
echo
echo "$table"
echo
echo "Re-run: STORIES=$STORIES RUNS=$RUNS OPEN=$OPEN IDLE_S=$IDLE_S bench/startup.sh"

[[ "${DOC:-1}" == 0 ]] && exit 0
section="## Start-up and memory (bench/startup.sh)

Command: \`bench/startup.sh\` (release build of $commit; STORIES=$STORIES, RUNS=$RUNS, OPEN=$OPEN,
IDLE_S=$IDLE_S; under Xvfb 1280×800 with dbus-run-session, driven by tauri-driver +
WebKitWebDriver; WebKitGTK $webkit).
Machine: $(machine_line); load average $load when measuring, $load_after after. Run: $(date -u +%Y-%m-%d).

$gen_line

Goals (issue #21): process start → first list ≤ 600 ms; navigation start → first list ≤ 250 ms;
after 50 stories PSS ≤ 300 MiB and RSS ≤ 450 MiB in all; idle CPU ≤ 1% of one core. The UI
mark is \`performance.now()\` at the first painted list (\`data-first-list\`), counted from the
web view's navigation start; the wall-clock figures start at the app process's start (from
\`/proc/PID/stat\`, 10 ms steps) or at the WebDriver session request. The timeline's app marks
come from \`GLOSS_STARTUP_TRACE\` (src-tauri/startup_trace.rs), the page's from its
\`performance\` marks (ui/src/lib/firstPaint.ts). The first run is the first launch with a new
data and cache folder. The 50 stories are the generated text stories (no images), opened with j
in the reader. RSS counts shared libraries in every process; PSS shares them out.

$table
"
write_section "## Start-up and memory (bench/startup.sh)" "$section"
