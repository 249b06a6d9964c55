#!/usr/bin/env bash
# Compares npq's hottest read, GET /api/v1/qualifications/NPQSL, with nginx serving a static file
# of the same body on the same machine: both with 2 workers, both loaded by the same wrk command.
# It reports; it is not a test: it exits 0 whether the goal is met or not, and non-zero only when
# it could not measure at all.
#
#   bench/run.sh                       (make bench builds first, then runs this)
#   BENCH_DURATION=5 bench/run.sh      seconds per wrk run (default 10)
#   BENCH_WARMUP=1 bench/run.sh        seconds of warm-up per server (default 2)
#   BENCH_CONNECTIONS=16 bench/run.sh  wrk connections (default 64), for exploring; the goal is set at 64
#
# Raw wrk outputs go to bench/results/ (gitignored). Targets 127.0.0.1 only.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
NPQ=${NPQ_BIN:-$ROOT/build/npq}
NGINX=${NGINX_BIN:-/usr/sbin/nginx}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
THREADS=2     # npq threads = nginx workers = wrk threads: the machine's 2 cores
CONNECTIONS=${BENCH_CONNECTIONS:-64}
API_PATH=/api/v1/qualifications/NPQSL
RESULTS=$ROOT/bench/results

for tool in "$NPQ" "$NGINX" "$(command -v wrk || echo wrk)" "$(command -v curl || echo curl)"; do
    [[ -x $tool ]] || { echo "bench: $tool is missing" >&2; exit 1; }
done
[[ $DURATION =~ ^[1-9][0-9]*$ && $WARMUP =~ ^[0-9]+$ ]] || { echo "bench: BENCH_DURATION/BENCH_WARMUP must be whole seconds" >&2; exit 1; }
[[ $CONNECTIONS =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_CONNECTIONS must be a positive number" >&2; exit 1; }

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

# --- npq ---
"$NPQ" init --db "$WORK/npq.db" >"$WORK/init.log" 2>&1 || { echo "bench: $NPQ init failed" >&2; cat "$WORK/init.log" >&2; exit 1; }
"$NPQ" serve --db "$WORK/npq.db" --listen 127.0.0.1:0 --access-log off --threads "$THREADS" \
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
NPQ_URL=$NPQ_BASE$API_PATH

# The static file: npq's own body, so the size is exactly the same.
mkdir -p "$WORK/www" "$WORK/logs" "$WORK/tmp"
curl -fsS --max-time 5 -o "$WORK/www/npqsl.json" "$NPQ_URL"
BODY_BYTES=$(stat -c %s "$WORK/www/npqsl.json")

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
        location = /npqsl.json { }
    }
}
EOF
    "$NGINX" -p "$WORK" -e "$WORK/logs/error.log" -c "$WORK/nginx.conf" -t -q || return 1
    "$NGINX" -p "$WORK" -e "$WORK/logs/error.log" -c "$WORK/nginx.conf" -g 'daemon off;' \
        >"$WORK/logs/nginx.out" 2>&1 &
    NGINX_PID=$!
    NGINX_URL=http://127.0.0.1:$NGINX_PORT/npqsl.json
    if ! wait_for "$NGINX_URL" "$NGINX_PID"; then
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
NGINX_BYTES=$(curl -fsS --max-time 5 "$NGINX_URL" | wc -c)
[[ $NGINX_BYTES -eq $BODY_BYTES ]] || { echo "bench: nginx serves $NGINX_BYTES bytes, npq $BODY_BYTES" >&2; exit 1; }

# --- measure ---
WRK=(wrk -t"$THREADS" -c"$CONNECTIONS")
run_wrk() { # seconds url output-file
    timeout --foreground $(($1 + 30)) "${WRK[@]}" -d"$1"s --latency "$2" >"$3" 2>&1
}
if ((WARMUP > 0)); then
    run_wrk "$WARMUP" "$NPQ_URL" /dev/null
    run_wrk "$WARMUP" "$NGINX_URL" /dev/null
fi
mkdir -p "$RESULTS"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
NPQ_RAW=$RESULTS/$STAMP-npq.txt
NGINX_RAW=$RESULTS/$STAMP-nginx.txt
run_wrk "$DURATION" "$NPQ_URL" "$NPQ_RAW"
run_wrk "$DURATION" "$NGINX_URL" "$NGINX_RAW"

# --- report ---
rps() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1"; }
p99_ms() { # "99%  1.23ms" (us, ms or s) in milliseconds
    awk '$1 == "99%" {
        v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
        f = (unit == "us") ? 0.001 : (unit == "s") ? 1000 : (unit == "m") ? 60000 : 1
        printf "%.2f", v * f
    }' "$1"
}
errors() { # wrk's lines about errors and non-2xx answers, if any
    grep -E 'Socket errors|Non-2xx' "$1" | sed 's/^ */; /' | tr -d '\n' || true
}
NPQ_RPS=$(rps "$NPQ_RAW")
NPQ_P99=$(p99_ms "$NPQ_RAW")
NGINX_RPS=$(rps "$NGINX_RAW")
NGINX_P99=$(p99_ms "$NGINX_RAW")
if [[ -z $NPQ_RPS || -z $NPQ_P99 || -z $NGINX_RPS || -z $NGINX_P99 ]]; then
    echo "bench: could not read wrk's output; see $NPQ_RAW and $NGINX_RAW" >&2
    exit 1
fi
RATIO=$(awk -v a="$NPQ_RPS" -v b="$NGINX_RPS" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
ratio_met=$(awk -v r="$RATIO" 'BEGIN { print (r >= 0.80) ? "met" : "not met" }')
p99_met=$(awk -v p="$NPQ_P99" 'BEGIN { print (p < 2) ? "met" : "not met" }')

summary=$(
    printf 'npq    GET %s  (%d bytes): %s req/s, p99 %s ms%s\n' "$API_PATH" "$BODY_BYTES" "$NPQ_RPS" "$NPQ_P99" "$(errors "$NPQ_RAW")"
    printf 'nginx  static file of the same size:            %s req/s, p99 %s ms%s\n' "$NGINX_RPS" "$NGINX_P99" "$(errors "$NGINX_RAW")"
    printf 'ratio npq/nginx: %s (goal >= 0.80: %s); npq p99 goal < 2 ms: %s\n' "$RATIO" "$ratio_met" "$p99_met"
    printf '(%s -d%ss --latency, %s s warm-up each, %d cores shared by wrk and the server; raw output in bench/results/%s-*.txt)\n' \
        "${WRK[*]}" "$DURATION" "$WARMUP" "$(nproc)" "$STAMP"
)
echo "$summary"
echo "$summary" >"$RESULTS/$STAMP-summary.txt"
exit 0
