#!/usr/bin/env bash
# The whole suite, on SQLite and then on PostgreSQL. Used by `make test` and CI.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}

# Browser tests drive Debian's Chromium; install it when missing (CI runs as root).
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium" >&2
fi

# PostgreSQL: start the local cluster if it is installed but not running.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 20); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
fi

run() {
  local label=$1; shift
  echo "=== $label"
  "$@"
  local rc=$?
  # pytest exits 5 when it collected no tests: that is a failure of the suite, not a pass.
  if [ $rc -eq 5 ]; then echo "no tests were collected for $label" >&2; return 1; fi
  return $rc
}

# The tests run in parallel, one worker per core (pytest-xdist); TOWNHALL_TEST_WORKERS=0 runs
# them in this process, as plain `pytest` does. A worker that runs out of tests takes some
# from the other (worksteal), so a few long tests near the end do not leave a core idle.
WORKERS=(-n "${TOWNHALL_TEST_WORKERS:-auto}")
if [ "${TOWNHALL_TEST_WORKERS:-auto}" != 0 ]; then WORKERS+=(--dist worksteal); fi

# Python may keep compiled modules here (the environment may say not to): each test process
# and each command the tests start would otherwise compile them all again, and pytest its
# rewritten test modules, some seconds every time.
unset PYTHONDONTWRITEBYTECODE

# One folder for what both runs can share (the SQLite file migrated from nothing, which the
# command line and server tests start from), removed at the end.
TOWNHALL_TEST_SHARED=$(mktemp -d)
export TOWNHALL_TEST_SHARED
trap 'rm -rf "$TOWNHALL_TEST_SHARED"' EXIT

status=0
run "lint" $BIN/ruff check . || status=1
run "format" $BIN/ruff format --check . || status=1
run "types" $BIN/mypy || status=1
run "SQLite" $BIN/pytest "${WORKERS[@]}" --durations=15 "$@" || status=1
# The PostgreSQL run repeats every test that uses the database. Tests that never touch it (pure
# domain modules, the command line on its own SQLite file) ran above and cannot answer otherwise.
# Neither do the browser tests: they check what the browser shows and how it is used (keyboard,
# axe, narrow screens), which is the same whatever the database, while what the server answers
# is tested through Django's test client by the tests that do run here. They are about a fifth of
# a run's time; TOWNHALL_BROWSER_ON_POSTGRES=1 runs them here too.
ON_PG=(--database-tests-only)
if [ "${TOWNHALL_BROWSER_ON_POSTGRES:-0}" = 0 ]; then ON_PG+=(-m "not browser"); fi
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  run "PostgreSQL" env DATABASE_URL="$PG_URL" $BIN/pytest "${WORKERS[@]}" --durations=15 \
    "${ON_PG[@]}" "$@" || status=1
else
  echo "PostgreSQL is not reachable at $PG_URL; the PostgreSQL run cannot happen." >&2
  status=1
fi
exit $status
