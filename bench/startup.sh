#!/usr/bin/env bash
# Start-up and memory of the desktop app, release build, on a 20,000-story
# library (goal: the first list painted in under 1 s):
#   - generates the library: 20,000 varied .txt stories saved with
#     `gloss save -` (some starred, read, archived, tagged), and times it;
#   - launches the app RUNS times under Xvfb through the e2e driver
#     (tauri-driver + WebKitWebDriver) and times each launch to the first
#     painted list: the UI's mark (`data-first-list`, ms from navigation
#     start), and wall clock from the app process's start and from the
#     WebDriver session request; prints the median;
#   - opens 50 stories one after another (j in the reader) and reads the
#     memory (RSS and PSS, /proc) of the app and its WebKit processes.
# Prints a table and writes its section of docs/benchmarks.md.
#
#   bench/startup.sh                     # STORIES=20000 RUNS=7 OPEN=50
# Needs what tests/e2e/run.sh needs (tauri-driver, WebKitWebDriver, xvfb-run,
# dbus-run-session, node).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source bench/lib.sh

STORIES="${STORIES:-20000}"
RUNS="${RUNS:-7}"
OPEN="${OPEN:-50}"

# The UI is compiled into the binary: build it first.
npm --prefix ui run build --silent >/dev/null
cargo build --release --quiet --features custom-protocol --bin gloss --bin gloss-app
gloss="$ROOT/target/release/gloss"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
lib="$work/library.gloss"

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
count=$("$gloss" --library "$lib" check | sed -n 's/.*[^0-9]\([0-9][0-9]*\) stories.*/\1/p' | head -1)
size_mib=$(( $(stat -c %s "$lib") / 1048576 ))
gen_files=$(printf %.1f "$(echo "$files_done - $start" | bc -l)")
gen_save=$(printf %.1f "$(echo "$saved - $files_done" | bc -l)")
gen_flags=$(printf %.1f "$(echo "$flagged - $saved" | bc -l)")
save_rate=$(printf %.0f "$(echo "$STORIES / ($saved - $files_done)" | bc -l)")

load="$(cut -d' ' -f1-3 /proc/loadavg)"
GLOSS_E2E_BINARY="$ROOT/target/release/gloss-app" tests/e2e/run.sh --script tests/e2e/bench-startup.mjs measure "$lib" "$RUNS" "$OPEN" "$work/result.json"

table=$(python3 - "$work/result.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))
runs = r["runs"]
def med(k): return statistics.median(x[k] for x in runs)
def each(k): return ", ".join(f"{x[k]:.0f}" for x in runs)
print("| figure | median | each run (ms) |")
print("|---|---|---|")
print(f"| navigation start → first list painted (UI mark) | **{med('markMs'):.0f} ms** | {each('markMs')} |")
print(f"| app process start → first list painted (wall clock) | **{med('fromProcessStartMs'):.0f} ms** | {each('fromProcessStartMs')} |")
print(f"| WebDriver session request → first list painted (wall clock) | {med('fromRequestMs'):.0f} ms | {each('fromRequestMs')} |")
print(f"| story rows in the first paint (the virtual list's window) | {runs[0]['rows']} | |")
print()
def mem(rows, role):
    ps = [p for p in rows if p["role"] == role]
    return sum(p["rssKiB"] for p in ps) / 1024, sum(p["pssKiB"] for p in ps) / 1024, len(ps)
print(f"| memory (MiB) | RSS at start | RSS after opening {r['opened']} stories | PSS after opening |")
print("|---|---|---|---|")
roles = ["app", "web", "network"] + sorted({p["role"] for p in r["memory"]["afterOpening"]} - {"app", "web", "network"})
names = {"app": "app process (gloss)", "web": "WebKit web process", "network": "WebKit network process"}
for role in roles:
    a = mem(r["memory"]["atStart"], role)
    b = mem(r["memory"]["afterOpening"], role)
    if b[2] == 0 and a[2] == 0: continue
    label = names.get(role, role) + (f" ×{b[2]}" if b[2] > 1 else "")
    print(f"| {label} | {a[0]:.0f} | {b[0]:.0f} | {b[1]:.0f} |")
ta = sum(p["rssKiB"] for p in r["memory"]["atStart"]) / 1024
tb = sum(p["rssKiB"] for p in r["memory"]["afterOpening"]) / 1024
tp = sum(p["pssKiB"] for p in r["memory"]["afterOpening"]) / 1024
print(f"| **total** | {ta:.0f} | **{tb:.0f}** | **{tp:.0f}** |")
PY
)

gen_line="Library: $count stories, ${size_mib} MiB; generated in $gen_files s (text files) + $gen_save s (\`gloss save -\`, $save_rate stories/s) + $gen_flags s (stars, read, archive, tags)."
echo "$gen_line"
echo
echo "$table"

section="## Start-up and memory (bench/startup.sh)

Command: \`bench/startup.sh\` (release build; STORIES=$STORIES, RUNS=$RUNS, OPEN=$OPEN; under Xvfb
1280×800 with dbus-run-session, driven by tauri-driver + WebKitWebDriver; WebKitGTK $(dpkg-query -W -f='${Version}' libwebkit2gtk-4.1-0 2>/dev/null || echo '?')).
Machine: $(machine_line); load average $load when measuring. Run: $(date -u +%Y-%m-%d).

$gen_line

Goal: the first list painted in under 1 s. The UI mark is \`performance.now()\` at the first
painted list (\`data-first-list\`), counted from the web view's navigation start; the wall-clock
figures start at the app process's start (from \`/proc/PID/stat\`) or at the WebDriver session
request (tauri-driver and WebKitWebDriver start the app a few ms after it). The first run is the
first launch with a new data and cache folder (WebKit fills its caches). The 50 stories are the
generated text stories (no images), opened with j in the reader. RSS counts shared libraries
in every process; PSS shares them out.

$table
"
write_section "## Start-up and memory (bench/startup.sh)" "$section"
