#!/usr/bin/env bash
# Runs each cargo-fuzz target of fuzz/ for a set time (default 300 s each,
# one after the other, niced: the machine is shared) and writes a table of
# target, seconds, runs and crashes to docs/benchmarks.md.
#
#   bench/fuzz.sh [SECONDS]            # every target
#   TARGETS="search feed" bench/fuzz.sh 60
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz --locked`).
# Seeds: fuzz/seeds/<target>/ (small, committed), plus the extraction corpus in
# ../shared/corpus (read in place, never copied into the repository). The
# import target's first byte picks the parser, so each import seed is given
# once per parser. A crash leaves its input in fuzz/artifacts/<target>/:
# turn it into a regression test in src-tauri/core/tests/adversarial/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source bench/lib.sh
SECS="${1:-300}"
TARGETS="${TARGETS:-extract feed import search}"
SHARED="${SHARED:-$ROOT/../shared}"

command -v cargo-fuzz >/dev/null || { echo "fuzz: cargo-fuzz is missing (cargo install cargo-fuzz --locked)" >&2; exit 2; }
nice -n 15 cargo +nightly fuzz build -O --fuzz-dir fuzz >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A working corpus per target, seeded afresh each run.
seed() {
  local target="$1" dir="$work/corpus-$1"
  mkdir -p "$dir"
  case "$target" in
    import)
      # One copy of each seed per parser: byte 0 mod 11 picks it (see fuzz_targets/import.rs).
      for f in fuzz/seeds/import/*; do
        for b in 0 1 2 3 4 5 6 7 8 9 10; do
          { printf "\\x$(printf %02x "$b")"; cat "$f"; } > "$dir/$(basename "$f").$b"
        done
      done
      ;;
    extract)
      cp fuzz/seeds/extract/* "$dir/"
      # A few real pages, as a page (byte 0) and as a bare fragment (byte 1).
      if [ -d "$SHARED/corpus/mozilla" ]; then
        for page in $(ls "$SHARED/corpus/mozilla" | head -40); do
          src="$SHARED/corpus/mozilla/$page/source.html"
          [ -f "$src" ] || continue
          { printf '\x00'; head -c 200000 "$src"; } > "$dir/$page.0"
          { printf '\x01'; head -c 50000 "$src"; } > "$dir/$page.1"
        done
      fi
      ;;
    *) cp "fuzz/seeds/$target"/* "$dir/" ;;
  esac
  echo "$dir"
}

# Rows of targets not run this time are kept from the last run (TARGETS=search
# after a fix re-runs one target without losing the others' figures).
ALL_TARGETS="extract feed import search"
declare -A row
for t in $ALL_TARGETS; do
  row[$t]="$(grep "^| \`$t\` |" "${BENCH_DOC:-docs/benchmarks.md}" 2>/dev/null | head -1 || true)"
done
for target in $TARGETS; do
  corpus="$(seed "$target")"
  mkdir -p "fuzz/artifacts/$target"
  before="$(ls "fuzz/artifacts/$target" | wc -l)"
  log="$work/$target.log"
  echo "fuzz: $target for ${SECS}s" >&2
  status=0
  nice -n 15 cargo +nightly fuzz run -O --fuzz-dir fuzz "$target" "$corpus" -- \
    -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=20 -max_len=65536 -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  [ -n "$runs" ] || runs="$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')"
  after="$(ls "fuzz/artifacts/$target" | wc -l)"
  crashes=$((after - before))
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes="1 (exit $status)"; fi
  if [ "$status" -ne 0 ]; then tail -40 "$log" >&2; fi
  echo "fuzz: $target: ${runs:-0} runs, $crashes crashes" >&2
  row[$target]="| \`$target\` | $SECS | ${runs:-0} | $crashes |"
done
rows=""
for t in $ALL_TARGETS; do
  if [ -n "${row[$t]}" ]; then rows+="${row[$t]}"$'\n'; fi
done

section="## Fuzzing (bench/fuzz.sh)

\`bench/fuzz.sh $SECS\` (last run: \`TARGETS="$TARGETS"\`) — each cargo-fuzz target for the seconds shown (libFuzzer, address sanitizer, one at a time at \`nice -n 15\`), seeded from \`fuzz/seeds/\` and the extraction corpus. A crash is any panic, sanitizer report, timeout (20 s) or memory over 2 GiB; the targets also assert that everything extracted or imported passes the adversarial suite's safety oracle and that every search query is valid FTS5.

Machine: $(machine_line)

| target | seconds | runs | crashes |
|---|---:|---:|---:|
$rows"
write_section "## Fuzzing (bench/fuzz.sh)" "$section"
