#!/usr/bin/env bash
# Reader-view extraction: quality and speed of Gloss against Readability.js,
# both in process, on the same pages (the development corpus in
# ../shared/corpus, read in place). Prints the figures and writes the
# "## Extraction (bench/extract.sh)" section of docs/benchmarks.md.
#
#   bench/extract.sh            # Gloss 3 rounds before and 3 after Readability.js's 1 round
#   ROUNDS=5 JS_ROUNDS=2 bench/extract.sh
#   SKIP_CLI=1 bench/extract.sh # skip the whole-process F1 run of `gloss extract`
#   SKIP_CV=1 bench/extract.sh  # skip the 5-fold cross-validation (a few minutes)
#
# Needs cargo, node and npm (Readability.js and jsdom 27.0.0 are installed
# by this script into a temporary folder), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
root=$PWD
corpus=${CORPUS:-$root/../shared/corpus}
rounds=${ROUNDS:-3}
js_rounds=${JS_ROUNDS:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== building (release)"
cargo build --release -q -p gloss-core --example extract_bench
target=${CARGO_TARGET_DIR:-$root/target}
bench=$target/release/examples/extract_bench

echo "== page list"
python3 - "$corpus" > "$tmp/pages.tsv" <<'PY'
import json, sys
from pathlib import Path
split = Path(sys.argv[1])
gt = json.loads((split / "scrapinghub/ground-truth.json").read_text(encoding="utf-8"))
for pid in sorted(gt):
    print(f"{(split / 'scrapinghub/html' / (pid + '.html')).resolve()}\t{gt[pid].get('url') or 'http://fakehost/'}")
for d in sorted((split / "mozilla").iterdir()):
    if (d / "source.html").exists():
        print(f"{(d / 'source.html').resolve()}\thttp://fakehost/test/page.html")
PY
pages=$(wc -l < "$tmp/pages.tsv")
echo "$pages pages"

(cd "$tmp" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
    @mozilla/readability jsdom@27.0.0 >/dev/null)
readability_version=$(node -p "require('$tmp/node_modules/@mozilla/readability/package.json').version")

# Gloss is timed just before and just after Readability.js, and its figure is
# both runs together: this machine's speed moves by a third within minutes,
# and a few seconds of Gloss taken only on one side of Readability's half
# minute moved the ratio by as much.
echo "== load before timing: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== Gloss (extract_html, in process), before Readability.js"
gl_before=$("$bench" time "$tmp/pages.tsv" "$rounds")
echo "$gl_before"
echo "== Readability.js (npm @mozilla/readability, jsdom@27.0.0)"
js=$(NODE_PATH="$tmp/node_modules" node "$root/bench/readability_anchor.mjs" "$tmp/pages.tsv" "$js_rounds")
echo "$js"
echo "== Gloss (extract_html, in process), after Readability.js"
gl_after=$("$bench" time "$tmp/pages.tsv" "$rounds")
echo "$gl_after"

field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<< "$2"; }
js_pps=$(field pages_per_s "$js"); js_med=$(field median_ms "$js")
gl_pps_before=$(field pages_per_s "$gl_before"); gl_pps_after=$(field pages_per_s "$gl_after")
# Pages over seconds of both runs; the median per page, of the two medians' mean.
gl_pps=$(python3 -c "print(f'{2 * $pages * $rounds / ($(field total_s "$gl_before") + $(field total_s "$gl_after")):.1f}')")
gl_med=$(python3 -c "print(f'{($(field median_ms "$gl_before") + $(field median_ms "$gl_after")) / 2:.3f}')")
ratio=$(python3 -c "print(f'{$gl_pps / $js_pps:.1f}')")
echo "Gloss, both runs: pages_per_s=$gl_pps median_ms=$gl_med"
echo "ratio: Gloss is ${ratio}x Readability.js in pages/s"

echo "== quality (in process, same metric as shared/tools/extract_eval.py)"
quality=$("$bench" eval "$corpus")
echo "$quality"
sh_f1=$(awk '/^scrapinghub/{print $4}' <<< "$quality")
mz_f1=$(awk '/^mozilla +n=/{print $4}' <<< "$quality")
meta_rows=$(awk '/^mozilla metadata/{note = ($3 == "image") ? " (no image in the file: the page'"'"'s og:image)" : ""; printf "| %s equal to mozilla expected-metadata.json%s | %s |\n", $3, note, $4}' <<< "$quality")

cv_rows="not run (SKIP_CV=1)"
if [ -z "${SKIP_CV:-}" ]; then
  echo "== cross-validation (5 folds by site; rules chosen on 4 folds, scored on the 5th)"
  cv=$("$bench" eval "$corpus" --folds 5)
  echo "$cv"
  cv_rows=$(printf '```\n%s\n```' "$cv")
fi

cli_line="not run (SKIP_CLI=1)"
cli_cmd='python3 ../shared/tools/extract_eval.py --split ../shared/corpus --cmd "target/release/gloss extract {path} --base-url {url} --format text"'
if [ -z "${SKIP_CLI:-}" ]; then
  echo "== quality through the CLI (extract_eval.py, one process per page)"
  cargo build --release -q --features custom-protocol --bin gloss
  cli=$(python3 "$corpus/../tools/extract_eval.py" --split "$corpus" --bootstrap 0 \
        --cmd "$target/release/gloss extract {path} --base-url {url} --format text")
  echo "$cli"
  cli_line=$(awk '/^(scrapinghub|mozilla) /{printf "%s F1 %s (fail %s); ", $1, $4, $14}' <<< "$cli")
fi

machine="$(machine_line)"
section="## Extraction (bench/extract.sh)

Command: \`bench/extract.sh\` (release build; $pages pages of ../shared/corpus, development split;
Gloss $rounds rounds just before and $rounds just after Readability.js's $js_rounds round(s), the
two together in the table ($gl_pps_before and $gl_pps_after pages/s); both in process, only
extraction timed).
Machine: $machine. Run: $(date -u +%Y-%m-%d).

| figure | Gloss (\`extract_html\`) | Readability.js $readability_version + jsdom 27.0.0 |
|---|---|---|
| pages/s, in process | $gl_pps | $js_pps |
| median ms per page | $gl_med | $js_med |
| speed ratio | ${ratio}x | 1x |

Quality (F1 over 4-word shingles, the scrapinghub benchmark metric, computed in process by
\`extract_bench eval\`; targets: scrapinghub ≥ 0.975, mozilla ≥ 0.985):

| figure | value |
|---|---|
| F1, scrapinghub dev pages | $sh_f1 |
| F1, mozilla dev pages | $mz_f1 |
$meta_rows
| \`$cli_cmd\` | $cli_line |

Cross-validation, \`extract_bench eval ../shared/corpus --folds 5\` (target: held-out scrapinghub mean ≥ 0.975):

$cv_rows
"
write_section "## Extraction (bench/extract.sh)" "$section"
