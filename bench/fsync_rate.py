#!/usr/bin/env python3
"""The disk's own rate of durable writes, for comparison with npq's commits per second.

Writes 4 KiB and flushes it, over and over for the given seconds, on a file in the directory
given (the one the benchmark's database is in, so the same disk and file system), three ways:
rewriting a 1 MiB region in place with fdatasync (what SQLite does at each commit once a
checkpoint has reset its WAL: it calls fdatasync on Linux), the same with fsync, and appending
with fsync (a file that grows, whose size must reach the disk too). Prints one line per way:
"NAME RATE".

    bench/fsync_rate.py DIR [SECONDS]
"""
import os
import sys
import time

BLOCK = b"\x5a" * 4096
REGION_BLOCKS = 256


def rate(path, in_place, flush, seconds):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        if in_place:
            os.write(fd, BLOCK * REGION_BLOCKS)
            os.fsync(fd)
        count = 0
        start = time.monotonic()
        deadline = start + seconds
        while time.monotonic() < deadline:
            if in_place:
                os.pwrite(fd, BLOCK, (count % REGION_BLOCKS) * len(BLOCK))
            else:
                os.write(fd, BLOCK)
            flush(fd)
            count += 1
        return count / (time.monotonic() - start)
    finally:
        os.close(fd)
        os.unlink(path)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: fsync_rate.py DIR [SECONDS]")
    directory = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) == 3 else 3.0
    path = os.path.join(directory, "fsync-rate.tmp")
    print("fdatasync_in_place %.0f" % rate(path, True, os.fdatasync, seconds))
    print("fsync_in_place %.0f" % rate(path, True, os.fsync, seconds))
    print("fsync_append %.0f" % rate(path, False, os.fsync, seconds))


if __name__ == "__main__":
    main()
