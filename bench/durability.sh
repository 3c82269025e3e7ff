#!/usr/bin/env bash
# What durability costs (release build, in-process, a library on the same
# disk as the repository, never tmpfs: fsync is the point):
#   - N single-story saves and N highlight writes, each its own transaction,
#     with synchronous=NORMAL and =FULL (WAL mode);
#   - the start-up check (PRAGMA quick_check) and a verified backup of a
#     library of BIG stories.
# Prints a table and writes its section in docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source bench/lib.sh
N="${N:-300}"
BIG="${BIG:-10000}"
WORK="$ROOT/target/bench-durability"
rm -rf "$WORK"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet -p gloss-core --example durability_timing
out="$(target/release/examples/durability_timing "$WORK" "$N" "$BIG")"
get() { echo "$out" | sed -n "s/^$1=//p"; }

table="| figure | NORMAL | FULL (chosen) |
|---|---|---|
| save one story, median / mean of $N (ms) | $(get normal_save_median_ms) / $(get normal_save_mean_ms) | $(get full_save_median_ms) / $(get full_save_mean_ms) |
| add one highlight, median / mean of $N (ms) | $(get normal_annotation_median_ms) / $(get normal_annotation_mean_ms) | $(get full_annotation_median_ms) / $(get full_annotation_mean_ms) |

| figure ($(get big_stories) stories, $(get big_mib) MiB) | value |
|---|---|
| opening the library (no check) | $(get open_ms) ms |
| \`PRAGMA quick_check\` (after an unclean exit; in the app's background check) | $(get quick_check_ms) ms |
| verified backup (online backup API + quick_check of the copy) | $(get backup_ms) ms |"
echo "$table"

machine="$(machine_line)"
section="## Durability (bench/durability.sh)

Command: \`bench/durability.sh\` (release build; \`N=$N BIG=$BIG\`). Machine: $machine. Run: $(date -u +%Y-%m-%d).
Each save and highlight is its own transaction, as a user's action is. Why FULL: see docs/durability.md.

$table
"
write_section "## Durability (bench/durability.sh)" "$section"
