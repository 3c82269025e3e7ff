# Shared by the bench/ scripts: the machine's description and writing one
# script's section of docs/benchmarks.md (replacing only that section).
#
# The scripts build the gloss package with `--features custom-protocol`
# (Cargo.toml has no default features): the app then embeds ui/dist instead
# of loading the Vite dev server, and the ones that build only the `gloss`
# command line share those release units instead of building tauri again.

# The machine, and how busy it was: figures taken under load are slower.
machine_line() {
  echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p' | head -1); load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# write_section "## Heading (bench/x.sh)" "whole section text, heading included"
#
# The script's text runs from its heading to the next heading of any level:
# `### ` subsections below it are notes written by hand (comparisons, what a
# change did) and are kept, so a script's own text has no `### ` headings.
write_section() {
  local heading="$1" section="$2" doc="${BENCH_DOC:-docs/benchmarks.md}"
  [ -f "$doc" ] || printf '# Benchmarks\n\nEvery figure here comes from a script in bench/, with the command and the machine beside it.\n\n' > "$doc"
  python3 - "$doc" "$heading" "$section" <<'PY'
import re, sys
path, heading, section = sys.argv[1:4]
text = open(path).read()
pattern = re.compile(re.escape(heading) + r"\n.*?(?=\n##+ |\Z)", re.S)
if pattern.search(text):
    text = pattern.sub(lambda m: section.rstrip() + "\n", text)
else:
    text = text.rstrip() + "\n\n" + section.rstrip() + "\n"
open(path, "w").write(text)
PY
  echo "written to $doc"
}
