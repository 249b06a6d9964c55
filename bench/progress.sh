#!/usr/bin/env bash
# Server time of the progress reads over a generated programme (npq bench-data), on SQLite and,
# when a PostgreSQL server is found, on PostgreSQL side by side: the provider dashboard
# (GET /api/v1/progress/cohorts as the administrator), the at-risk list (GET /api/v1/progress?
# status=at_risk), a headteacher's list (the same, as one school's headteacher) and a
# participant's own progress (GET /api/v1/enrolments/{id}/progress). Each is asked REQUESTS
# times, one at a time, and its p50 and p99 are read from npq's own access log (duration_us:
# from the request's arrival to its answer), so the client's speed does not count.
# It reports; it is not a test, and exits 0 whether the goals are met or not.
#
#   bench/progress.sh                          2,000 participants (a few minutes)
#   BENCH_PARTICIPANTS=100000 bench/progress.sh  the national scale of issue 12
#   BENCH_REQUESTS=100 bench/progress.sh       requests per read (default 50)
#   BENCH_POSTGRES=0 bench/progress.sh         SQLite alone (PostgreSQL loads about 3,000 records/s)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
NPQ=${NPQ_BIN:-$ROOT/build/npq}
PARTICIPANTS=${BENCH_PARTICIPANTS:-2000}
REQUESTS=${BENCH_REQUESTS:-50}
[[ $PARTICIPANTS =~ ^[1-9][0-9]*$ && $REQUESTS =~ ^[1-9][0-9]*$ ]] ||
    { echo "bench: BENCH_PARTICIPANTS and BENCH_REQUESTS are whole numbers" >&2; exit 1; }

# One backend: generate, serve with an access log, ask each read, print its row.
measure() { # backend-name database-location
    local name=$1 db=$2 work
    work=$(mktemp -d "${TMPDIR:-/tmp}/npq-bench-progress.XXXXXX")
    "$NPQ" init --db "$db" >/dev/null 2>"$work/setup.log"
    local started=$SECONDS
    "$NPQ" bench-data --participants "$PARTICIPANTS" --seed 1 --db "$db" >"$work/made.json" 2>>"$work/setup.log" ||
        { echo "bench: npq bench-data failed on $name" >&2; cat "$work/setup.log" >&2; return 1; }
    local generated=$((SECONDS - started))
    local admin head participant
    admin=$("$NPQ" token create --db "$db" --email admin@bench.npq.test --name bench 2>/dev/null)
    head=$("$NPQ" token create --db "$db" --email head-1@bench.npq.test --name bench 2>/dev/null)
    participant=$("$NPQ" token create --db "$db" --email participant-000001@bench.npq.test --name bench 2>/dev/null)
    "$NPQ" serve --db "$db" --listen 127.0.0.1:0 --threads 2 --access-log "$work/access.log" >"$work/npq.out" 2>&1 &
    local pid=$! base=
    for _ in $(seq 100); do
        base=$(sed -n 's|^npq: listening on \(http://127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$work/npq.out")
        [[ -n $base ]] && break
        sleep 0.1
    done
    [[ -n $base ]] || { echo "bench: npq did not start on $name" >&2; kill "$pid"; return 1; }
    local reads=("cohorts|$admin|/api/v1/progress/cohorts" "at_risk|$admin|/api/v1/progress?status=at_risk&limit=50"
        "headteacher|$head|/api/v1/progress?limit=50" "own|$participant|/api/v1/enrolments/1/progress")
    for read in "${reads[@]}"; do
        IFS='|' read -r _ token path <<<"$read"
        for _ in $(seq "$REQUESTS"); do
            curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$base$path" || echo "bench: $path failed" >&2
        done
    done
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    python3 - "$work/access.log" "$name" "$generated" "$work/made.json" <<'PY'
import json, sys
log, name, generated, made = sys.argv[1], sys.argv[2], sys.argv[3], json.load(open(sys.argv[4]))
paths = {"/api/v1/progress/cohorts": "provider dashboard", "/api/v1/progress?status=at_risk&limit=50": "at-risk list",
         "/api/v1/progress?limit=50": "headteacher's list", "/api/v1/enrolments/1/progress": "own progress"}
times = {}
for line in open(log):
    r = json.loads(line)
    if r["path"] in paths and r["status"] == 200:
        times.setdefault(r["path"], []).append(r["duration_us"] / 1000)
print(f"{name}: {made['enrolments']} enrolments, {made['activity_records']} activity records, generated in {generated} s")
for path, what in paths.items():
    t = sorted(times.get(path, []))
    if not t:
        print(f"  {what:20} no answers"); continue
    pick = lambda q: t[min(len(t) - 1, int(q * len(t)))]
    print(f"  {what:20} p50 {pick(0.5):8.2f} ms  p99 {pick(0.99):8.2f} ms  ({len(t)} requests)")
PY
    rm -rf "$work"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
sqlite_dir=$(mktemp -d "${TMPDIR:-/tmp}/npq-bench-sqlite.XXXXXX")
trap 'rm -rf "$sqlite_dir"' EXIT
measure SQLite "$sqlite_dir/npq.db"
if [[ ${BENCH_POSTGRES:-1} != 0 ]] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    scripts/with-postgres.sh bash -c "$(declare -f measure); NPQ='$NPQ' PARTICIPANTS=$PARTICIPANTS REQUESTS=$REQUESTS measure PostgreSQL \"\$NPQ_DB\""
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
