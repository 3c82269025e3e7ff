#!/usr/bin/env bash
# A feed account's sync, through the command line (release build), against
# the in-repo FAKE Google Reader API server (gloss_core::testing::FakeGReader
# run as bench/fake_greader.rs: no real GReader server installs from the
# registries here; it answers in memory, so the figures are Gloss's side of
# the work plus local HTTP, not a real server's):
#   - the first sync of an account with 50 feeds and 20,000 items (every item
#     new: stories made, stored and indexed);
#   - a sync of 1,000 state changes: 1,000 stories marked read in Gloss
#     (`gloss read`, one write), then `gloss accounts sync` pushes them.
# Each timed as a whole process, with the requests the server served.
# Writes its section of docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source bench/lib.sh
FEEDS="${FEEDS:-50}"
ITEMS="${ITEMS:-400}"
CHANGES="${CHANGES:-1000}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
[[ "$TARGET" == /* ]] || TARGET="$ROOT/$TARGET"

[ -f ui/dist/index.html ] || npm --prefix ui run build --silent
# Gloss in release. The fake server is an example of the gloss package and
# needs its dev-dependencies (gloss-core's `testing`, Tauri's `test`); built
# in release they would be a second release build of Tauri, so it runs as a
# debug build (the server's share of the time is small; see the section).
cargo build --release --quiet --features custom-protocol --bin gloss
cargo build --quiet --features tauri/custom-protocol --example fake_greader
GLOSS="$TARGET/release/gloss"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  exec 3>&- 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The server reads commands from a FIFO (fd 3) and answers on a file.
mkfifo "$work/ctl"
"$TARGET/debug/examples/fake_greader" --feeds "$FEEDS" --items "$ITEMS" --url-file "$work/url" < "$work/ctl" > "$work/answers" &
server_pid=$!
exec 3> "$work/ctl"
for _ in $(seq 600); do [ -s "$work/url" ] && break; sleep 0.1; done
[ -s "$work/url" ] || { echo "the fake server did not start" >&2; exit 1; }
url="$(cat "$work/url")"
ask() { # ask "requests" → its answer (the last line the server wrote)
  local before
  before=$(wc -l < "$work/answers")
  echo "$1" >&3
  for _ in $(seq 100); do [ "$(wc -l < "$work/answers")" -gt "$before" ] && break; sleep 0.05; done
  tail -1 "$work/answers"
}

lib="$work/bench.gloss"
export GLOSS_LIBRARY="$lib"
printf 'bench password' | "$GLOSS" accounts add greader "$url" --user bench --password-stdin > /dev/null
account_id=$("$GLOSS" accounts list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')

timed_sync() { # seconds; the sync's JSON in $work/sync.json
  local start end
  start=$(date +%s.%N)
  "$GLOSS" accounts sync "$account_id" --json > "$work/sync.json"
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
field() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r=r[0] if isinstance(r,list) else r; v=r[sys.argv[2]]; print("none" if v is None else v)' "$work/sync.json" "$1"; }

r0=$(ask requests)
first_s=$(timed_sync)
r1=$(ask requests)
first_new=$(field new_stories); first_pulled=$(field pulled); first_error=$(field error)
stories=$("$GLOSS" list --limit 100000 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')

# 1,000 stories read in Gloss, in one command (one write, 1,000 queued changes).
mapfile -t ids < <("$GLOSS" list --unread --limit "$CHANGES" --json | python3 -c 'import json,sys; [print(s["id"]) for s in json.load(sys.stdin)]')
mark_start=$(date +%s.%N)
"$GLOSS" read "${ids[@]}" > /dev/null
mark_end=$(date +%s.%N)
mark_s=$(echo "$mark_end - $mark_start" | bc -l)
pending=$("$GLOSS" accounts list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["pending"])')
r2=$(ask requests)
push_s=$(timed_sync)
r3=$(ask requests)
pushed=$(field pushed); push_error=$(field error)
read_on_server=$(ask read)
size_kib=$(( $(stat -c %s "$lib") / 1024 ))

machine="$(machine_line)"
table=$(cat <<TABLE
| figure | value |
|---|---|
| first sync ($FEEDS feeds, $((FEEDS * ITEMS)) items), s | $(printf %.2f "$first_s") |
| items pulled / stories made / stories in the library / error | $first_pulled / $first_new / $stories / $first_error |
| requests to the server, first sync | $((r1 - r0)) |
| \`gloss read\` of ${#ids[@]} stories (queues them), s | $(printf %.2f "$mark_s") |
| changes queued before the sync | $pending |
| sync of the $CHANGES changes, s | $(printf %.2f "$push_s") |
| changes pushed / items read on the server after / error | $pushed / $read_on_server / $push_error |
| requests to the server, that sync | $((r3 - r2)) |
| library size after | ${size_kib} KiB |
TABLE
)
echo "$table"

section="## Feed accounts (bench/accounts.sh)

Command: \`bench/accounts.sh\` (release build; FEEDS=$FEEDS ITEMS=$ITEMS CHANGES=$CHANGES). Server: the
in-repo **fake** Google Reader API server (\`gloss_core::testing::FakeGReader\`, run by
bench/fake_greader.rs on 127.0.0.1, a debug build; FreshRSS's documented API, answered from memory:
the figures are Gloss's work plus local HTTP, not a real server's). \`gloss accounts add greader\`, then
\`gloss accounts sync ID --json\` twice, each timed as a whole process: the first sync pulls
everything; before the second, \`gloss read\` marks $CHANGES stories read in one command, and the sync
pushes them. Request counts are the server's own.
Machine: $machine.

$table"
write_section "## Feed accounts (bench/accounts.sh)" "$section"
