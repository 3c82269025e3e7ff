#!/usr/bin/env bash
# Smoke test of `tauri dev` from the repository root, plain, the way a Tauri
# developer runs it and docs/architecture.md says:
#
#   ui/node_modules/.bin/tauri dev
#
# under Xvfb and a session bus of its own (as tests/e2e/run.sh runs the
# window), on a new library in a temporary folder (GLOSS_LIBRARY, so that the
# command takes no argument). Checks that it starts the Vite dev server
# (tauri.conf.json's beforeDevCommand, in ui/), that the Gloss window
# appears, loads the front end's modules from that server and paints the app
# (read back from the window with xwd), and that when the app exits
# `tauri dev` ends and leaves no process behind (the dev server included).
# `tauri dev` builds the gloss crate with its default features, none: without
# `custom-protocol` the window loads build.devUrl instead of the embedded
# ui/dist. That is a second debug build of the gloss crate and of tauri
# beside the one the other tests use (several minutes on 2 cores the first
# time); at the end it puts that one back at target/debug/gloss-app.
#
# Prints one line per check and "N passed, N failed"; exits 1 if any failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

# How long the build and the start may take, in seconds.
build_limit="${GLOSS_DEV_BUILD_LIMIT:-1800}"
port=5173
# Where cargo builds, as for cargo and Tauri's CLI.
target="${CARGO_TARGET_DIR:-target}"
[[ "$target" == /* ]] || target="$root/$target"

if [[ "${1:-}" != --inside ]]; then
  for tool in xvfb-run dbus-run-session xwininfo xwd python3 curl; do
    command -v "$tool" >/dev/null || {
      echo "tauri_dev: missing $tool" >&2
      exit 2
    }
  done
  if curl -s -o /dev/null "http://localhost:$port/"; then
    echo "tauri_dev: something already listens on port $port (the dev server's, tauri.conf.json devUrl)" >&2
    exit 2
  fi
  exec xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" dbus-run-session -- "$0" --inside
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/gloss-tauri-dev.XXXXXX")"
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" XDG_STATE_HOME="$work/state"
log="$work/dev.log"

source "$root/tests/checks.sh"

# `tauri dev` in a process group of its own, so that whatever it leaves can
# be found (and, at the end, ended). DEBUG=vite:time makes Vite log each
# request it serves.
SECONDS=0
set -m
GLOSS_LIBRARY="$work/library.gloss" DEBUG=vite:time ui/node_modules/.bin/tauri dev >"$log" 2>&1 &
pgid=$!
set +m

group() { ps -eo pid=,pgid=,stat=,args= | awk -v g="$pgid" '$2 == g && $3 !~ /^Z/'; }
end_group() {
  kill -TERM -- "-$pgid" 2>/dev/null || true
  for _ in $(seq 25); do
    [[ -z "$(group)" ]] && break
    sleep 0.2
  done
  kill -KILL -- "-$pgid" 2>/dev/null || true
}
trap 'end_group; rm -rf "$work"' EXIT

# Waits (polling once a second, at most $1 seconds) until the command after
# it succeeds or `tauri dev` has exited.
wait_for() {
  local limit="$1"
  shift
  for _ in $(seq "$limit"); do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$pgid" 2>/dev/null || return 1
    sleep 1
  done
  return 1
}
# (The greps and awks below read their input to the end: stopping early, as
# grep -q does, could fail the pipeline with the writer's SIGPIPE.)
gloss_window() { xwininfo -root -tree | grep '"Gloss"' >/dev/null; }
# tauri dev's output without colours.
output() { sed 's/\x1b\[[0-9;]*m//g' "$log"; }
vite_ready() { output | grep "Local: *http://localhost:$port/" >/dev/null; }
served() { output | grep -E "vite:time .* $1\$" >/dev/null; }
# How many colours the page in the Gloss window shows (the window's pixels
# read back with xwd, below its top tenth, where the native menu bar is): a
# page not painted is one colour; the painted app (sidebar, the list or its
# empty state, the reader's placeholder) about a thousand.
window_colours() {
  local id
  id="$(xwininfo -root -tree | awk '/"Gloss"/ && !id { id = $1 } END { print id }')"
  [[ -n "$id" ]] || {
    echo 0
    return
  }
  xwd -silent -id "$id" | python3 -c '
import struct, sys
data = sys.stdin.buffer.read()
h = struct.unpack(">25I", data[:100])
size, bpp, line, ncolors, width, height = h[0], h[11], h[12], h[19], h[20], h[21]
if bpp != 32:
    sys.exit(f"xwd: {bpp} bits a pixel, 32 expected")
pixels = data[size + 12 * ncolors:]
seen = set()
for y in range(height // 10, height):
    seen.update(memoryview(pixels[y * line:y * line + 4 * width]).cast("I"))
print(len(seen))'
}
painted() { (($(window_colours) >= 64)); }
app_pids() { ps -eo pid=,pgid=,args= | awk -v g="$pgid" '$2 == g && $3 ~ /\/debug\/gloss-app$/ { print $1 }'; }

wait_for 120 vite_ready || true
check "tauri dev from the root starts the Vite dev server on port $port" curl -sf "http://localhost:$port/"
check "the dev server serves the front end of ui/ (index.html loads /src/main.ts)" \
  bash -c "curl -sf 'http://localhost:$port/' | grep -q 'src=\"/src/main.ts\"'"

wait_for "$build_limit" gloss_window || true
check "the Gloss window appears" gloss_window
wait_for 60 served /src/main.ts || true
check "the window loads the front end's entry (/src/main.ts) from the dev server" served /src/main.ts
wait_for 60 served /src/App.svelte || true
check "and its modules (/src/App.svelte)" served /src/App.svelte
wait_for 60 painted || true
check "the page in the window is painted (64 colours or more below the menu bar)" painted
echo "# the page shows $(window_colours) colours; $SECONDS s since tauri dev started, $(output | grep -cE '^ *Compiling ' || true) crates compiled"

# The app exits (as when its window is closed): tauri dev must end, and take
# the dev server with it.
pids="$(app_pids)"
check "the app runs as target/debug/gloss-app in tauri dev's process group" test -n "$pids"
# (tests/embeds_ui.sh exits 1 for "no", 2 when it cannot tell.)
embeds_no_ui() {
  local status=0
  "$here/embeds_ui.sh" "$1" || status=$?
  ((status == 1))
}
check "tauri dev built it without ui/dist (no custom-protocol: it loads the dev server)" \
  embeds_no_ui "$target/debug/gloss-app"
[[ -n "$pids" ]] && kill -TERM $pids
for _ in $(seq 30); do
  kill -0 "$pgid" 2>/dev/null || break
  sleep 1
done
check "tauri dev ends when the app exits" not kill -0 "$pgid"
for _ in $(seq 10); do
  [[ -z "$(group)" ]] && break
  sleep 1
done
left="$(group)"
check "it leaves no process behind" test -z "$left"
[[ -z "$left" ]] || printf 'tauri_dev: left behind:\n%s\n' "$left" >&2
check "the dev server's port is free again" not curl -s -o /dev/null "http://localhost:$port/"

if ((failed)); then
  echo "tauri_dev: the end of tauri dev's output:" >&2
  tail -40 "$log" >&2
fi

# Cargo left the dev build (no `custom-protocol`: it needs the dev server) at
# target/debug/gloss-app. The end-to-end suite and the package test drive
# that path: put back the build of scripts/test, with the cargo arguments
# that tests/package.sh's `tauri build --debug -- --workspace --tests` runs
# (the CLI adds `--bins --features tauri/custom-protocol`). After scripts/test
# its units are fresh, so cargo only links the binaries into place again.
cargo build --workspace --tests --bins --features tauri/custom-protocol --quiet
check "target/debug/gloss-app is put back, embedding ui/dist" "$here/embeds_ui.sh" "$target/debug/gloss-app"
echo "tauri_dev: $passed passed, $failed failed"
((failed == 0))
