"""``threadline worker``: run the jobs queued in the database, in the foreground."""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from threadline.delivery.jobqueue import BackgroundWorker, start_workers, stop_workers


class Command(BaseCommand):
    help = (
        "Run background jobs queued in the database (webhooks, e-mail, digests, re-scoring). "
        "`threadline serve` runs such workers in threads of its own; run this beside it, or "
        "instead of them with THREADLINE_SERVE_WORKER=false. With a broker, Celery workers "
        "run the jobs and this runs those queued while the broker was down."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="run the jobs due now, then exit (cron, tests)"
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="jobs run at once (default THREADLINE_WORKER_THREADS)",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="seconds between looks at an idle queue (THREADLINE_WORKER_POLL_SECONDS)",
        )

    def handle(
        self, *args: Any, batch: bool, threads: int | None, interval: float | None, **opts: Any
    ) -> None:
        if batch:
            worker = BackgroundWorker(interval=interval)
            worker.upkeep()
            self.stdout.write(f"{worker.run_due()} jobs run")
            return
        stopping: list[int] = []

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.append(signum)  # only a note: the threads are stopped below

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        count = settings.THREADLINE["WORKER_THREADS"] if threads is None else threads
        workers = start_workers(count, interval=interval)
        self.stdout.write(f"{len(workers)} worker threads waiting for jobs")
        while not stopping:
            time.sleep(0.2)
        # The jobs in hand finish (a webhook within its timeout); the others stay queued.
        stop_workers(workers, wait=30)
