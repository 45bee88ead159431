"""A small HTTP service that reports what services.yaml holds, counted by
yamlstat, a C extension linked with libyaml."""

import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yamlstat

COUNTS = yamlstat.count(Path(__file__).with_name("services.yaml").read_text())


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            body = {"status": "ok"}
        elif self.path == "/":
            body = {"message": "hello from the Python native example", "libyaml": yamlstat.libyaml_version(), **COUNTS}
        else:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8000"))
    print(f"listening on port {port}", flush=True)
    ThreadingHTTPServer(("", port), Handler).serve_forever()
