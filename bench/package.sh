#!/usr/bin/env bash
# The Linux packages (goal: the .deb under 15 MB): runs the README's package
# command (scripts/package: a build with Cargo's `dist` profile, then `tauri
# build --bundles deb,rpm`), times it, and reports the sizes of the .deb and
# .rpm, what they install, and the two binaries. The build time depends on
# what target/dist already holds; the section says which it was.
# Prints a table and writes its section of docs/benchmarks.md.
#
#   bench/package.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source bench/lib.sh

fresh="incremental (target/dist already held a build)"
[ -x target/dist/gloss-app ] || fresh="from scratch (no earlier dist build)"
machine="$(machine_line)"
start=$(date +%s)
scripts/package >target/package-bench.log 2>&1 || {
  tail -30 target/package-bench.log >&2
  exit 1
}
seconds=$(($(date +%s) - start))

deb="$(ls target/dist/bundle/deb/*.deb | head -1)"
rpm="$(ls target/dist/bundle/rpm/*.rpm | head -1)"
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
deb_bytes=$(stat -c %s "$deb")
rpm_bytes=$(stat -c %s "$rpm")
installed_kib=$(dpkg-deb -f "$deb" Installed-Size)
app_bytes=$(stat -c %s target/dist/gloss-app)
cli_bytes=$(stat -c %s target/dist/gloss)
stripped="$(file -b target/dist/gloss-app | grep -o 'not stripped\|stripped' | head -1)"
goal="under 15 MB: yes"
((deb_bytes < 15000000)) || goal="under 15 MB: NO"

# The plain release profile's package, if one was built (for comparison).
release_row=""
release_deb="$(ls target/release/bundle/deb/*.deb 2>/dev/null | head -1 || true)"
if [ -n "$release_deb" ]; then
  release_row="
| for comparison: \`$(basename "$release_deb")\` from the plain release profile (strip only) | $(mib "$(stat -c %s "$release_deb")") |"
fi

table="| what | size |
|---|---|
| \`$(basename "$deb")\` | $(mib "$deb_bytes") ($goal) |
| \`$(basename "$rpm")\` | $(mib "$rpm_bytes") |
| installed (.deb \`Installed-Size\`) | $(mib $((installed_kib * 1024))) |
| \`/usr/bin/gloss-app\` (window; $stripped) | $(mib "$app_bytes") |
| \`/usr/bin/gloss\` (command line, no WebKit) | $(mib "$cli_bytes") |$release_row"

section="## Packages (bench/package.sh)

\`bench/package.sh\` runs \`scripts/package\` (a build with Cargo's \`dist\` profile, then
\`tauri build --bundles deb,rpm -- --profile dist\`) and measures what it
made. Cargo profile \`dist\`: the release profile (\`strip = \"symbols\"\`) plus
\`lto = \"fat\"\`, \`codegen-units = 1\`, \`opt-level = \"s\"\`; \`scripts/run\` and the
benchmarks keep the quicker plain release profile.

Machine: $machine.
The command took ${seconds} s, $fresh.

$table"

echo "$table"
echo "build: ${seconds} s, $fresh"
write_section "## Packages (bench/package.sh)" "$section"
