from __future__ import annotations

import os
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.management.base import BaseCommand

if TYPE_CHECKING:
    from threadline.delivery.jobqueue import BackgroundWorker


class Command(BaseCommand):
    help = "Serve Threadline with uvicorn (ASGI); static files are served by WhiteNoise."

    def add_arguments(self, parser):  # noqa: ANN001
        parser.add_argument("--host", default=os.environ.get("THREADLINE_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("THREADLINE_PORT", "8000"))
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("THREADLINE_WORKERS", "1"))
        )

    def handle(self, *args, host: str, port: int, workers: int, **options) -> None:  # noqa: ANN002,ANN003
        import uvicorn
        from django.core.management import call_command

        from threadline.server.clientaddr import uvicorn_proxy_options

        # Static files (the widget) are served compressed from STATIC_ROOT.
        call_command("collectstatic", interactive=False, verbosity=0)

        self.stdout.write(f"Threadline on http://{host}:{port}/ ({workers} worker(s))")
        # The worker processes share the cores: each sizes its model's threads by this.
        os.environ["THREADLINE_SERVE_PROCESSES"] = str(max(1, workers))
        jobs = self._start_job_workers()
        try:
            uvicorn.run(
                "threadline.server.asgi:application",
                host=host,
                port=port,
                workers=workers,
                log_level="warning",
                access_log=False,
                lifespan="off",
                # X-Forwarded-For is trusted only with THREADLINE_TRUSTED_PROXIES set.
                **uvicorn_proxy_options(),
            )
        finally:
            from threadline.delivery.jobqueue import stop_workers

            stop_workers(jobs, wait=10)

    def _start_job_workers(self) -> list[BackgroundWorker]:
        """Threads of this process (THREADLINE_WORKER_THREADS) run the jobs queued in the
        database (webhooks, e-mail, digests, re-scoring), never a request's thread; with a
        broker they run those queued while it was down. THREADLINE_SERVE_WORKER=false
        leaves the jobs to `threadline worker` processes."""
        from threadline.delivery.jobqueue import start_workers

        conf = settings.THREADLINE
        if conf["JOB_RUNNER"] == "inline" or not conf["SERVE_WORKER"]:
            return []
        return start_workers(conf["WORKER_THREADS"])
