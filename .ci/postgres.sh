#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the history-store tests: loopback only, its own free port, trust
# auth, data and socket in a temporary folder. Used by .ci/run, by the test fixture when no server is
# given, and by developers:
#
#   eval "$(.ci/postgres.sh start)"        # exports OKRHOST_TEST_POSTGRES and OKRHOST_TEST_POSTGRES_DIR
#   dotnet test OkrHost.sln
#   .ci/postgres.sh stop "$OKRHOST_TEST_POSTGRES_DIR"
#
# `start --install` installs PostgreSQL from the distribution's packages when initdb/pg_ctl are missing.
# Only the two export lines go to stdout; everything else goes to stderr.
set -euo pipefail

find_bin() {
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return
  fi
  # Debian keeps the server binaries off PATH, one folder per major version: take the newest.
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/pg_ctl" ]; then
    echo "$dir"
  fi
}

# Runs a PostgreSQL binary as the cluster's owner: PostgreSQL refuses to run as root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "postgres.sh: no free port found" >&2
  exit 1
}

start() {
  local bin
  bin=$(find_bin)
  if [ -z "$bin" ] && [ "${1:-}" = "--install" ]; then
    echo "postgres.sh: installing postgresql" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
    bin=$(find_bin)
  fi
  if [ -z "$bin" ]; then
    echo "postgres.sh: initdb/pg_ctl not found (apt-get install postgresql, or run .ci/postgres.sh start --install)" >&2
    exit 1
  fi

  local dir port
  dir=$(mktemp -d /tmp/okrhost-postgres.XXXXXX)
  chmod 755 "$dir"
  mkdir "$dir/data" "$dir/socket"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
    chown -R postgres "$dir"
  fi
  port=$(free_port)
  as_owner "$bin/initdb" -D "$dir/data" --auth=trust -U postgres -E UTF8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" \
    -o "-p $port -k $dir/socket -c listen_addresses=127.0.0.1 -c fsync=off" -w -s start >&2 \
    || { cat "$dir/server.log" >&2; rm -rf "$dir"; exit 1; }
  echo "$bin" >"$dir/bin"
  echo "export OKRHOST_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres'"
  echo "export OKRHOST_TEST_POSTGRES_DIR='$dir'"
}

stop() {
  local dir=${1:?usage: postgres.sh stop DIR}
  case "$dir" in /tmp/okrhost-postgres.*) ;; *) echo "postgres.sh: $dir is not a cluster this script started" >&2; exit 1 ;; esac
  if [ -f "$dir/bin" ]; then
    as_owner "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m immediate -w -s stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 start [--install] | stop DIR" >&2; exit 2 ;;
esac
