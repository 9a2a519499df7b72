"""gunicorn hooks for the web benchmark: each worker says when it has loaded the application, so that the
benchmark can time a fresh worker's first request without counting its boot."""

import os
from pathlib import Path


def post_worker_init(worker):
    ready = os.environ.get("BENCH_READY_DIR")
    if ready:
        Path(ready, str(worker.pid)).touch()
