#!/usr/bin/env bash
# Source checks a compiler does not make: functions the project bans for being easy to misuse
# (unbounded copies and formatting, conversions that cannot report errors), and black-box tests
# that reach into the database instead of going through the API or npq commands.
set -euo pipefail
cd "$(dirname "$0")/.."
banned='\b(sprintf|vsprintf|strcpy|strcat|gets|atoi|atol|atof|strtok)\s*\('
if grep -nE "$banned" $(git ls-files 'src/*.c' 'src/*.h' 2>/dev/null || find src -name '*.[ch]'); then
  echo "check-source: use the bounded or checked alternative (snprintf, buf_append, strtol...)" >&2
  exit 1
fi
# A test that writes rows itself passes when the flow that should make them is broken.
sql='(sqlite3|node:sqlite|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM)'
if grep -nE "$sql" $(git ls-files 'tests/api/*.js' 'tests/browser/*.js' 2>/dev/null || find tests/api tests/browser -name '*.js'); then
  echo "check-source: tests set up and check state through the API or npq commands, not the database" >&2
  exit 1
fi
echo "check-source: ok"
