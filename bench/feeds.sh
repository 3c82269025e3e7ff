#!/usr/bin/env bash
# Refreshes 500 feeds of 50 items each from a local server (bench/feeds_server.py
# on 127.0.0.1, started and stopped here) into a fresh library and reports:
#   - the first refresh (every feed new: 25,000 stories extracted, sanitized,
#     stored and indexed);
#   - the second refresh (every feed answers 304 Not Modified).
# Both through `gloss feeds refresh --json` (release build), timed as whole
# processes. Writes its section of docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source bench/lib.sh
FEEDS="${FEEDS:-500}"
ITEMS="${ITEMS:-50}"

[ -f ui/dist/index.html ] || npm --prefix ui run build --silent
cargo build --release --quiet --features custom-protocol --bin gloss
GLOSS="$ROOT/target/release/gloss"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

python3 bench/feeds_server.py --feeds "$FEEDS" --items "$ITEMS" --port-file "$work/port" --max-seconds 1800 &
server_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port="$(cat "$work/port")"

{
  echo '<?xml version="1.0"?><opml version="2.0"><head><title>bench</title></head><body>'
  for i in $(seq 0 $((FEEDS - 1))); do
    echo "<outline text=\"Bench $i\" xmlUrl=\"http://127.0.0.1:$port/feed/$i.xml\"/>"
  done
  echo '</body></opml>'
} > "$work/subs.opml"

lib="$work/bench.gloss"
"$GLOSS" --library "$lib" import "$work/subs.opml" > /dev/null

timed() { # prints seconds; output of the command to $work/out.json
  local start end
  start=$(date +%s.%N)
  "$GLOSS" --library "$lib" feeds refresh --json > "$work/out.json"
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
summary() { # new stories, feeds not modified, feeds failed
  python3 - "$work/out.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(sum(x["new"] for x in r), sum(1 for x in r if x["not_modified"]), sum(1 for x in r if x["error"]))
PY
}

first_s=$(timed); read -r first_new first_304 first_err < <(summary)
second_s=$(timed); read -r second_new second_304 second_err < <(summary)
stats=$(curl -s "http://127.0.0.1:$port/stats" || echo "? ? ?")
size_kib=$(( $(stat -c %s "$lib") / 1024 ))

machine="$(machine_line)"
table=$(cat <<TABLE
| figure | value |
|---|---|
| first refresh (all new), s | $(printf %.2f "$first_s") |
| stories added / feeds failed | $first_new / $first_err |
| second refresh (all 304), s | $(printf %.2f "$second_s") |
| feeds answering 304 / stories added / failed | $second_304 of $FEEDS / $second_new / $second_err |
| server: 200s, 304s, 404s | $stats |
| library size after | ${size_kib} KiB |
TABLE
)
echo "$table"

section="## Feeds (bench/feeds.sh)

Command: \`bench/feeds.sh\` (release build; $FEEDS RSS feeds of $ITEMS items on one local server,
bench/feeds_server.py on 127.0.0.1; imported from OPML, then \`gloss feeds refresh --json\` twice,
each timed as a whole process; at most 2 connections to the one host, as for any host).
Machine: $machine. Run: $(date -u +%Y-%m-%d). Goal: second refresh under 3 s.

$table
"
write_section "## Feeds (bench/feeds.sh)" "$section"
