#!/usr/bin/env python3
"""Steady HTTP load at a fixed rate through the Slipway router, counting every failed request.

Usage: load.py URL HOST RATE SECONDS STOPFILE
Sends RATE requests per second (spread evenly, several keep-alive connections) to URL with the
given Host header for at most SECONDS, or until STOPFILE exists; prints one line of JSON:
{"sent": N, "ok": N, "failed": N, "errors": {...}, "p99_ms": X}. Loopback only, bounded in time.
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

url, host, rate, seconds, stopfile = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
target = urllib.parse.urlparse(url)
assert target.hostname in ("127.0.0.1", "localhost"), "load goes to loopback only"

lock = threading.Lock()
stats = {"sent": 0, "ok": 0, "failed": 0, "errors": {}}
latencies = []
workers = 8
interval = workers / rate
deadline = time.monotonic() + seconds


def worker(offset):
    conn = None
    next_at = time.monotonic() + offset * (1 / rate)
    while time.monotonic() < deadline and not os.path.exists(stopfile):
        delay = next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        next_at += interval
        started = time.monotonic()
        error = None
        try:
            if conn is None:
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
            conn.request("GET", target.path or "/", headers={"Host": host})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                error = "status %d %s" % (response.status, response.getheader("X-Slipway-Error", ""))
        except Exception as e:  # a refused or reset connection is a failed request
            error = type(e).__name__
            conn = None
        elapsed = (time.monotonic() - started) * 1000
        with lock:
            stats["sent"] += 1
            latencies.append(elapsed)
            if error:
                stats["failed"] += 1
                stats["errors"][error] = stats["errors"].get(error, 0) + 1
            else:
                stats["ok"] += 1


threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
for t in threads:
    t.start()
for t in threads:
    t.join()
latencies.sort()
stats["p99_ms"] = round(latencies[int(len(latencies) * 0.99) - 1], 1) if latencies else None
print(json.dumps(stats))
