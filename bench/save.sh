#!/usr/bin/env bash
# Saves the 184 pages of ../shared/corpus (98 scrapinghub + 86 mozilla) from
# local files into a fresh library and reports:
#   - in-process: median / p95 ms per page (read, decode, extract, sanitize,
#     store, index), via the save_timing example, release build;
#   - whole command: stories per second for `gloss save -` (one process, all
#     pages on standard input), release build.
# Images are skipped (--no-images): the pages' images are on the internet,
# which benchmarks never reach. Writes the table to docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CORPUS="${CORPUS:-$ROOT/../shared/corpus}"
cd "$ROOT"
source bench/lib.sh

[ -d "$CORPUS" ] || { echo "no corpus at $CORPUS (set CORPUS=...)" >&2; exit 1; }
[ -f ui/dist/index.html ] || npm --prefix ui run build --silent

cargo build --release --quiet --features custom-protocol --bin gloss
cargo build --release --quiet -p gloss-core --example save_timing

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
find "$CORPUS/scrapinghub/html" -name '*.html' | sort > "$work/files"
find "$CORPUS/mozilla" -name source.html | sort >> "$work/files"
pages=$(wc -l < "$work/files")

inproc="$(xargs -a "$work/files" -d '\n' target/release/examples/save_timing "$work/a.gloss")"
get() { echo "$inproc" | sed -n "s/^$1=//p"; }

start=$(date +%s.%N)
target/release/gloss --library "$work/b.gloss" save - --no-images --quiet < "$work/files"
end=$(date +%s.%N)
cli_rate=$(echo "$pages / ($end - $start)" | bc -l)
cli_secs=$(echo "$end - $start" | bc -l)
size_kib=$(( $(stat -c %s "$work/b.gloss") / 1024 ))
raw_kib=$(( $(xargs -a "$work/files" -d '\n' cat | wc -c) / 1024 ))

machine="$(machine_line)"
table=$(cat <<TABLE
| figure | value |
|---|---|
| pages saved (in-process run) | $(get pages) of $pages (failed: $(get failed)) |
| median ms per page, in-process | $(get median_ms) |
| p95 ms per page, in-process | $(get p95_ms) |
| slowest page, ms | $(get max_ms) |
| stories/s, in-process | $(get stories_per_s) |
| stories/s, \`gloss save -\` (whole process, $pages pages in $(printf %.2f "$cli_secs") s) | $(printf %.1f "$cli_rate") |
| library size / raw HTML | ${size_kib} KiB / ${raw_kib} KiB |
TABLE
)
echo "$table"

section="## Saving the corpus (bench/save.sh)

Command: \`bench/save.sh\` (release build; $pages local pages of ../shared/corpus; images skipped).
Machine: $machine. Run: $(date -u +%Y-%m-%d).

$table
"
write_section "## Saving the corpus (bench/save.sh)" "$section"
