#!/usr/bin/env bash
# Runs the end-to-end suite: the built app (target/debug/gloss-app, or
# $CARGO_TARGET_DIR/debug/gloss-app when cargo builds elsewhere, or
# $GLOSS_E2E_BINARY), which must embed the current ui/dist (built with
# `--features tauri/custom-protocol`, as scripts/test's `tauri build --debug`
# makes it), in a real WebKitGTK window under Xvfb, driven over
# WebDriver by tauri-driver. Exits non-zero when a test fails; ends every
# process it started, passing or failing. Screenshots of failing tests go to
# tests/e2e/artifacts/.
#
#   tests/e2e/run.sh                    # every tests/e2e/*.test.mjs
#   tests/e2e/run.sh --test-name-pattern keyboard tests/e2e/app.test.mjs
#   tests/e2e/run.sh --screenshots      # retake docs/screenshots/*.png (not a test)
#   tests/e2e/run.sh --script FILE ARGS # any node script under the same display and bus
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

binary="${GLOSS_E2E_BINARY:-${CARGO_TARGET_DIR:-$root/target}/debug/gloss-app}"
# A relative CARGO_TARGET_DIR is relative to the repository, as for cargo run here.
[[ "$binary" == /* ]] || binary="$root/$binary"
missing=()
# The app must embed the front end (Cargo feature custom-protocol; a plain
# `cargo build` makes the `tauri dev` app, which loads the Vite dev server).
build_it="npm --prefix ui run build && cargo build --features tauri/custom-protocol"
if [[ ! -x "$binary" ]]; then
  missing+=("the app at $binary (build it: $build_it)")
elif ! "$here/../embeds_ui.sh" "$binary"; then
  missing+=("an app at $binary that embeds the current ui/dist (build it: $build_it)")
fi
command -v tauri-driver >/dev/null || missing+=("tauri-driver (cargo install tauri-driver --locked --version 2.0.4)")
[[ -x /usr/bin/WebKitWebDriver ]] || missing+=("/usr/bin/WebKitWebDriver (apt install webkit2gtk-driver)")
command -v xvfb-run >/dev/null || missing+=("xvfb-run (apt install xvfb)")
command -v dbus-run-session >/dev/null || missing+=("dbus-run-session (apt install dbus)")
command -v xwininfo >/dev/null || missing+=("xwininfo (apt install x11-utils)")
command -v node >/dev/null || missing+=("node (20 or newer)")
if ((${#missing[@]})); then
  printf 'e2e: missing %s\n' "${missing[@]}" >&2
  exit 2
fi

mkdir -p "$here/artifacts"
[[ "${1:-}" == --script ]] || rm -f "$here"/artifacts/*.png

# Arguments ending in .mjs are test files; the others go to `node --test`
# (e.g. --test-name-pattern keyboard).
tests=()
options=()
for arg in "$@"; do
  if [[ "$arg" == *.mjs ]]; then tests+=("$arg"); else options+=("$arg"); fi
done
((${#tests[@]})) || tests=("$here"/*.test.mjs)
command=(node --test --test-concurrency=1 --test-reporter=spec ${options[@]+"${options[@]}"} "${tests[@]}")
if [[ "${1:-}" == --screenshots ]]; then
  command=(node "$here/screenshots.mjs")
elif [[ "${1:-}" == --script ]]; then
  command=(node "${@:2}")
fi

# Not WEBKIT_DISABLE_COMPOSITING_MODE=1: with it, WebKitWebDriver screenshots
# never answer and the app outlives its session (WebKitGTK 2.4x under Xvfb).
unset WEBKIT_DISABLE_COMPOSITING_MODE
# For the same reason the tests and the screenshots keep WebKit's own
# compositing policy instead of the app's (it draws without OpenGL,
# src-tauri/webview.rs), so that a failing test is photographed. Scripts
# (bench/startup.sh) measure the app as users run it.
if [[ "${1:-}" != --script ]]; then
  export GLOSS_WEBVIEW_DEFAULTS="${GLOSS_WEBVIEW_DEFAULTS:-acceleration}"
fi
export GLOSS_E2E_BINARY="$binary"
# Every temporary file of the run (libraries, data folders) goes in one
# folder, removed at the end however the run ends.
run_tmp="$(mktemp -d "${TMPDIR:-/tmp}/gloss-e2e-run.XXXXXX")"
export TMPDIR="$run_tmp"

# The suite runs in a process group of its own (job control), so that
# whatever is left of it at the end (a window, a driver, a D-Bus service
# started on demand) can be ended as a group.
set -m
xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  dbus-run-session -- \
  "${command[@]}" &
pgid=$!
set +m

# Whatever of the group still runs is a leftover (the session bus's
# services take a moment to go after the bus).
leftovers() {
  ps -eo pid=,pgid=,stat=,args= | awk -v g="$pgid" '$2 == g && $3 !~ /^Z/'
}
drained() {
  for _ in $(seq "$1"); do
    [[ -z "$(leftovers)" ]] && return 0
    sleep 0.2
  done
  return 1
}
end_group() {
  kill -TERM -- "-$pgid" 2>/dev/null || true
  drained 25 || kill -KILL -- "-$pgid" 2>/dev/null || true
}
trap 'end_group; rm -rf "$run_tmp"; exit 130' INT
trap 'end_group; rm -rf "$run_tmp"; exit 143' TERM

status=0
wait "$pgid" || status=$?
if ! drained 10; then
  echo "e2e: ending processes left behind:" >&2
  leftovers >&2
  end_group
fi
rm -rf "$run_tmp"
if ((status != 0)); then
  shots=("$here"/artifacts/*.png)
  [[ -e "${shots[0]}" ]] && echo "e2e: screenshots of the failing tests: ${shots[*]}" >&2
fi
exit "$status"
