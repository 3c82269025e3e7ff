#!/usr/bin/env bash
# How Gloss grows: libraries of 1,000, 10,000 and 100,000 generated stories
# (bench/scale_gen.py: paragraphs of ../shared/corpus, read in place, shuffled
# and recombined into HTML pages and text files, in a temporary folder), and
# for each size:
#   - bulk save rate of `gloss save -` (release build, one process, 90% of the
#     stories; the other 10% are saved as the stories of 20 feeds by the
#     scale_bench example);
#   - stars, read, archived, tags and highlights (scale_bench decorate);
#   - search p50/p95 over 50 fixed queries, in process and as whole
#     `gloss search` processes; the first page of every sidebar list; opening
#     a story; the sidebar counts (scale_bench measure, release build);
#   - file size per story and against the raw HTML saved;
#   - the app's time to the first painted list and its memory, through the
#     e2e driver under Xvfb (tests/e2e/bench-startup.mjs, as bench/startup.sh).
# Prints one table and writes its section of docs/benchmarks.md.
#
#   bench/scale.sh                  # SIZES="1000 10000 100000" RUNS=3 OPEN=20
#   APP=0 bench/scale.sh            # without the app (no Xvfb needed)
#   KEEP=/tmp/libs bench/scale.sh   # keep the libraries there
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CORPUS="${CORPUS:-$ROOT/../shared/corpus}"
cd "$ROOT"
source bench/lib.sh

SIZES="${SIZES:-1000 10000 100000}"
RUNS="${RUNS:-3}"
OPEN="${OPEN:-20}"
APP="${APP:-1}"
[ -d "$CORPUS" ] || { echo "no corpus at $CORPUS (set CORPUS=...)" >&2; exit 1; }

began=$(date +%s)
[ "$APP" = 1 ] && npm --prefix ui run build --silent >/dev/null
cargo build --release --quiet --features custom-protocol --bin gloss --bin gloss-app
cargo build --release --quiet -p gloss-core --example scale_bench
gloss="$ROOT/target/release/gloss"
bench="$ROOT/target/release/examples/scale_bench"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="$work/results"
: > "$results"
loads=""

for n in $SIZES; do
  echo "== $n stories" >&2
  dir="$work/files-$n"
  lib="$work/lib-$n.gloss"
  raw=$(python3 bench/scale_gen.py "$CORPUS" "$dir" "$n" 42)
  cli=$(wc -l < "$dir/cli.list")
  start=$(date +%s.%N)
  "$gloss" --library "$lib" save - --no-images --quiet < "$dir/cli.list"
  end=$(date +%s.%N)
  "$bench" feeds "$lib" "$dir/feed.list" >/dev/null
  "$bench" decorate "$lib" >/dev/null
  rm -rf "$dir"
  size=$(stat -c %s "$lib")
  [ -f "$lib-wal" ] && size=$((size + $(stat -c %s "$lib-wal")))
  loads="$loads $n: $(cut -d' ' -f1 /proc/loadavg);"
  m="$("$bench" measure "$lib" "$gloss")"
  {
    echo "$n save_rate $(echo "$cli / ($end - $start)" | bc -l)"
    echo "$n size_per_story_kib $(echo "$size / $n / 1024" | bc -l)"
    echo "$n size_vs_raw $(echo "$size / $raw" | bc -l)"
    echo "$n raw_per_story_kib $(echo "$raw / $n / 1024" | bc -l)"
    echo "$m" | sed "s/^/$n /; s/=/ /"
  } >> "$results"
  if [ "$APP" = 1 ]; then
    GLOSS_E2E_BINARY="$ROOT/target/release/gloss-app" tests/e2e/run.sh --script tests/e2e/bench-startup.mjs \
      measure "$lib" "$RUNS" "$OPEN" "$work/app-$n.json" >&2
    python3 - "$work/app-$n.json" "$n" >> "$results" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1])); n = sys.argv[2]
runs = r["runs"]
print(n, "app_first_list_ms", statistics.median(x["fromProcessStartMs"] for x in runs))
print(n, "app_mark_ms", statistics.median(x["markMs"] for x in runs))
print(n, "app_rss_mib", sum(p["rssKiB"] for p in r["memory"]["afterOpening"]) / 1024)
print(n, "app_gloss_rss_mib", sum(p["rssKiB"] for p in r["memory"]["afterOpening"] if p["role"] == "app") / 1024)
PY
  fi
  if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && mv "$lib" "$KEEP/"; fi
  rm -f "$lib" "$lib-wal" "$lib-shm"
done
took=$(( $(date +%s) - began ))

