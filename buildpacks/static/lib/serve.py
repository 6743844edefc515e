"""A static file server for Slipway dynos: the app's files on 0.0.0.0:$PORT.

Serves the directory it is started in (the app, /app). Never serves dotfiles (.profile.d,
.slipway, .git...) or the Procfile, never lists a directory (a directory answers with its
index.html or 404), answers 404 with the site's own 404.html when it has one, logs one line per
request to stdout and stops cleanly on SIGTERM.
"""
import io
import os
import signal
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

HIDDEN = {"Procfile"}


class StaticHandler(SimpleHTTPRequestHandler):
    server_version = "slipway-static"

    def version_string(self):
        return self.server_version

    def _hidden(self):
        parts = [p for p in unquote(urlsplit(self.path).path).split("/") if p]
        return any(p.startswith(".") or p in HIDDEN for p in parts)

    def send_head(self):
        if self._hidden():
            return self._not_found()
        path = self.translate_path(self.path)
        if os.path.isdir(path) and not os.path.isfile(os.path.join(path, "index.html")):
            return self._not_found()
        return super().send_head()

    def _not_found(self):
        page = os.path.join(self.directory, "404.html")
        body = b"Not Found\n"
        ctype = "text/plain; charset=utf-8"
        if os.path.isfile(page):
            with open(page, "rb") as f:
                body = f.read()
            ctype = "text/html; charset=utf-8"
        self.send_response(404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # send_head's callers copy from the returned file; hand them the body.
        return io.BytesIO(body)

    def end_headers(self):
        self.send_header("Cache-Control", "public, max-age=60")
        super().end_headers()

    def log_message(self, fmt, *args):
        print("%s %s" % (self.address_string(), fmt % args), flush=True)


def main():
    port = int(os.environ.get("PORT", "5000"))
    root = os.getcwd()

    def handler(*args, **kwargs):
        return StaticHandler(*args, directory=root, **kwargs)

    server = ThreadingHTTPServer(("0.0.0.0", port), handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"static: serving {root} on 0.0.0.0:{port}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
