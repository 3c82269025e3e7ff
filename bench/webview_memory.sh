#!/usr/bin/env bash
# Where the window's memory goes: starts the release app under Xvfb on a
# library (nothing else: no WebDriver), waits until it has painted and
# settled, and prints each process's RSS and PSS and its largest mappings by
# RSS (/proc/PID/smaps). Environment variables reach the app and WebKit, so
# one setting can be compared against another, for example
#   bench/webview_memory.sh /tmp/lib20k.gloss
#   GLOSS_WEBVIEW_DEFAULTS=acceleration bench/webview_memory.sh /tmp/lib20k.gloss
# Prints only; docs/benchmarks.md quotes what it printed with the command.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
lib="${1:?usage: bench/webview_memory.sh LIBRARY [WAIT_S]}"
wait_s="${2:-10}"
app="${APP:-${CARGO_TARGET_DIR:-$ROOT/target}/release/gloss-app}"
[[ -x "$app" ]] || { echo "no release app at $app: cargo build --release --features custom-protocol --bin gloss-app" >&2; exit 1; }
home="$(mktemp -d)"
mkdir -p "$home"/{data,config,cache,state}
session=""
cleanup() {
  # The whole session: xvfb-run, Xvfb, dbus-run-session, the app, WebKit.
  [[ -n "$session" ]] && kill -- "-$session" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$home" 2>/dev/null || true
}
trap cleanup EXIT
XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache" \
  XDG_STATE_HOME="$home/state" HOME="$home" \
  setsid xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$app" --library "$lib" >"$home/app.log" 2>&1 &
session=$!
sleep "$wait_s"
pids="$(pgrep -f -- "^$app" || true) $(pgrep -f WebKitWebProcess || true) $(pgrep -f WebKitNetworkProcess || true)"
for pid in $pids; do
  python3 - "$pid" <<'PY'
import collections, os, re, sys
pid = sys.argv[1]
name = os.path.basename(os.readlink(f"/proc/{pid}/exe"))
rss = collections.Counter()
cur = None
for line in open(f"/proc/{pid}/smaps"):
    if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
        parts = line.split()
        cur = parts[5] if len(parts) > 5 else "[anon]"
    elif line.startswith("Rss:"):
        rss[cur] += int(line.split()[1])
roll = {k: int(v.split()[0]) for k, v in (l.split(":", 1) for l in open(f"/proc/{pid}/smaps_rollup") if ":" in l and l.split(":")[0] in ("Rss", "Pss"))}
print(f"{name} (pid {pid}): RSS {roll['Rss'] // 1024} MiB, PSS {roll['Pss'] // 1024} MiB; largest mappings by RSS:")
for path, kib in rss.most_common(6):
    print(f"  {kib / 1024:6.1f} MiB  {path}")
PY
done
