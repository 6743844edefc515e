"""A background worker process type: it does no HTTP, it just works and logs (factor VIII)."""
import os
import signal
import sys
import time

from slipway_greeting import greeting_line

APP = os.environ.get("SLIPWAY_APP", "python-example")
INTERVAL = float(os.environ.get("WORKER_INTERVAL", "10"))

signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
n = 0
while True:
    n += 1
    print(f"worker tick {n}: {greeting_line(APP, 'python', os.environ.get('GREETING'), os.environ.get('DYNO'))}", flush=True)
    time.sleep(INTERVAL)
