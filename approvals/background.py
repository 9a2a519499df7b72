"""Renders that run in this process after the response: the embedded default, where no broker is
configured and Celery runs tasks in-process as they are queued.

Run in-process, the render of an approval record would hold up the sign-off that decided the round for
as long as the PDF takes (seconds). Instead `enqueue_safely` hands the render tasks to one daemon
thread per process, which runs them one after another, each as Celery would in-process (its claim,
lease and retries included), on its own database connection. A process that exits waits for the queued renders
(within the render time limit); one killed mid-render leaves the claim to lapse, and the sweep renders
the document as it would after a lost worker.

With a broker (REDIS_URL set) nothing here runs: the tasks go to the Celery workers. Tests turn it off
(CLEARANCE_RENDER_IN_BACKGROUND), so that the record exists when the decision returns.
"""

import atexit
import logging
import os
import queue
import threading

from django.conf import settings
from django.db import connections

log = logging.getLogger(__name__)

# The tasks that make documents; everything else still runs where it is queued.
BACKGROUND_TASKS = frozenset({"approvals.tasks.render_approval_record", "reports.tasks.render_report_export"})

_lock = threading.Lock()
_jobs: queue.Queue = queue.Queue()
_thread: threading.Thread | None = None
_pid: int | None = None


def takes(task) -> bool:
    """Whether `task` is run here rather than where it is queued: a render, in a process that would
    run it in-process, with background rendering on."""
    return (
        task.name in BACKGROUND_TASKS
        and task.app.conf.task_always_eager
        and getattr(settings, "CLEARANCE_RENDER_IN_BACKGROUND", True)
    )


def submit(task, *args, **kwargs) -> bool:
    """Queue `task(*args, **kwargs)` for this process's background thread; start it if needed."""
    _ensure_thread()
    _jobs.put((task, args, kwargs))
    return True


def _ensure_thread() -> None:
    global _thread, _pid, _jobs
    with _lock:
        if _thread is not None and _thread.is_alive() and _pid == os.getpid():
            return
        if _pid != os.getpid():
            _jobs = queue.Queue()  # a forked child does not inherit the parent's thread, nor its jobs
        _pid = os.getpid()
        _thread = threading.Thread(target=_work, args=(_jobs,), name="clearance-renderer", daemon=True)
        _thread.start()
        atexit.register(_finish)


def _finish() -> None:
    """At exit (a management command such as seed_demo, a stopped server), let the queued renders
    finish, within the render time limit: left undone, they would wait for a sweep."""
    if _pid == os.getpid() and not wait_idle(timeout=settings.CLEARANCE_RENDER_HARD_SECONDS):
        log.warning("Exiting with renders still queued; the sweep will make them")


def _work(jobs: queue.Queue) -> None:
    from approvals.notifications import enqueue_now

    while True:
        task, args, kwargs = jobs.get()
        try:
            enqueue_now(task, *args, **kwargs)  # runs it here, in-process; its failures are logged there
        except Exception:
            log.exception("%s%r failed in the background; left for its sweep", task.name, args or kwargs)
        finally:
            connections.close_all()  # this thread's own connections
            jobs.task_done()


def wait_idle(timeout: float) -> bool:
    """Block until every job queued so far has run (True), or `timeout` seconds pass (False). For tests
    and for a process that wants its renders done before it exits."""
    jobs = _jobs
    with jobs.all_tasks_done:
        return jobs.all_tasks_done.wait_for(lambda: not jobs.unfinished_tasks, timeout=timeout)
