#!/usr/bin/env bash
# Measures npq against the goals of docs/benchmarks.md, in one run on this machine:
#   1. the cached catalogue read      GET /api/v1/qualifications/NPQSL
#   2. the authenticated read         GET /api/v1/me with a bearer token
#   3. a list page of 50 records      GET /api/v1/users?limit=50 with the same token
#      each as a ratio to nginx serving a file of exactly the same bytes, loaded by the same wrk
#      command (same headers, same connections), npq and nginx both with 2 threads;
#   4. durable writes                 POST /api/v1/organisations at 32 connections, each body new,
#      each answered after its COMMIT, beside the disk's own fsync rate measured in the same run;
#   5. reads under the write lock     the slowest of 20 reads while another process holds SQLite's
#      write lock for 3 s and 8 writes wait for it (and, for comparison, of 20 with no lock held).
# It reports; it is not a test: it exits 0 whether the goals are met or not, and non-zero only
# when it could not measure at all. It stops both servers by itself and targets 127.0.0.1 only.
#
#   bench/run.sh                       (make bench builds first, then runs this)
#   BENCH_DURATION=5 bench/run.sh      seconds per wrk run (default 10)
#   BENCH_WARMUP=1 bench/run.sh        seconds of warm-up per server and load (default 2)
#   BENCH_CONNECTIONS=16 bench/run.sh  connections for the reads (default 64), for exploring; the
#   BENCH_WRITE_CONNECTIONS=8 ...      goals are set at 64 for reads and 32 for writes (default)
#   NPQ_BIN=other/build/npq bench/run.sh   measures another build
#
# Raw outputs go to bench/results/STAMP-* (gitignored), the table to bench/results/STAMP-summary.txt.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
NPQ=${NPQ_BIN:-$ROOT/build/npq}
NGINX=${NGINX_BIN:-/usr/sbin/nginx}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
THREADS=2 # npq threads = nginx workers = wrk threads: the machine's 2 cores
CONNECTIONS=${BENCH_CONNECTIONS:-64}
WRITE_CONNECTIONS=${BENCH_WRITE_CONNECTIONS:-32}
LOCK_HOLD_SECONDS=3
LOCK_WRITERS=8
LOCK_READS=20
LIST_SIZE=50
RESULTS=$ROOT/bench/results

for tool in "$NPQ" "$NGINX" "$(command -v wrk || echo wrk)" "$(command -v curl || echo curl)" \
    "$(command -v python3 || echo python3)"; do
    [[ -x $tool ]] || { echo "bench: $tool is missing" >&2; exit 1; }
done
[[ $DURATION =~ ^[1-9][0-9]*$ && $WARMUP =~ ^[0-9]+$ ]] || { echo "bench: BENCH_DURATION/BENCH_WARMUP must be whole seconds" >&2; exit 1; }
[[ $CONNECTIONS =~ ^[1-9][0-9]*$ && $WRITE_CONNECTIONS =~ ^[1-9][0-9]*$ ]] ||
    { echo "bench: BENCH_CONNECTIONS/BENCH_WRITE_CONNECTIONS must be positive numbers" >&2; exit 1; }
