"""Slipway's Python example: one line of greeting over HTTP on $PORT (factor VII)."""
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from slipway_greeting import __version__ as greeting_version
from slipway_greeting import greeting_line

APP = os.environ.get("SLIPWAY_APP", "python-example")


class Greeter(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            body = "ok\n"
        else:
            body = greeting_line(APP, "python", os.environ.get("GREETING"), os.environ.get("DYNO")) + "\n"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        # Logs are an event stream on stdout (factor XI).
        print("%s %s" % (self.address_string(), fmt % args), flush=True)


def main():
    port = int(os.environ.get("PORT", "5000"))
    server = ThreadingHTTPServer(("0.0.0.0", port), Greeter)
    # SIGTERM means a clean stop (factor IX).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"{APP}: listening on 0.0.0.0:{port} (slipway-greeting {greeting_version})", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
