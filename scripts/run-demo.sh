#!/usr/bin/env bash
# make run: creates the demo database on first use (the catalogue, demonstration organisations and
# a person for every role), then serves it in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
db=$1
listen=$2
if [[ ! -f "$db" ]]; then
  build/npq init --db "$db"
fi
logins=$(NPQ_BASE_URL="http://$listen" build/npq demo --db "$db")
echo
echo "  npq is starting on http://$listen/"
echo "  pages: http://$listen/qualifications   API: http://$listen/api/v1/qualifications"
echo "  sign in at http://$listen/sign-in"
echo "$logins" | sed 's/^/  /'
echo "  mail is printed below instead of sent (serve --smtp-url to send it); stop with Ctrl-C"
echo
exec build/npq serve --db "$db" --listen "$listen" --base-url "http://$listen"