python3 -c 'import sqlite3' 2>/dev/null || { echo "bench: python3 has no sqlite3 module" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/npq-bench.XXXXXX")
NPQ_PID=
NGINX_PID=

# Stops a process: SIGTERM (or the signal given), up to 5 s of grace, then SIGKILL.
stop_process() {
    local pid=$1 sig=${2:-TERM}
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill "-$sig" "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "bench: pid $pid did not stop, killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317 # reached through the trap
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop_process "$NPQ_PID" TERM
    stop_process "$NGINX_PID" QUIT # nginx's graceful stop
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A loopback port that was free a moment ago (nginx cannot report the port it got for port 0).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits until URL answers 200, for up to 10 s, while process PID is alive.
wait_for() {
    local url=$1 pid=$2
    for _ in $(seq 100); do
        curl -fs -o /dev/null --max-time 1 "$url" && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "bench: $url did not answer" >&2
    return 1
}

# --- npq, with an administrator, a token and enough people for a full list page ---
DB=$WORK/npq.db
npq_cmd() { # runs an npq command on the benchmark's database; its log goes to setup.log
    "$NPQ" "$@" --db "$DB" 2>>"$WORK/setup.log" || { echo "bench: npq $1 failed" >&2; cat "$WORK/setup.log" >&2; exit 1; }
}
npq_cmd init >/dev/null
npq_cmd user add --email bench-admin@example.org --name "Bench Administrator" --role admin >/dev/null
TOKEN=$(npq_cmd token create --email bench-admin@example.org --name bench)
[[ $TOKEN =~ ^[A-Za-z0-9_-]+$ ]] || { echo "bench: npq token create printed no token" >&2; exit 1; }
{
    echo "email,name,role"
    for i in $(seq $((LIST_SIZE + 10))); do echo "bench-person-$i@example.org,Bench Person $i,participant"; done
} >"$WORK/people.csv"
npq_cmd import users "$WORK/people.csv" >/dev/null

# Mail goes to standard output without an SMTP server: the invitations the import queued land in
# npq.out, once, at start.
"$NPQ" serve --db "$DB" --listen 127.0.0.1:0 --access-log off --threads "$THREADS" \
    >"$WORK/npq.out" 2>"$WORK/npq.err" &
NPQ_PID=$!
NPQ_BASE=
for _ in $(seq 100); do
    NPQ_BASE=$(sed -n 's|^npq: listening on \(http://127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$WORK/npq.out")
    [[ -n $NPQ_BASE ]] && break
    kill -0 "$NPQ_PID" 2>/dev/null || break
    sleep 0.1
done
[[ -n $NPQ_BASE ]] || { echo "bench: npq did not start" >&2; cat "$WORK/npq.out" "$WORK/npq.err" >&2; exit 1; }
AUTH="Authorization: Bearer $TOKEN"

# The reads, each with the file nginx serves in its place: npq's own body, so the bytes are the same.
READ_NAMES=(catalogue me list)
declare -A READ_PATH=([catalogue]=/api/v1/qualifications/NPQSL [me]=/api/v1/me [list]="/api/v1/users?limit=$LIST_SIZE")
declare -A READ_AUTH=([catalogue]=0 [me]=1 [list]=1)
declare -A READ_BYTES
mkdir -p "$WORK/www" "$WORK/logs" "$WORK/tmp"
for name in "${READ_NAMES[@]}"; do
    headers=()
    ((READ_AUTH[$name])) && headers=(-H "$AUTH")
    curl -fsS --max-time 5 "${headers[@]}" -o "$WORK/www/$name.json" "$NPQ_BASE${READ_PATH[$name]}" ||
        { echo "bench: npq did not answer ${READ_PATH[$name]}" >&2; exit 1; }
    READ_BYTES[$name]=$(stat -c %s "$WORK/www/$name.json")
done
listed=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["users"]))' "$WORK/www/list.json")
[[ $listed -eq $LIST_SIZE ]] || { echo "bench: the list page holds $listed people, not $LIST_SIZE" >&2; exit 1; }

# --- nginx ---
# Everything under the temp dir, so it needs no root path; runs as the current user.
user_line=
[[ $(id -u) -eq 0 ]] && user_line="user $(id -un) $(id -gn);" # else workers would drop to nobody
start_nginx() {
    NGINX_PORT=$(free_port)
    cat >"$WORK/nginx.conf" <<EOF
$user_line
worker_processes $THREADS;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log warn;
events {
    worker_connections 4096;
}
http {
    access_log off;
    client_body_temp_path $WORK/tmp/client_body;
    proxy_temp_path $WORK/tmp/proxy;
    fastcgi_temp_path $WORK/tmp/fastcgi;
    uwsgi_temp_path $WORK/tmp/uwsgi;
    scgi_temp_path $WORK/tmp/scgi;
    types { }
    default_type application/json;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65s;
    keepalive_requests 100000;
    open_file_cache max=64 inactive=60s;
    open_file_cache_valid 60s;
    open_file_cache_errors on;
    server_tokens off;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/www;
        location / { }
    }
}
EOF
    "$NGINX" -p "$WORK" -e "$WORK/logs/error.log" -c "$WORK/nginx.conf" -t -q || return 1
    "$NGINX" -p "$WORK" -e "$WORK/logs/error.log" -c "$WORK/nginx.conf" -g 'daemon off;' \
        >"$WORK/logs/nginx.out" 2>&1 &
    NGINX_PID=$!
    NGINX_BASE=http://127.0.0.1:$NGINX_PORT
    if ! wait_for "$NGINX_BASE/catalogue.json" "$NGINX_PID"; then
        stop_process "$NGINX_PID" QUIT
        NGINX_PID=
        return 1
    fi
}
started=
for _ in 1 2 3; do # the free port can be taken between the check and nginx's bind
    if start_nginx; then started=1; break; fi
