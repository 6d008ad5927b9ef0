"""Where background jobs run, and the worker that runs them from the database.

Outbound work (webhooks, e-mail, digests, re-scoring) never runs on a request thread: a
webhook receiver that takes 10 s to answer must not hold up a post or a read. ``enqueue``
hands a job over once the surrounding transaction commits, to the runner named by
THREADLINE_JOB_RUNNER:

- ``database`` (the default without a broker): the job becomes a row of django-tasks-db's
  table, in Threadline's own database (the same SQLite file, or PostgreSQL). The worker
  thread that ``threadline serve`` starts, or ``threadline worker``, claims and runs it. A
  job that raises ``RetryLater`` is queued again, ``backoff_seconds`` later, as a new row:
  retries outlive a restart.
- ``celery`` (the default with THREADLINE_BROKER_URL): published to the broker, which
  retries with the same backoff. While the broker is down the job is queued in the
  database instead, for the web process's worker thread.
- ``inline``: run at once on the thread that committed, once, without retries: for tests.

A job is a plain function taking ids (``threadline.delivery.jobs``), registered with ``@job``; it is
also a Celery task of the same name, so jobs already in a broker still run.
"""

from __future__ import annotations

import itertools
import logging
import os
import random
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from celery import shared_task
from celery.app.task import Task as CeleryTask
from django.conf import settings
from django.db import OperationalError, close_old_connections, connections, router, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

log = logging.getLogger("threadline.jobqueue")  # its name before the move

Ids = tuple[int | str, ...]


class RetryLater(Exception):  # noqa: N818 - a request, not an error
    """Raised by a job that could not finish now (endpoint down, SMTP refused): it is run
    again ``backoff_seconds`` later, up to its ``max_retries``."""

    def __init__(self, outcome: str = "retry") -> None:
        super().__init__(outcome)
        self.outcome = outcome


def backoff_seconds(retries: int) -> int:
    """10 s, 30 s, 90 s, 270 s, ... capped at an hour, with jitter against thundering herds."""
    base = min(3600, 10 * 3**retries)
    return base + random.randint(0, base // 5)


@dataclass(frozen=True)
class JobSpec:
    body: Callable[..., str]
    max_retries: int | None  # None: until the job stops asking


_JOBS: dict[str, JobSpec] = {}


def job(*, max_retries: int | None = 5, name: str = "") -> Callable[[Callable[..., str]], Any]:
    """Register ``body`` (a function of ids returning an outcome) as a job for every runner;
    returns its Celery task, named ``module.function`` unless ``name`` says otherwise."""

    def register(body: Callable[..., str]) -> Any:
        def run(task: CeleryTask, *ids: int | str) -> str:
            try:
                return body(*ids)
            except RetryLater as exc:
                if task.request.is_eager or task.request.called_directly:
                    return exc.outcome
                raise task.retry(exc=exc, countdown=backoff_seconds(task.request.retries)) from exc

        # The task reads as the job's own function (its name, module and docstring).
        for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
            setattr(run, attr, getattr(body, attr))
        full_name = name or f"{body.__module__}.{body.__name__}"
        celery_task = shared_task(
            name=full_name, bind=True, acks_late=True, max_retries=max_retries
        )(run)
        _JOBS[full_name] = JobSpec(body=body, max_retries=max_retries)
        return celery_task

    return register


# --- handing a job over -----------------------------------------------------------------


def enqueue(job: CeleryTask, *ids: int | str) -> None:
    """Run ``job(*ids)`` in the background once the current transaction commits."""
    transaction.on_commit(lambda: _send(job.name, ids, job))


def _send(name: str, ids: Ids, celery_task: CeleryTask) -> None:
    from threadline.server import ops

    label = name.rsplit(".", 1)[-1]
    runner = settings.THREADLINE["JOB_RUNNER"]
    if runner == "inline":
        ops.JOBS.labels(job=label, where="inline").inc()
        run_inline(name, ids)
        return
    if runner == "celery":
        try:
            celery_task.apply_async(args=ids)
            ops.JOBS.labels(job=label, where="broker").inc()
            return
        except Exception:  # noqa: BLE001 - broker down: keep the job in the database
            log.warning("broker unavailable; %s%r queued in the database", name, ids)
    try:
        schedule(name, ids)
    except Exception:  # noqa: BLE001 - the request has committed; say so rather than fail it
        log.exception("could not queue %s%r", name, ids)
        return
    ops.JOBS.labels(job=label, where="database").inc()


def run_inline(name: str, ids: Ids) -> str | None:
    """Run a job here and now, once (the ``inline`` runner); a failure is logged."""
    try:
        return _JOBS[name].body(*ids)
    except RetryLater as exc:
        log.warning("job %s%r asked for a retry (%s); none in-line", name, ids, exc.outcome)
    except Exception:  # noqa: BLE001 - the request has already succeeded
        log.exception("job %s%r failed", name, ids)
    return None


# Set when this process queues a job, so that its worker thread starts it at once.
_wake = threading.Event()


def schedule(name: str, ids: Ids, *, attempt: int = 0, delay: float = 0) -> None:
    """Store one run of job ``name`` in the database queue, due ``delay`` seconds from now."""
    queued = run_job
    if delay:
        queued = run_job.using(run_after=timezone.now() + timedelta(seconds=delay))
    # In a transaction, so that on SQLite the insert queues on the writers' lock
    # (threadline.db.sqlite3) rather than on SQLite's sleeping busy handler.
    with transaction.atomic(using=router.db_for_write(DBTaskResult)):
        queued.enqueue(name, list(ids), attempt)
    _wake.set()


@task()
def run_job(name: str, ids: list[int | str], attempt: int = 0) -> str:
    """The one task django-tasks-db stores: run job ``name`` on ``ids``. When it asks for a
    retry, queue attempt ``attempt + 1`` after ``backoff_seconds(attempt)``; past the job's
    ``max_retries`` the row is marked failed, with the traceback."""
    spec = _JOBS[name]
    try:
        return spec.body(*ids)
    except RetryLater as exc:
        if spec.max_retries is not None and attempt >= spec.max_retries:
            raise
        delay = backoff_seconds(attempt)
        schedule(name, tuple(ids), attempt=attempt + 1, delay=delay)
        return f"{exc.outcome}: retry {attempt + 1} in {delay} s"


# --- the worker -------------------------------------------------------------------------


def _claim_next(worker_id: str) -> DBTaskResult | None:
    """The next due job, marked running by this worker (one short write transaction)."""
    due = DBTaskResult.objects.ready().filter(backend_name=run_job.backend)
    # A plain read first: an idle worker then never takes SQLite's write lock, which the
    # requests' posts queue on.
    if not due.exists():
        return None
    try:
        with exclusive_transaction(due.db):
            row = due.get_locked()
            if row is not None:
                row.claim(worker_id)
            return row
    except OperationalError as exc:
        if is_locked_database_exception(exc):
            return None
        raise


def requeue_stale(*, lease_seconds: float) -> int:
    """Make jobs running for longer than the lease due again: their worker died mid-job
    (kill -9, a lost machine). Jobs are idempotent, so running one twice does nothing
    twice."""
    cutoff = timezone.now() - timedelta(seconds=lease_seconds)
    with transaction.atomic(using=router.db_for_write(DBTaskResult)):
        return (
            DBTaskResult.objects.running()
            .filter(started_at__lt=cutoff)
            .update(status=TaskResultStatus.READY, started_at=None)
        )


def prune(*, keep_days: float) -> int:
    """Delete finished and failed job rows older than ``keep_days``."""
    cutoff = timezone.now() - timedelta(days=keep_days)
    with transaction.atomic(using=router.db_for_write(DBTaskResult)):
        done = DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
        )
        deleted, _ = done.filter(finished_at__lt=cutoff).delete()
    return deleted