table=$(python3 - "$results" "$SIZES" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    parts = line.split(None, 2)
    if len(parts) == 3:
        rows.setdefault(parts[1], {})[parts[0]] = parts[2].strip()
sizes = sys.argv[2].split()
FIGURES = [
    ("save_rate", "bulk save, `gloss save -`, stories/s", "≥ 150", "{:.0f}"),
    ("search_p50_ms", "search p50, in process, ms", "", "{:.2f}"),
    ("search_p95_ms", "search p95, in process, ms", "≤ 20", "{:.2f}"),
    ("search_max_ms", "search slowest, in process, ms", "", "{:.2f}"),
    ("search_slowest", "slowest query", "", "{}"),
    ("process_search_p50_ms", "search p50, `gloss search` process, ms", "", "{:.1f}"),
    ("process_search_p95_ms", "search p95, `gloss search` process, ms", "≤ 60", "{:.1f}"),
    ("list_all_ms", "first page (100), All, ms", "≤ 10", "{:.2f}"),
    ("list_inbox_ms", "first page, Inbox, ms", "≤ 10", "{:.2f}"),
    ("list_unread_ms", "first page, Unread, ms", "≤ 10", "{:.2f}"),
    ("list_starred_ms", "first page, Starred, ms", "≤ 10", "{:.2f}"),
    ("list_archived_ms", "first page, Archived, ms", "≤ 10", "{:.2f}"),
    ("list_annotated_ms", "first page, Annotated, ms", "≤ 10", "{:.2f}"),
    ("list_tag_ms", "first page, a tag, ms", "≤ 10", "{:.2f}"),
    ("list_feed_ms", "first page, a feed, ms", "≤ 10", "{:.2f}"),
    ("list_folder_ms", "first page, a folder, ms", "≤ 10", "{:.2f}"),
    ("open_story_p50_ms", "opening a story p50, ms", "", "{:.3f}"),
    ("open_story_p95_ms", "opening a story p95, ms", "", "{:.3f}"),
    ("counts_p50_ms", "sidebar counts p50, ms", "≤ 10", "{:.3f}"),
    ("counts_max_ms", "sidebar counts slowest of 20, ms", "", "{:.3f}"),
    ("feeds_p50_ms", "feeds with unread counts p50, ms", "", "{:.3f}"),
    ("size_per_story_kib", "library size per story, KiB", "", "{:.1f}"),
    ("raw_per_story_kib", "raw HTML/text saved per story, KiB", "", "{:.1f}"),
    ("size_vs_raw", "library size / raw HTML", "≤ 2.5", "{:.2f}"),
    ("app_first_list_ms", "app start → first list painted (median), ms", "≤ 1000", "{:.0f}"),
    ("app_mark_ms", "web view navigation → first list (UI mark), ms", "", "{:.0f}"),
    ("app_gloss_rss_mib", "app process RSS after opening stories, MiB", "", "{:.0f}"),
    ("app_rss_mib", "app + WebKit RSS after opening stories, MiB", "", "{:.0f}"),
]
def fmt(f, v):
    try:
        return f.format(float(v))
    except ValueError:
        return f"`{v}`"
head = "| figure | " + " | ".join(f"{int(s):,}" for s in sizes) + " | growth 1k→100k | target |"
print(head)
print("|---" * (len(sizes) + 3) + "|")
for key, label, target, f in FIGURES:
    if key not in rows:
        continue
    vals = [rows[key].get(s, "") for s in sizes]
    growth = ""
    try:
        a, b = float(vals[0]), float(vals[-1])
        growth = f"{b / a:.1f}x" if a > 0 else ""
    except (ValueError, IndexError):
        pass
    print(f"| {label} | " + " | ".join(fmt(f, v) if v else "" for v in vals) + f" | {growth} | {target} |")
PY
)
echo "$table"
echo "took ${took} s; load:$loads"

section="## Scale (bench/scale.sh)

Command: \`bench/scale.sh\` (release build; SIZES=\"$SIZES\", RUNS=$RUNS, OPEN=$OPEN). Took $((took / 60)) min $((took % 60)) s.
Machine: $(machine_line); load average (1 min) before measuring each size:$loads Run: $(date -u +%Y-%m-%d).

Stories: paragraphs of ../shared/corpus (scrapinghub ground truth and Mozilla's expected
articles, read in place) shuffled into 8–30-paragraph stories by \`bench/scale_gen.py\`; nine in
ten are light news pages (metadata, navigation, related links, footer), one in ten plain text.
90% are saved by one \`gloss save - --no-images\` (the bulk rate), 10% as the stories of 20 feeds;
then every 7th is starred, two in three read, every 5th archived, every 10th tagged (30 tags),
every 50th highlighted. Search: 50 fixed queries (10 common words, 10 rare words, 10 phrases or
several words, 10 prefixes, 5 substrings of words, 5 with no hit; 50 hits at most), one warm-up
pass then 5 timed passes in process (\`scale_bench measure\`); the process figure is each query
once as \`gloss search\` (process start to exit). Lists: the UI's first page (100 stories), median
of 20. App: \`tests/e2e/bench-startup.mjs\` as in bench/startup.sh (median of $RUNS launches; memory
after opening $OPEN stories). Growth is the 100k figure over the 1k one.

$table
"
write_section "## Scale (bench/scale.sh)" "$section"
