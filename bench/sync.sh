#!/usr/bin/env bash
# Sync over loopback WebDAV (release build; rclone serve webdav on
# 127.0.0.1, started and stopped by the timing program):
#   - a new device receives N stories, each with its own image (target: 10,000 in <= 60 s);
#   - 100 changes make a round trip: sent by A, received and applied by B (<= 2 s);
#   - a sync with nothing new (<= 200 ms, <= 3 requests, counted by a proxy in front of rclone);
#   - bytes on the server against the library's content (<= 1.3x).
# Plain, then end-to-end encrypted. Prints a table and writes its section in docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source bench/lib.sh
N="${N:-10000}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
WORK="$ROOT/target/bench-sync"
command -v rclone >/dev/null || { echo "bench/sync.sh needs rclone (apt-get install rclone)" >&2; exit 1; }

cargo build --release --quiet -p gloss-core --example sync_timing
run() {
  rm -rf "$WORK"
  mkdir -p "$WORK"
  "$TARGET_DIR/release/examples/sync_timing" "$WORK" "$N" "$1"
  rm -rf "$WORK"
}
plain="$(run plain)"
encrypted="$(run encrypted)"
get() { echo "$1" | sed -n "s/^$2=//p"; }

table="| figure | target | plain | encrypted (age) |
|---|---|---|---|
| a new device receives $N stories with images (stories on B) | <= 60 s | $(get "$plain" receive_ms) ms ($(get "$plain" received_stories)) | $(get "$encrypted" receive_ms) ms ($(get "$encrypted" received_stories)) |
| 100 changes, A to B (sent / applied) | <= 2 s | $(get "$plain" round_trip_100_ms) ms ($(get "$plain" round_trip_ops)) | $(get "$encrypted" round_trip_100_ms) ms ($(get "$encrypted" round_trip_ops)) |
| a sync with nothing new, median of 5 | <= 200 ms | $(get "$plain" nothing_new_ms_median_of_5) ms | $(get "$encrypted" nothing_new_ms_median_of_5) ms |
| requests of a sync with nothing new | <= 3 | $(get "$plain" nothing_new_requests) ($(get "$plain" nothing_new_methods)) | $(get "$encrypted" nothing_new_requests) ($(get "$encrypted" nothing_new_methods)) |
| bytes on the server / the library's content | <= 1.3 | $(get "$plain" server_over_content) ($(get "$plain" server_bytes) / $(get "$plain" content_bytes)) | $(get "$encrypted" server_over_content) ($(get "$encrypted" server_bytes) / $(get "$encrypted" content_bytes)) |
| first upload of the $N stories by A | — | $(get "$plain" first_upload_ms) ms | $(get "$encrypted" first_upload_ms) ms |
| opening the transport (encrypted: the key file's scrypt) | — | $(get "$plain" open_ms) ms | $(get "$encrypted" open_ms) ms |"
echo "$table"

machine="$(machine_line)"
section="## Sync over WebDAV (bench/sync.sh)

Command: \`bench/sync.sh\` (release build; \`N=$N\`; rclone $(rclone version 2>/dev/null | head -1 | awk '{print $2}') serving a folder on 127.0.0.1, libraries and served folder on the repository's disk). Machine: $machine. Run: $(date -u +%Y-%m-%d).
Each story has about 4.7 KB of text and HTML and its own incompressible 8 KiB image. Times are direct to rclone; requests are counted by the fault proxy (\`gloss_core::testing::fault_proxy\`) in front of it, one connection per request. The content is the stories' HTML, text, title, address and image bytes as saved.

$table"
write_section "## Sync over WebDAV (bench/sync.sh)" "$section"