done
[[ -n $started ]] || { echo "bench: nginx did not start" >&2; cat "$WORK/logs/error.log" >&2 2>/dev/null; exit 1; }
for name in "${READ_NAMES[@]}"; do
    bytes=$(curl -fsS --max-time 5 "$NGINX_BASE/$name.json" | wc -c)
    [[ $bytes -eq ${READ_BYTES[$name]} ]] || { echo "bench: nginx serves $bytes bytes for $name, npq ${READ_BYTES[$name]}" >&2; exit 1; }
done

# --- measure ---
mkdir -p "$RESULTS"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RAW=$RESULTS/$STAMP
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
run_wrk() { # seconds output-file wrk-arguments...
    local seconds=$1 out=$2
    shift 2
    timeout --foreground $((seconds + 30)) wrk -t"$THREADS" -d"$seconds"s --latency "$@" >"$out" 2>&1
}

# 1-3: each read on npq, then the same load on nginx's copy of its body.
for name in "${READ_NAMES[@]}"; do
    headers=()
    ((READ_AUTH[$name])) && headers=(-H "$AUTH")
    load=(-c"$CONNECTIONS" "${headers[@]}")
    if ((WARMUP > 0)); then
        run_wrk "$WARMUP" /dev/null "${load[@]}" "$NPQ_BASE${READ_PATH[$name]}"
        run_wrk "$WARMUP" /dev/null "${load[@]}" "$NGINX_BASE/$name.json"
    fi
    run_wrk "$DURATION" "$RAW-$name-npq.txt" "${load[@]}" "$NPQ_BASE${READ_PATH[$name]}"
    run_wrk "$DURATION" "$RAW-$name-nginx.txt" "${load[@]}" "$NGINX_BASE/$name.json"
done

# 4: the disk's flush rate, then durable writes (the database is in the same directory).
python3 bench/fsync_rate.py "$WORK" 3 >"$RAW-fsync.txt"
write_load=(-c"$WRITE_CONNECTIONS" -s bench/post_organisations.lua "$NPQ_BASE")
if ((WARMUP > 0)); then
    run_wrk "$WARMUP" /dev/null "${write_load[@]}" -- "$TOKEN" "warmup$STAMP"
fi
run_wrk "$DURATION" "$RAW-writes.txt" "${write_load[@]}" -- "$TOKEN" "run$STAMP"
# Every answered write must be a row: counted on a read-only connection, after the load.
WRITE_ROWS=$(python3 -c 'import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(db.execute("SELECT count(*) FROM organisations WHERE name LIKE ?", (sys.argv[2] + "%",)).fetchone()[0])' \
    "$DB" "Bench trust run$STAMP-") || WRITE_ROWS="?"

# 5: reads while this machine's other process holds the write lock and writes queue for it.
python3 bench/lock_reads.py "$DB" "$NPQ_BASE" "$TOKEN" "$LOCK_HOLD_SECONDS" "$LOCK_WRITERS" "$LOCK_READS" \
    >"$RAW-lock.txt" 2>&1 || { echo "bench: the lock test failed; see $RAW-lock.txt" >&2; exit 1; }
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
kill -0 "$NPQ_PID" 2>/dev/null || { echo "bench: npq stopped during the run" >&2; cat "$WORK/npq.err" >&2; exit 1; }
cp "$WORK/npq.err" "$RAW-npq-stderr.txt"

# --- report ---
rps() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1"; }
p99_ms() { # "99%  1.23ms" (us, ms or s) in milliseconds
    awk '$1 == "99%" {
        v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
        f = (unit == "us") ? 0.001 : (unit == "s") ? 1000 : (unit == "m") ? 60000 : 1
        printf "%.2f", v * f
    }' "$1"
}
errors() { # wrk's count of socket errors and non-2xx answers (0 when it printed none)
    awk '/Non-2xx/ { n += $NF } /Socket errors/ { for (i = 4; i <= NF; i += 2) n += $i } END { print n + 0 }' "$1"
}
lock_figure() { awk -v k="$1" '$1 == k { print $2 }' "$RAW-lock.txt"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }
verdict() { # awk condition over r (ratio), p (p99 ms), e (errors) -> met / not met
    awk -v r="$2" -v p="$3" -v e="$4" "BEGIN { print (($1) && e == 0) ? \"met\" : \"not met\" }"
}
for raw in "$RAW"-*-npq.txt "$RAW"-*-nginx.txt "$RAW-writes.txt"; do
    [[ -n $(rps "$raw") && -n $(p99_ms "$raw") ]] || { echo "bench: could not read wrk's output in $raw" >&2; exit 1; }
