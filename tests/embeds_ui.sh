#!/usr/bin/env bash
# Whether an app binary embeds the front end now in ui/dist, the way
# `tauri build` makes it (the `custom-protocol` feature of tauri): its
# generated context names every embedded asset, so the binary holds the
# names of ui/dist's hashed bundles (assets/index-<hash>.js). A build without
# the feature (`tauri dev`, a plain `cargo build`) loads the Vite dev server
# and names none; a build older than ui/dist names other ones.
#
#   tests/embeds_ui.sh target/debug/gloss-app     # exit 0: it does; 1: it does not
#
# Exits 2 when ui/dist has no bundle to look for (build the front end first).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${1:?usage: tests/embeds_ui.sh BINARY}"
[[ -f "$binary" ]] || {
  echo "embeds_ui: no file at $binary" >&2
  exit 2
}
shopt -s nullglob
bundles=("$root"/ui/dist/assets/*.js)
((${#bundles[@]})) || {
  echo "embeds_ui: no ui/dist/assets/*.js (npm --prefix ui run build)" >&2
  exit 2
}
# (grep -q on a file: it stops reading early, which is fine with no pipe.)
for bundle in "${bundles[@]}"; do
  grep -aqF "/assets/${bundle##*/}" "$binary" || exit 1
done
