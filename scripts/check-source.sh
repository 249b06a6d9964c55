#!/usr/bin/env bash
# Source checks a compiler does not make: functions the project bans for being easy to misuse
# (unbounded copies and formatting, conversions that cannot report errors), includes that go
# against the layer order of docs/architecture.md, and black-box tests that reach into the
# database instead of going through the API or npq commands.
set -euo pipefail
cd "$(dirname "$0")/.."
banned='\b(sprintf|vsprintf|strcpy|strcat|gets|atoi|atol|atof|strtok)\s*\('
if grep -nE "$banned" $(git ls-files 'src/*.c' 'src/*.h' 2>/dev/null || find src -name '*.[ch]'); then
  echo "check-source: use the bounded or checked alternative (snprintf, buf_append, strtol...)" >&2
  exit 1
fi
# Each layer includes only itself and the layers below it. http's three entry points (the gate,
# the route table, the server) are where the handlers and the mail threads are wired in.
allowed_below() {
  case $1 in
    lib) echo "lib" ;;
    domain) echo "domain lib" ;;
    store) echo "store domain lib" ;;
    pdf) echo "pdf domain lib" ;;
    app) echo "app store domain lib" ;;
    mail) echo "mail app store domain lib" ;;
    http) echo "http app store domain lib" ;;
    api | pages) echo "$1 http app pdf store domain lib" ;;
    *) echo "*" ;;
  esac
}
layer_wiring='^src/http/(gate|routes|server)\.c$'
wrong=0
while IFS=: read -r file line include; do
  layer=${file#src/}
  layer=${layer%%/*}
  target=${include#*\"}
  target=${target%%/*}
  allowed=$(allowed_below "$layer")
  [[ $allowed == "*" || " $allowed " == *" $target "* ]] && continue
  [[ $file =~ $layer_wiring && " api pages mail " == *" $target "* ]] && continue
  echo "$file:$line: $layer must not include $target ($include)"
  wrong=1
done < <(grep -nE '^#include "[a-z]+/' $(git ls-files 'src/*/*.c' 'src/*/*.h' 2>/dev/null || find src -mindepth 2 -name '*.[ch]'))
if ((wrong)); then
  echo "check-source: an include goes against the layer order (docs/architecture.md)" >&2
  exit 1
fi
# A test that writes rows itself passes when the flow that should make them is broken.
sql='(sqlite3|node:sqlite|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM)'
if grep -nE "$sql" $(git ls-files 'tests/api/*.js' 'tests/browser/*.js' 2>/dev/null || find tests/api tests/browser -name '*.js'); then
  echo "check-source: tests set up and check state through the API or npq commands, not the database" >&2
  exit 1
fi
# Every SQLite migration has a PostgreSQL mirror under the same name (a warning for now; an error
# once every driver test runs in make test).
missing=()
for m in src/store/migrations/sqlite/*.sql; do
  [[ -f src/store/migrations/postgres/$(basename "$m") ]] || missing+=("$(basename "$m")")
done
if ((${#missing[@]} > 0)); then
  echo "check-source: warning: no PostgreSQL mirror in src/store/migrations/postgres/ for: ${missing[*]}" >&2
fi
echo "check-source: ok"