done
[[ -n $(lock_figure slowest_read_ms) ]] || { echo "bench: could not read $RAW-lock.txt" >&2; exit 1; }

declare -A GOAL=([catalogue]=">= 0.80x, p99 < 2 ms" [me]=">= 0.70x, p99 < 5 ms" [list]="(none set)")
declare -A CONDITION=([catalogue]="r >= 0.80 && p < 2" [me]="r >= 0.70 && p < 5" [list]="")
row() { printf '%-44s %-58s %-26s %s\n' "$@"; }
fsync_figure() { awk -v k="$1" '$1 == k { print $2 }' "$RAW-fsync.txt"; }
FSYNC_RATE=$(fsync_figure fdatasync_in_place) # what SQLite does at each commit
summary=$(
    row "what" "npq (nginx, same bytes, same load)" "goal" "verdict"
    for name in "${READ_NAMES[@]}"; do
        n=$RAW-$name-npq.txt g=$RAW-$name-nginx.txt
        r=$(ratio "$(rps "$n")" "$(rps "$g")") e=$(($(errors "$n") + $(errors "$g")))
        v="reported"
        [[ -n ${CONDITION[$name]} ]] && v=$(verdict "${CONDITION[$name]}" "$r" "$(p99_ms "$n")" "$e")
        ((e == 0)) || v="$v ($e errors)"
        row "GET ${READ_PATH[$name]} (${READ_BYTES[$name]} B)" \
            "${r}x: $(rps "$n")/s p99 $(p99_ms "$n") ms ($(rps "$g")/s, $(p99_ms "$g") ms)" "${GOAL[$name]}" "$v"
    done
    w=$RAW-writes.txt e=$(errors "$w")
    v=$(verdict "r >= 10000 && p < 20" "$(rps "$w")" "$(p99_ms "$w")" "$e")
    ((e == 0)) || v="$v ($e errors)"
    row "POST /api/v1/organisations, c$WRITE_CONNECTIONS" \
        "$(rps "$w")/s p99 $(p99_ms "$w") ms = $(ratio "$(rps "$w")" "$FSYNC_RATE")x the disk's flushes/s" \
        ">= 10,000/s, p99 < 20 ms" "$v"
    row "  the disk: 4 KiB written + flushed, 3 s" \
        "fdatasync $FSYNC_RATE/s; fsync $(fsync_figure fsync_in_place)/s, appending $(fsync_figure fsync_append)/s" "(for comparison)" ""
    slowest=$(lock_figure slowest_read_ms) waited=$(lock_figure writes_waited) ok=$(lock_figure reads_ok)
    v=$(awk -v s="$slowest" -v ok="$ok" -v n="$LOCK_READS" 'BEGIN { print (s < 20 && ok == n) ? "met" : "not met" }')
    ((ok == LOCK_READS)) || v="$v ($((LOCK_READS - ok)) failed)"
    # Reads answered after the release, or writes that did not wait, were not measured under the lock.
    in_hold=$(lock_figure reads_in_hold)
    ((in_hold == LOCK_READS && waited == LOCK_WRITERS)) || v="not measured: $in_hold reads in the hold, $waited writes waited"
    row "slowest of $LOCK_READS reads, lock held ${LOCK_HOLD_SECONDS} s" \
        "$slowest ms (no lock: $(lock_figure slowest_read_unlocked_ms) ms; $waited/$LOCK_WRITERS writes waited, $(lock_figure writes_ok) ok)" \
        "< 20 ms" "$v"
    echo
    printf 'rows the measured writes left: %s (wrk counted %s answers)\n' "$WRITE_ROWS" \
        "$(awk '/requests in/ { print $1 }' "$w")"
    printf 'wrk -t%d -d%ss --latency, -c%d for reads, %s s warm-up each; npq --threads %d, nginx worker_processes %d; %d cores shared by wrk and the servers\n' \
        "$THREADS" "$DURATION" "$CONNECTIONS" "$WARMUP" "$THREADS" "$THREADS" "$(nproc)"
    printf 'load average before %s, after %s; raw output in bench/results/%s-*.txt\n' "$LOAD_BEFORE" "$LOAD_AFTER" "$STAMP"
)
echo "$summary"
echo "$summary" >"$RAW-summary.txt"
exit 0
