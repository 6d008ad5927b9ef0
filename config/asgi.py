import os
import re
from concurrent.futures import ThreadPoolExecutor

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django's own ASGI handler serves the live stream (an asynchronous view).
django_application = get_asgi_application()

from django.conf import settings  # noqa: E402

from threadline.fastpath import FastThreads  # noqa: E402  (needs Django set up)
from threadline.handler import PooledHandler  # noqa: E402

# Every other request runs Django's synchronous cycle on these long-lived threads.
pool = ThreadPoolExecutor(
    max_workers=settings.THREADLINE["SERVER_THREADS"], thread_name_prefix="threadline"
)
application = FastThreads(
    PooledHandler(pool),
    pool=pool,
    asgi_routes=[(re.compile(r"^/api/v1/stories/\d+/events$"), django_application)],
)


def _warm_up() -> None:
    """Load the scorers and the toxicity model before the first request, so the first
    readers to post do not wait for them (a worker loads them once)."""
    from threadline.scoring.base import load_scorers

    paths = tuple(settings.THREADLINE["SCORERS"])
    load_scorers(paths)
    if "threadline.scoring.classifier.ToxicityScorer" in paths:
        from threadline.scoring.classifier import load_model

        load_model()


_warm_up()
