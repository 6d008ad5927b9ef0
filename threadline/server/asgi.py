"""The ASGI application `threadline serve` runs (``threadline.server.asgi:application``).

Readers' requests go through the fast path and the pooled handler (``build_application``);
the scorers and the toxicity model are loaded at import, before the first request.
"""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django's own ASGI handler serves the live stream (an asynchronous view).
django_application = get_asgi_application()

from django.conf import settings  # noqa: E402

from threadline.server.handler import build_application  # noqa: E402  (needs Django set up)

# Every other request runs Django's synchronous cycle on long-lived threads: readers' on
# one pool, the moderator desk's and the admin's on another.
application = build_application(
    django_application,
    reader_threads=settings.THREADLINE["SERVER_THREADS"],
    staff_threads=settings.THREADLINE["STAFF_THREADS"],
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
    if "threadline.scoring.semantic.SemanticScorer" in paths:
        from threadline.scoring import semantic

        semantic.load_model().predict("Thanks for the article.")  # the first run is slower


_warm_up()
# What is loaded by now (Django, the scorers' word lists, the model) lives as long as the
# worker: frozen, the collector no longer walks it on each full collection, which took
# 28 ms with it and paused whichever post was running (bench/scoring_bench.py's p99).
gc.freeze()
