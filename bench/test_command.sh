#!/usr/bin/env bash
# What the README's test command costs on a clean clone, as CI runs it:
# clones HEAD into a temporary folder (with ../shared beside it, as CI lays
# it), runs `CI=true scripts/test` there, and records its wall time, the
# largest target/ seen (sampled every 5 s) and target/ at the end. CI's
# machine has a disk shared with other work, and one run ran it out while
# bundling; this is the figure to watch. Writes its section of
# docs/benchmarks.md; the clone is removed afterwards, passing or failing.
#
#   bench/test_command.sh            # the whole suite
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source bench/lib.sh

[ -d ../shared ] || {
  echo "bench/test_command.sh: ../shared is missing (the corpus the tests read)" >&2
  exit 2
}
work="$(mktemp -d "${TMPDIR:-/tmp}/gloss-test-command.XXXXXX")"
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

git clone --quiet "$ROOT" "$work/main"
ln -s "$(cd ../shared && pwd)" "$work/shared"
commit="$(git -C "$work/main" rev-parse --short HEAD)"

peak_file="$work/peak"
echo 0 >"$peak_file"
(
  while sleep 5; do
    # du still prints its total when a file vanishes under it (the build
    # is running), but exits 1: keep the total, not a second line.
    kib="$( { du -sk "$work/main/target" 2>/dev/null || true; } | cut -f1 | head -n1)"
    [ "${kib:-0}" -gt "$(cat "$peak_file")" ] && echo "$kib" >"$peak_file"
  done
) &
sampler=$!

free_before="$(df -Pk "$work" | awk 'NR == 2 { print $4 }')"
start=$(date +%s)
status=0
(cd "$work/main" && CI=true bash .ci/run </dev/null >"$work/run.log" 2>&1) || status=$?
elapsed=$(($(date +%s) - start))
kill "$sampler" 2>/dev/null || true
sampler=""
final_kib="$(du -sk "$work/main/target" | cut -f1)"
peak_kib="$(cat "$peak_file")"
((final_kib > peak_kib)) && peak_kib=$final_kib
tests_line="$(grep -E '^(ℹ (pass|fail) |test result:)' "$work/run.log" | awk '/^ℹ pass/{p+=$3} /^ℹ fail/{f+=$3} /^test result:/{p+=$4; f+=$6} END {printf "%d passed, %d failed", p, f}')"

if ((status != 0)); then
  tail -40 "$work/run.log" >&2
  echo "bench/test_command.sh: the test command failed (exit $status); nothing written" >&2
  exit 1
fi

gib() { echo "scale=1; $1 / 1048576" | bc -l; }
section="## The test command on a clean clone (bench/test_command.sh)

Command: \`bench/test_command.sh\` (a fresh clone of $commit, \`CI=true bash .ci/run\`; Cargo's registry and the
Debian and npm packages already on the machine, as on CI's).
Machine: $(machine_line). Run: $(date -u +%Y-%m-%d).

| what | figure |
|---|---|
| wall time, install to the last e2e test | $((elapsed / 60)) min $((elapsed % 60)) s |
| largest \`target/\` seen (every 5 s) | $(gib "$peak_kib") GiB |
| \`target/\` at the end | $(gib "$final_kib") GiB |
| free disk before the run | $(gib "$free_before") GiB |
| tests counted (Rust harness and e2e closing lines) | $tests_line |

Debug builds keep line tables only, with no debug info for dependencies,
CI turns incremental caches off, and the debug \`.deb\`/\`.rpm\` are removed
once checked (Cargo.toml, scripts/test, tests/package.sh). Before that a
clean run left 12 GiB in \`target/\` (7.7 GiB of it in \`deps/\`) and one CI
run ran out of disk while bundling the \`.rpm\`.
"
echo "$section"
write_section "## The test command on a clean clone (bench/test_command.sh)" "$section"
