#!/usr/bin/env bash
# Checks the Linux packages the way a user gets them. First it makes them the
# way a Tauri developer does, from the repository root:
#
#   ui/node_modules/.bin/tauri build --debug --bundles deb,rpm --no-sign -- --workspace --tests
#
# which runs tauri.conf.json's beforeBuildCommand (the front end's build, in
# ui/), then cargo, then the bundler. The CLI runs
# `cargo build --workspace --tests --bins --features tauri/custom-protocol`
# (the feature embeds ui/dist; the gloss crate has none by default, for
# `tauri dev`), the same units as
# `cargo test --workspace --features tauri/custom-protocol` (the same
# packages and features, with their dev-dependencies' features), so this is
# the one debug build of scripts/test, which runs it before the Rust tests:
# `cargo test` then compiles nothing. (Run after `cargo test`, it recompiles
# the gloss crate only: the front end's build rewrites ui/dist, which the app
# embeds.)
#
# Then it unpacks the .deb into a temporary folder with `dpkg -x` and checks
# what would be installed, and reads the .rpm's file list and requirements.
# Builds are looked for under $CARGO_TARGET_DIR when it is set, as cargo and
# Tauri do.
#
#   tests/package.sh             # tauri build --debug from the root, then check
#   tests/package.sh --dist      # check target/dist/bundle (made by scripts/package)
#
# Prints one line per check and "N passed, N failed"; exits 1 if any failed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-target}"
[[ "$target" == /* ]] || target="$root/$target"

profile=debug
[[ "${1:-}" == --dist ]] && profile=dist

source "$root/tests/checks.sh"

if [[ "$profile" == debug ]]; then
  rm -rf "$target/debug/bundle/deb" "$target/debug/bundle/rpm"
  mkdir -p "$target/debug"
  log="$target/debug/package.log"
  stamp="$(mktemp "${TMPDIR:-/tmp}/gloss-package-stamp.XXXXXX")"
  started=$SECONDS
  ui/node_modules/.bin/tauri build --debug --bundles deb,rpm --no-sign -- --workspace --tests >"$log" 2>&1 || {
    cat "$log" >&2
    rm -f "$stamp"
    exit 1
  }
  took=$((SECONDS - started))
  compiled="$(grep -cE '^ *Compiling ' "$log" || true)"
  check "tauri build from the root built the front end (ui/dist is new)" test ui/dist/index.html -nt "$stamp"
  rm -f "$stamp"
  echo "# tauri build --debug: ${took} s; cargo compiled $compiled crates"
fi

bundle="$target/$profile/bundle"
debs=("$bundle"/deb/*.deb)
rpms=("$bundle"/rpm/*.rpm)
[[ -f "${debs[0]}" && -f "${rpms[0]}" ]] || {
  echo "package: no .deb or .rpm in $bundle" >&2
  exit 1
}
deb="${debs[0]}"
rpm="${rpms[0]}"

work="$(mktemp -d "${TMPDIR:-/tmp}/gloss-package.XXXXXX")"
# The debug bundles hold copies of both debug binaries (about a gigabyte);
# they exist only to be checked here, so they go with the unpacked tree.
cleanup() {
  rm -rf "$work"
  if [[ "$profile" == debug ]]; then rm -rf "$target/debug/bundle/deb" "$target/debug/bundle/rpm"; fi
}
trap cleanup EXIT
dpkg -x "$deb" "$work/root"
installed="$work/root"

# ---- The .deb ------------------------------------------------------------------

fields="$(dpkg-deb -f "$deb")"
check "the .deb is the gloss package" grep -qx 'Package: gloss' <<<"$fields"
check "it depends on WebKitGTK 4.1" grep -qE '^Depends:.*\blibwebkit2gtk-4\.1-0\b' <<<"$fields"
check "it depends on GTK 3" grep -qE '^Depends:.*\blibgtk-3-0\b' <<<"$fields"
check "it has a description and a homepage" grep -qE '^Homepage: https://' <<<"$fields"

check "the command line is installed as /usr/bin/gloss" test -x "$installed/usr/bin/gloss"
check "the desktop app is installed as /usr/bin/gloss-app" test -x "$installed/usr/bin/gloss-app"
# The lean command line must start without WebKit (it is what shells and scripts run).
check "/usr/bin/gloss links no WebKit" bash -c "! ldd '$installed/usr/bin/gloss' | grep -q webkit"
check "/usr/bin/gloss-app links WebKitGTK 4.1" bash -c "ldd '$installed/usr/bin/gloss-app' | grep -q 'libwebkit2gtk-4.1'"
check "the installed gloss runs" bash -c "'$installed/usr/bin/gloss' --version | grep -q '^gloss '"
# The app embeds the front end (the CLI's `--features tauri/custom-protocol`),
# not the `tauri dev` app that loads the Vite dev server.
check "the built gloss-app embeds ui/dist (tests/embeds_ui.sh)" tests/embeds_ui.sh "$target/$profile/gloss-app"
check "the packaged gloss-app embeds ui/dist" tests/embeds_ui.sh "$installed/usr/bin/gloss-app"
# The updater learns how Gloss was installed from a marker the bundler writes
# into the app's binary (the built one says "unknown"); the bundler marks only
# the binary it takes as the app, so this fails if that is not gloss-app.
check "the built gloss-app has the updater's bundle-type marker" grep -aq __TAURI_BUNDLE_TYPE_VAR_UNK "$target/$profile/gloss-app"
check "the packaged gloss-app is marked as installed from a .deb" bash -c "! grep -aq __TAURI_BUNDLE_TYPE_VAR_UNK '$installed/usr/bin/gloss-app'"

desktop="$installed/usr/share/applications/Gloss.desktop"
check "the desktop entry is installed" test -f "$desktop"
check "it starts gloss-app with the link or file (%u)" grep -qx 'Exec=gloss-app %u' "$desktop"
check "it handles gloss:// links" grep -qE '^MimeType=.*x-scheme-handler/gloss;' "$desktop"
check "it opens OPML and web page files" grep -qE '^MimeType=.*text/x-opml;.*text/html;' "$desktop"
check "it is in the News category" grep -qE '^Categories=.*News;' "$desktop"
if command -v desktop-file-validate >/dev/null; then
  check "the desktop entry is valid (desktop-file-validate)" desktop-file-validate "$desktop"
fi

icon="$(sed -n 's/^Icon=//p' "$desktop")"
check "the desktop entry names an icon" test -n "$icon"
for size in 32x32 64x64 128x128 512x512; do
  png="$installed/usr/share/icons/hicolor/$size/apps/$icon.png"
  check "the $size icon is a PNG of that size" bash -c "file '$png' | grep -q 'PNG image data, ${size/x/ x }'"
done

# ---- The browser extension's host manifests ------------------------------------
# Chromium, Chrome and Firefox find the native messaging host system-wide
# here; each must start /usr/bin/gloss and name only Gloss's extension
# (src-tauri/cli/host_manifest.rs makes them; docs/browser.md).

host_manifest_ok() { # FILE chromium|firefox
  python3 - "$1" "$2" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
ok = (m["name"] == "org.glossreader.gloss" and m["type"] == "stdio"
      and m["path"] == "/usr/bin/gloss")
if sys.argv[2] == "chromium":
    ok = ok and m.get("allowed_origins") == [
        "chrome-extension://fbeanmkoadplglpjkmmhbbncacmokpgj/"] and "allowed_extensions" not in m
else:
    ok = ok and m.get("allowed_extensions") == ["gloss@glossreader.org"] and "allowed_origins" not in m
sys.exit(0 if ok else 1)
EOF
}
host_manifests=(
  "/etc/chromium/native-messaging-hosts/org.glossreader.gloss.json chromium"
  "/etc/opt/chrome/native-messaging-hosts/org.glossreader.gloss.json chromium"
  "/usr/lib/mozilla/native-messaging-hosts/org.glossreader.gloss.json firefox"
)
for entry in "${host_manifests[@]}"; do
  read -r path family <<<"$entry"
  check "the .deb installs $path for $family, naming /usr/bin/gloss and Gloss's extension" host_manifest_ok "$installed$path" "$family"
done

# ---- The .rpm ------------------------------------------------------------------

files="$(rpm -qlp "$rpm" 2>/dev/null)"
requires="$(rpm -qRp "$rpm" 2>/dev/null)"
check "the .rpm installs /usr/bin/gloss" grep -qx /usr/bin/gloss <<<"$files"
check "the .rpm installs /usr/bin/gloss-app" grep -qx /usr/bin/gloss-app <<<"$files"
check "the .rpm installs the desktop entry" grep -qx /usr/share/applications/Gloss.desktop <<<"$files"
check "the .rpm installs the icons" grep -q "^/usr/share/icons/hicolor/128x128/apps/$icon.png$" <<<"$files"
check "the .rpm requires WebKitGTK 4.1" grep -qE '^(webkit2gtk4\.1|libwebkit2gtk-4\.1\.so)' <<<"$requires"
mkdir -p "$work/rpm-root"
(cd "$work/rpm-root" && rpm2cpio "$rpm" | cpio -idm --quiet 2>/dev/null) || true
for entry in "${host_manifests[@]}"; do
  read -r path family <<<"$entry"
  check "the .rpm lists $path" grep -qx "$path" <<<"$files"
  check "the .rpm's $path names /usr/bin/gloss and Gloss's extension ($family)" host_manifest_ok "$work/rpm-root$path" "$family"
done

size_deb="$(stat -c %s "$deb")"
echo "# $(basename "$deb"): $((size_deb / 1024)) KiB; $(basename "$rpm"): $(($(stat -c %s "$rpm") / 1024)) KiB"
echo "package: $passed passed, $failed failed"
((failed == 0))
