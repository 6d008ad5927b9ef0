from __future__ import annotations

import os

from django.core.management.base import BaseCommand


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

        from threadline.clientaddr import uvicorn_proxy_options

        # Static files (the widget) are served compressed from STATIC_ROOT.
        call_command("collectstatic", interactive=False, verbosity=0)

        self.stdout.write(f"Threadline on http://{host}:{port}/ ({workers} worker(s))")
        uvicorn.run(
            "config.asgi:application",
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            access_log=False,
            lifespan="off",
            # X-Forwarded-For is trusted only with THREADLINE_TRUSTED_PROXIES set.
            **uvicorn_proxy_options(),
        )
