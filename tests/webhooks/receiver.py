"""A real HTTP receiver for the webhook tests: a threaded server on 127.0.0.1 (a free port) that checks each
delivery's signature with the endpoint's secret, as a receiver should, and answers as its script says."""

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b"ok"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering, to outlast the sender's timeout


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    signature_valid: bool

    @property
    def payload(self) -> dict:
        return json.loads(self.body)


def signature_valid(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """The check a receiver makes (the README's ten lines)."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    timestamp, received = parts.get("t", ""), parts.get("v1", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance:
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, received)


class _Handler(BaseHTTPRequestHandler):
    server: "Receiver"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        valid = signature_valid(self.server.secret, self.headers.get("Clearance-Signature", ""), body)
        self.server.received.append(Received(self.path, dict(self.headers), body, valid))
        answer = self.server.next_answer(self.path)
        if answer.delay:
            time.sleep(answer.delay)
        try:
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the sender gave up waiting (a timeout test)

    def log_message(self, *args):
        pass


class Receiver(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.secret = ""
        self.script: list[Answer] = []
        self.received: list[Received] = []
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/clearance"

    def answers(self, *answers: Answer) -> None:
        """Answer the next requests so, in order; after them (and on other paths) 200."""
        self.script = list(answers)

    def next_answer(self, path: str) -> Answer:
        with self._lock:
            if path.startswith("/hooks/") and self.script:
                return self.script.pop(0)
        return Answer()

    def __enter__(self):
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
