#!/usr/bin/env bash
# make run: creates the demo database on first use (the catalogue, demonstration organisations, a
# person for every role and a programme in motion around them, dated from that day), then serves
# it in the foreground. The access log goes to a file beside the database, so the terminal shows
# the mail the server would send and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
db=$1
listen=$2
if [[ ! -f "$db" ]]; then
  build/npq init --db "$db"
fi
logins=$(NPQ_BASE_URL="http://$listen" build/npq demo --db "$db" --programme)
echo
echo "  npq is starting on http://$listen/"
echo "  pages: http://$listen/qualifications   API: http://$listen/api/v1/qualifications"
echo "  sign in at http://$listen/sign-in: each person's home says what they have to do today"
echo "$logins" | sed 's/^/  /'
echo "  mail is printed below instead of sent (serve --smtp-url to send it); access log: $db.access.log"
echo "  stop with Ctrl-C"
echo
exec build/npq serve --db "$db" --listen "$listen" --base-url "http://$listen" --access-log "$db.access.log"
