#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server: a cluster made with initdb in a temporary
# folder, listening on a free loopback port, stopped and removed when the command ends (however
# it ends). The command sees the server's address in NPQ_DB (a database named npq, which npq
# creates when it first opens it) and NPQ_TEST_DATABASE (the base the store's contract tests add
# their own suffix to), and the server itself in NPQ_PG_PORT and NPQ_PG_BIN.
#
# usage: scripts/with-postgres.sh COMMAND [ARGUMENT...]
#
# The cluster is for tests: it skips fsync (the server's own process survives whatever a test
# kills; only a power cut would lose a commit), and anyone on this machine may connect to it.
set -euo pipefail

bin=${NPQ_PG_BIN:-}
if [[ -z $bin ]]; then
  for candidate in /usr/lib/postgresql/*/bin; do
    [[ -x $candidate/initdb ]] && bin=$candidate
  done
fi
if [[ -z $bin || ! -x $bin/initdb ]]; then
  echo "with-postgres: no PostgreSQL server found (Debian's postgresql package)" >&2
  exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/npq-pg-XXXXXX")
chmod 755 "$dir"
# PostgreSQL refuses to run as root; then the cluster belongs to the postgres account.
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres: "$dir"
  as_owner=(runuser -u postgres --)
fi

stop() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U npq --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
# A port free now may be taken before the server binds it: try a few.
started=0
for _ in 1 2 3 4 5; do
  port=$(free_port)
  if "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c max_connections=600" \
      >/dev/null; then
    started=1
    break
  fi
done
if ((!started)); then
  echo "with-postgres: the server did not start:" >&2
  cat "$dir/server.log" >&2
  exit 1
fi

export NPQ_PG_PORT=$port NPQ_PG_BIN=$bin
export NPQ_DB="postgresql://npq@127.0.0.1:$port/npq"
export NPQ_TEST_DATABASE="postgresql://npq@127.0.0.1:$port/npq_test"
"$@"
