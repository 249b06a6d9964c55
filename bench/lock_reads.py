#!/usr/bin/env python3
"""Reads' latency while another process holds the database's write lock and writes queue for it.

Holds SQLite's write lock on the server's database from this process (BEGIN IMMEDIATE) for HOLD
seconds; meanwhile sends WRITERS writes (POST /api/v1/organisations, each on its own connection)
that must wait for the lock, and READS reads spread over the hold, alternating GET /api/v1/me and
GET /api/v1/users?limit=50, one at a time, timing each. Then releases the lock (ROLLBACK: nothing
was written) and waits for the writes, which must all succeed after the release.

First, for comparison, the same reads at the same pace with no lock held: on a loaded machine
the slowest read is set by the scheduler, and this says how much of it the lock adds.

Prints one line per read and per write, then the summary lines the benchmark reads:
    slowest_read_ms MS        reads_ok N          reads_in_hold N
    writes_ok N               writes_waited N     writes_after_release_ms MIN MAX
    slowest_read_unlocked_ms MS

    bench/lock_reads.py DB BASE_URL TOKEN [HOLD_SECONDS WRITERS READS]

Talks to 127.0.0.1 only; exits non-zero only when it could not measure.
"""
import http.client
import json
import sqlite3
import sys
import threading
import time
import urllib.parse

READ_PATHS = ["/api/v1/me", "/api/v1/users?limit=50"]


def connect(base):
    url = urllib.parse.urlsplit(base)
    if url.hostname != "127.0.0.1":
        sys.exit("lock_reads: only 127.0.0.1 is measured, not %s" % url.hostname)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=30)


def write(base, token, number, nonce, results):
    conn = connect(base)
    body = json.dumps({"kind": "trust", "name": "Lock-wait trust %s-%d" % (nonce, number)})
    start = time.monotonic()
    try:
        conn.request("POST", "/api/v1/organisations", body=body,
                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        status = response.status
    except OSError as e:
        status = "error: %s" % e
    results[number] = (status, start, time.monotonic())
    conn.close()


def read_at_pace(readers, token, reads, first, last):
    """Sends the reads one at a time, spread from monotonic time first to last; returns
    (path, status, start, end) for each."""
    step = (last - first) / max(reads - 1, 1)
    results = []
    for n in range(reads):
        delay = first + n * step - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        path = READ_PATHS[n % len(READ_PATHS)]
        conn = readers[path]
        start = time.monotonic()
        try:
            conn.request("GET", path, headers={"Authorization": "Bearer " + token})
            response = conn.getresponse()
            response.read()
            status = response.status
        except OSError as e:
            status = "error: %s" % e
        results.append((path, status, start, time.monotonic()))
    return results


def slowest_ms(results):
    return max((end - start) * 1000 for _, _, start, end in results)


def main():
    if len(sys.argv) not in (4, 7):
        sys.exit("usage: lock_reads.py DB BASE_URL TOKEN [HOLD_SECONDS WRITERS READS]")
    db, base, token = sys.argv[1:4]
    hold, writers, reads = (float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])) if len(sys.argv) == 7 else (3.0, 8, 20)
    nonce = str(time.time_ns())

    readers = {path: connect(base) for path in READ_PATHS}
    for path, conn in readers.items():  # open the connections and warm the caller cache first
        conn.request("GET", path, headers={"Authorization": "Bearer " + token})
        conn.getresponse().read()

    now = time.monotonic()
    unlocked = read_at_pace(readers, token, reads, now + 0.3, now + hold - 0.2)

    lock = sqlite3.connect(db, timeout=10, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    locked_at = time.monotonic()
    print("lock held from this process for %.1f s" % hold)

    write_results = {}
    threads = [threading.Thread(target=write, args=(base, token, n, nonce, write_results)) for n in range(writers)]
    for t in threads:
        t.start()

    # The reads start once the writes have had time to reach the server and queue for the lock,
    # and end well before the lock is released.
    read_results = read_at_pace(readers, token, reads, locked_at + 0.3, locked_at + hold - 0.2)

    delay = locked_at + hold - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    lock.execute("ROLLBACK")
    released_at = time.monotonic()
    lock.close()
    for t in threads:
        t.join(30)

    for n, (path, status, start, end) in enumerate(read_results):
        print("read %2d %-24s %s %8.2f ms" % (n + 1, path, status, (end - start) * 1000))
    after = []
    for n in range(writers):
        status, start, end = write_results.get(n, ("no answer", 0, 0))
        print("write %d %s %8.1f ms (answered %+.1f ms after the release)"
              % (n + 1, status, (end - start) * 1000, (end - released_at) * 1000))
        if status == 201:
            after.append((end - released_at) * 1000)

    for n, (path, status, start, end) in enumerate(unlocked):
        print("unlocked read %2d %-24s %s %8.2f ms" % (n + 1, path, status, (end - start) * 1000))
    print("slowest_read_ms %.2f" % slowest_ms(read_results))
    print("reads_ok %d" % sum(1 for r in read_results if r[1] == 200))
    print("reads_in_hold %d" % sum(1 for r in read_results if r[3] < released_at))
    print("writes_ok %d" % len(after))
    print("writes_waited %d" % sum(1 for a in after if a >= 0))
    if after:
        print("writes_after_release_ms %.1f %.1f" % (min(after), max(after)))
    print("slowest_read_unlocked_ms %.2f" % slowest_ms(unlocked))


if __name__ == "__main__":
    main()
