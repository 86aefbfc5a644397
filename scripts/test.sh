#!/usr/bin/env bash
# Runs Accord's whole test suite on a fresh Debian machine with the Swift toolchain, as root and
# without prompts: installs what the tests need (PostgreSQL, libxml2, xmlsec1, python oracles),
# starts a throwaway PostgreSQL cluster on a loopback port, runs `swift test` against SQLite and
# PostgreSQL, and stops the cluster again.
#
#   scripts/test.sh                 # everything
#   scripts/test.sh --filter Storage  # extra arguments go to `swift test`
set -euo pipefail
cd "$(dirname "$0")/.."

PGPORT="${ACCORD_TEST_PGPORT:-55432}"
PGDATA="${ACCORD_TEST_PGDATA:-/tmp/accord-test-pgdata}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

log() { printf '\n==> %s\n' "$*"; }

install_packages() {
  local missing=()
  command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
  command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
  command -v xmlsec1 >/dev/null 2>&1 || missing+=(xmlsec1)
  command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
  dpkg -s libxml2-dev >/dev/null 2>&1 || missing+=(libxml2-dev)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v socat >/dev/null 2>&1 || missing+=(socat)   # the cuttable link in PartitionTests
  [ -x /usr/bin/chromium ] || missing+=(chromium)          # the console in a real browser (BrowserFlowTests)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if ! python3 -c 'import joserfc, jsonschema, qrcode, selenium, cryptography, mrz' >/dev/null 2>&1 || ! command -v schemathesis >/dev/null 2>&1; then
    log "installing python oracles joserfc, jsonschema, qrcode, selenium, cryptography, mrz and schemathesis"
    python3 -m pip install -q joserfc jsonschema qrcode selenium cryptography schemathesis mrz 2>&1 | grep -v 'WARNING: Running pip as' || true
  fi
}

start_postgres() {
  local pgbin
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  if [ -f "$PGDATA/postmaster.pid" ]; then
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$PGDATA" stop -m immediate >/dev/null 2>&1 || true
  fi
  rm -rf "$PGDATA"
  install -d -o postgres -g postgres "$PGDATA"
  log "starting PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT"
  runuser -u postgres -- "$pgbin/initdb" -D "$PGDATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
    -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  psql -q -h /tmp -p "$PGPORT" -U postgres \
    -c "CREATE ROLE accord LOGIN PASSWORD 'accord'" \
    -c "CREATE DATABASE accord_test OWNER accord" >/dev/null
  PG_STARTED="$pgbin"
}

stop_postgres() {
  if [ -n "${PG_STARTED:-}" ]; then
    log "stopping PostgreSQL"
    runuser -u postgres -- "$PG_STARTED/pg_ctl" -D "$PGDATA" stop -m fast >/dev/null 2>&1 || true
    rm -rf "$PGDATA"
  fi
}

install_packages
PG_STARTED=""
trap stop_postgres EXIT
start_postgres

export ACCORD_TEST_POSTGRES_URL="postgres://accord:accord@127.0.0.1:$PGPORT/accord_test?sslmode=disable"
export ACCORD_TEST_REQUIRE_POSTGRES=1
export ACCORD_TEST_REQUIRE_ORACLES=1
export ACCORD_TEST_REQUIRE_BROWSER=1

log "swift test (SQLite and PostgreSQL)"
set +e
swift test "$@" 2>&1 | tee /tmp/accord-swift-test.log | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Write|Linking|Applying)'
status=${PIPESTATUS[0]}
set -e
stop_postgres
PG_STARTED=""
echo "Test cases run against PostgreSQL: $(grep -cE 'argument database → postgres to .* started' /tmp/accord-swift-test.log || true)"
echo "Test cases run against SQLite: $(grep -cE 'argument database → sqlite to .* started' /tmp/accord-swift-test.log || true)"
# Repeat the runner's own summary so it stays the closing line.
grep -E '^(✔|✘) Test run with|^Test Suite .* (passed|failed)|Executed [0-9]+ tests' /tmp/accord-swift-test.log | tail -n 2
exit "$status"
