#!/usr/bin/env bash
# Imports a generated 10,000-story Pocket CSV (the size of one part of
# Pocket's last export) into a fresh library with `gloss import --no-fetch`,
# release build, and reports the wall time of the whole command (goal:
# under 3 s). Writes its section of docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source bench/lib.sh
STORIES="${STORIES:-10000}"
RUNS="${RUNS:-3}"

[ -f ui/dist/index.html ] || npm --prefix ui run build --silent
cargo build --release --quiet --features custom-protocol --bin gloss

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$work/pocket.csv" "$STORIES" <<'PY'
import csv, sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["title", "url", "time_added", "tags", "status"])
    for i in range(n):
        tags = "|".join(t for t, on in (("news", i % 3 == 0), ("long read", i % 7 == 0), ("tech", i % 5 == 0)) if on)
        w.writerow([f'Story {i}: a "quoted", title', f"https://site{i % 400}.example/articles/{i}?utm_source=pocket",
                    1600000000 + i * 60, tags, "archive" if i % 4 == 0 else "unread"])
PY

times=()
for run in $(seq "$RUNS"); do
  rm -f "$work/lib.gloss"*
  start=$(date +%s.%N)
  target/release/gloss --library "$work/lib.gloss" import "$work/pocket.csv" --no-fetch --json > "$work/out.json"
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc -l)")
done
imported=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["imported"])' "$work/out.json")
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
best=$(echo "$sorted" | head -1)
median=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
size_kib=$(( $(stat -c %s "$work/lib.gloss") / 1024 ))
rate=$(echo "$imported / $median" | bc -l)

machine="$(machine_line)"
table=$(cat <<TABLE
| figure | value |
|---|---|
| stories imported | $imported of $STORIES |
| whole command, median of $RUNS runs | $(printf %.2f "$median") s (goal < 3 s) |
| whole command, best run | $(printf %.2f "$best") s |
| stories/s | $(printf %.0f "$rate") |
| library size | ${size_kib} KiB |
TABLE
)
echo "$table"

section="## Import (bench/import.sh)

Command: \`bench/import.sh\` (release build; \`gloss import pocket.csv --no-fetch\` of a generated $STORIES-row Pocket CSV into a new library: parse, normalise URLs, tags, states, dates, batches of 500 stories in one transaction each, full-text index).
Machine: $machine. Run: $(date -u +%Y-%m-%d).

$table
"
write_section "## Import (bench/import.sh)" "$section"
