# Shared set-up for scripts/run and scripts/test: installs what Gloss needs on
# Debian or Ubuntu. Safe to run again: each step checks before it installs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages: Tauri's WebKitGTK build dependencies, plus what the tests
# drive the real window with (Xvfb, D-Bus, WebKitWebDriver).
APP_PACKAGES=(libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config)
# epubcheck validates the EPUB export in the tests.
TEST_PACKAGES=(xvfb xauth x11-utils dbus dbus-x11 webkit2gtk-driver epubcheck)
# Packaging: Tauri writes the .deb and .rpm itself; `rpm` (and dpkg-deb,
# always there) read them back in tests/package.sh.
PACKAGE_PACKAGES=(rpm desktop-file-utils)

install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"
  fi
}

ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    [ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    say "Installing Rust with rustup"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt
    . "$HOME/.cargo/env"
  fi
}

ensure_node() {
  local major=0
  if command -v node >/dev/null 2>&1; then
    major="$(node -p 'process.versions.node.split(".")[0]')"
  fi
  if [ "$major" -lt 20 ]; then
    install_packages nodejs npm
    major="$(node -p 'process.versions.node.split(".")[0]')"
  fi
  if [ "$major" -lt 20 ]; then
    echo "Gloss's front end needs Node.js 20 or newer; this machine has $(node --version)." >&2
    echo "Install a newer Node.js (for example from your distribution's backports) and run this again." >&2
    exit 1
  fi
}

# The front end's packages, and ui/dist (the window embeds it at build time).
build_ui() {
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    say "Installing the front end's npm packages"
    npm --prefix ui ci --no-audit --no-fund
  fi
  say "Building the front end"
  npm --prefix ui run build --silent
}

# Prints the free space where the build goes and what target/ already takes.
# A clean run of scripts/test fills target/ with about 3 GiB (docs/
# benchmarks.md, "The test command on a clean clone"); a full disk otherwise
# shows up late, as an odd failure deep in a build or a bundle.
report_disk() {
  local free_kib used="nothing yet"
  free_kib="$(df -Pk "$ROOT" | awk 'NR == 2 { print $4 }')"
  if [[ -d "$ROOT/target" ]]; then used="$(du -sh "$ROOT/target" | cut -f1)"; fi
  say "Disk: $((free_kib / 1024 / 1024)) GiB free; target/ holds $used"
  if ((free_kib < 5 * 1024 * 1024)); then
    echo "warning: less than 5 GiB free; the build may run out of disk" >&2
  fi
}
