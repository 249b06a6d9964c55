#!/usr/bin/env bash
# make run: creates the demo database on first use, then serves it in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
db=$1
listen=$2
if [[ ! -f "$db" ]]; then
  build/npq init --db "$db"
fi
echo
echo "  npq is starting on http://$listen/"
echo "  pages: http://$listen/qualifications   API: http://$listen/api/v1/qualifications"
echo "  stop it with Ctrl-C"
echo
exec build/npq serve --db "$db" --listen "$listen"
