#!/usr/bin/env bash
# Source checks a compiler does not make: functions the project bans for being easy to misuse
# (unbounded copies and formatting, conversions that cannot report errors).
set -euo pipefail
cd "$(dirname "$0")/.."
banned='\b(sprintf|vsprintf|strcpy|strcat|gets|atoi|atol|atof|strtok)\s*\('
if grep -nE "$banned" $(git ls-files 'src/*.c' 'src/*.h' 2>/dev/null || find src -name '*.[ch]'); then
  echo "check-source: use the bounded or checked alternative (snprintf, buf_append, strtol...)" >&2
  exit 1
fi
echo "check-source: ok"
