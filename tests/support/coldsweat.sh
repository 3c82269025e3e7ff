#!/usr/bin/env bash
# Coldsweat 0.10.2, a real Fever API server, for tests and benchmarks that
# are not in Rust (the window's end-to-end tests, bench/accounts.sh). The
# Rust tests use gloss_core::testing::coldsweat, which does the same.
#
#   coldsweat.sh install
#       installs it into .tools/coldsweat (idempotent; scripts/test does it too)
#   coldsweat.sh start DIR EMAIL PASSWORD OPML
#       a database in DIR (FLASK_DATABASE_URL), the user (password >= 12
#       characters), the OPML's feeds imported and fetched (serve them and
#       their icons from 127.0.0.1, or Coldsweat fetches an icon from the
#       internet), then the server on 127.0.0.1 and a free port; prints the
#       Fever endpoint to give Gloss (http://127.0.0.1:PORT/fever) once it
#       answers, and leaves DIR/url and DIR/pid
#   coldsweat.sh fetch DIR
#       fetches the feeds again (new items appear)
#   coldsweat.sh stop DIR
#       stops the server started in DIR (the database stays)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${GLOSS_COLDSWEAT:-$ROOT/.tools/coldsweat}"

flask_in() {
  local dir="$1"
  shift
  (cd "$dir" && FLASK_DATABASE_URL="sqlite:///$dir/coldsweat.db" FLASK_SECRET_KEY="tests only" \
    "$VENV/bin/flask" --app coldsweat "$@")
}

case "${1:-}" in
  install)
    # shellcheck source=../../scripts/lib.sh
    source "$ROOT/scripts/lib.sh"
    ensure_coldsweat
    ;;
  start)
    [ $# -eq 5 ] || { echo "usage: coldsweat.sh start DIR EMAIL PASSWORD OPML" >&2; exit 1; }
    dir="$(cd "$2" && pwd)"
    [ -x "$VENV/bin/flask" ] || { echo "Coldsweat is not installed: run coldsweat.sh install" >&2; exit 1; }
    flask_in "$dir" setup "$3" -p "$4" >/dev/null
    flask_in "$dir" import "$(cd "$(dirname "$5")" && pwd)/$(basename "$5")" "$3" --fetch >/dev/null
    port="$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    (cd "$dir" && FLASK_DATABASE_URL="sqlite:///$dir/coldsweat.db" FLASK_SECRET_KEY="tests only" \
      exec "$VENV/bin/flask" --app coldsweat run --host 127.0.0.1 --port "$port" \
      >"$dir/server.log" 2>&1 </dev/null) &
    echo $! >"$dir/pid"
    # Wait until it answers (60 s at most).
    "$VENV/bin/python" - "$port" <<'PY'
import socket, sys, time
deadline = time.monotonic() + 60
while True:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.2).close()
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit("coldsweat did not answer within 60 s")
        time.sleep(0.05)
PY
    echo "http://127.0.0.1:$port/fever" | tee "$dir/url"
    ;;
  fetch)
    dir="$(cd "$2" && pwd)"
    # Coldsweat skips feeds checked in the last few minutes: clear the times.
    "$VENV/bin/python" -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE feeds SET last_checked_on = NULL, last_updated_on = NULL, etag = ''\"); c.commit()" "$dir/coldsweat.db"
    flask_in "$dir" fetch >/dev/null
    ;;
  stop)
    dir="$(cd "$2" && pwd)"
    if [ -f "$dir/pid" ]; then
      kill "$(cat "$dir/pid")" 2>/dev/null || true
      rm -f "$dir/pid"
    fi
    ;;
  *)
    echo "usage: coldsweat.sh install | start DIR EMAIL PASSWORD OPML | fetch DIR | stop DIR" >&2
    exit 1
    ;;
esac
