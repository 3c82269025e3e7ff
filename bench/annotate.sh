#!/usr/bin/env bash
# Annotation benchmarks:
#   - re-anchoring 10,000 highlights over the scrapinghub article texts (over 1,000 characters) of
#     ../shared/corpus (read in place) after each text gained a new first
#     paragraph and lost its second sentence (release build, in-process);
#   - rendering a story with 200 highlights in the reader (see the rendering
#     row: measured by ui/bench/highlights.mjs when present).
# Prints a table and writes its section in docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CORPUS="${CORPUS:-$ROOT/../shared/corpus}"
cd "$ROOT"
source bench/lib.sh
[ -f "$CORPUS/scrapinghub/ground-truth.json" ] || { echo "no corpus at $CORPUS" >&2; exit 1; }

cargo build --release --quiet -p gloss-core --example anchor_timing
out="$(target/release/examples/anchor_timing "$CORPUS/scrapinghub/ground-truth.json" 10000)"
get() { echo "$out" | sed -n "s/^$1=//p"; }

rows="| re-anchoring $(get annotations) highlights over $(get texts) edited texts, total | $(get total_ms) ms |
| per highlight | $(get per_annotation_us) µs |
| placed by exact quote / fuzzily / orphaned (their words were edited away) | $(get placed_by_quote) / $(get placed_fuzzily) / $(get orphaned) |"
if [ -f ui/bench/highlights.mjs ]; then
  [ -d ui/node_modules ] || npm --prefix ui ci --no-audit --no-fund
  rows="$rows
$(node ui/bench/highlights.mjs)"
fi
table="| figure | value |
|---|---|
$rows"
echo "$table"

machine="$(machine_line)"
section="## Annotations (bench/annotate.sh)

Command: \`bench/annotate.sh\` (release build). Machine: $machine. Run: $(date -u +%Y-%m-%d).

$table
"
write_section "## Annotations (bench/annotate.sh)" "$section"
