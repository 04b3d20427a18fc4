"""A real HTTP receiver for the exchange's tests: a server on a free local port, in a thread,
that keeps what it was sent and answers as the test scripts it (status codes, a pause)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self):
        self.received: list[dict] = []  # {"headers": {...}, "body": bytes, "event": {...}}
        self.answers: list[int] = []  # scripted status codes, one per request; then 200
        self.pause = 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 - the standard library's name
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                if receiver.pause:
                    time.sleep(receiver.pause)
                status = receiver.answers.pop(0) if receiver.answers else 200
                receiver.received.append(
                    {
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                        "event": json.loads(body),
                        "status": status,
                    }
                )
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/events"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def accepted(self) -> list[dict]:
        return [r["event"] for r in self.received if 200 <= r["status"] < 300]