def queue_length() -> int:
    """Jobs due now and not yet claimed (for /metrics)."""
    return DBTaskResult.objects.ready().filter(backend_name=run_job.backend).count()


_serial = itertools.count(1)


class BackgroundWorker:
    """Runs due jobs from the database queue, one at a time, until stopped, on a thread of
    its own (``start_workers``: ``threadline serve`` and ``threadline worker``); ``run_due``
    runs what is due on the calling thread (``threadline worker --batch``, tests)."""

    UPKEEP_SECONDS = 60.0

    def __init__(self, *, interval: float | None = None, upkeep: bool = True) -> None:
        conf = settings.THREADLINE
        self.interval = conf["WORKER_POLL_SECONDS"] if interval is None else interval
        self.does_upkeep = upkeep
        self.stopping = False
        self.thread: threading.Thread | None = None
        self.worker_id = f"{socket.gethostname()[:40]}:{os.getpid()}:{next(_serial)}"
        # django-tasks-db's own worker, for its bookkeeping around one job (signals, the
        # result or the traceback on the row); the loop is ours, so that it can be woken.
        self._executor = Worker(
            queue_names=["*"],
            interval=self.interval,
            batch=False,
            backend_name=run_job.backend,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )

    def run_due(self) -> int:
        """Run every job due now; returns how many ran."""
        ran = 0
        while not self.stopping:
            close_old_connections()
            row = _claim_next(self.worker_id)
            if row is None:
                break
            self._executor.run_task(row)
            ran += 1
        return ran

    def upkeep(self) -> None:
        conf = settings.THREADLINE
        if requeued := requeue_stale(lease_seconds=conf["JOB_LEASE_SECONDS"]):
            log.warning("%d jobs outlived their lease; queued again", requeued)
        prune(keep_days=conf["JOB_KEEP_DAYS"])

    def run(self) -> None:
        """Work until ``stop``: due jobs first, then wait for a wake-up or the interval."""
        next_upkeep = 0.0
        try:
            while not self.stopping:
                _wake.clear()
                try:
                    if self.does_upkeep and time.monotonic() >= next_upkeep:
                        self.upkeep()
                        next_upkeep = time.monotonic() + self.UPKEEP_SECONDS
                    self.run_due()
                except Exception:  # noqa: BLE001 - database gone a moment: keep the worker
                    log.exception("job worker: could not read the queue")
                    close_old_connections()
                _wake.wait(self.interval)
        finally:
            connections.close_all()

    def start(self) -> BackgroundWorker:
        self.thread = threading.Thread(target=self.run, name="threadline-jobs", daemon=True)
        self.thread.start()
        return self

    def stop(self, *, wait: float | None = None) -> None:
        """Finish the job in hand, then stop (waiting up to ``wait`` s for a thread)."""
        self.stopping = True
        _wake.set()
        if self.thread is not None and wait is not None:
            self.thread.join(wait)


def start_workers(count: int, *, interval: float | None = None) -> list[BackgroundWorker]:
    """``count`` worker threads (at least one): a receiver that takes its time holds up
    only the thread delivering to it. One of them requeues lost jobs and prunes old rows."""
    return [
        BackgroundWorker(interval=interval, upkeep=n == 0).start() for n in range(max(1, count))
    ]


def stop_workers(workers: list[BackgroundWorker], *, wait: float) -> None:
    """Let each thread finish the job in hand, waiting ``wait`` seconds in all."""
    for worker in workers:
        worker.stopping = True
    _wake.set()
    deadline = time.monotonic() + wait
    for worker in workers:
        if worker.thread is not None:
            worker.thread.join(max(0.0, deadline - time.monotonic()))
