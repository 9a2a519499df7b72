"""A Celery worker whose PDF renders never finish, for the fault test to kill mid-render.

Run as `python -m tests.approvals.stalling_worker` with DATABASE_URL and REDIS_URL of the test.
"""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from approvals.documents import records  # noqa: E402
from config.celery import app  # noqa: E402
from reports import figures  # noqa: E402


def stall(*args, **kwargs):
    print("rendering", flush=True)
    while True:
        time.sleep(1)


records.render_document = stall
figures.render_pdf = stall

if __name__ == "__main__":
    # Threads, so that one process takes both the export and the record; one SIGKILL ends both.
    app.worker_main(
        ["worker", "--pool=threads", "--concurrency=2", "--loglevel=WARNING", "--without-gossip", "--without-mingle"]
    )
