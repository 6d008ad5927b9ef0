"""Operations: /healthz (liveness), /readyz (database, cache, broker), /metrics
(Prometheus), the request-metrics middleware and the JSON log formatter.

With several web processes set PROMETHEUS_MULTIPROC_DIR (an empty directory, the same for
every process of one machine) so /metrics adds up all of them. Gauges computed from the
database (queue lengths, moderation decisions) are the same through every process.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from threadline.server.clientaddr import is_local_request

log = logging.getLogger("threadline.ops")  # its name before the move

REQUESTS = Counter(
    "threadline_http_requests_total", "HTTP requests answered.", ["method", "route", "status"]
)
LATENCY = Histogram(
    "threadline_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
JOBS = Counter("threadline_jobs_enqueued_total", "Jobs sent, by where they ran.", ["job", "where"])
COMMENT_EVENTS = Counter(
    "threadline_comment_events_total",
    "Comment changes seen by this process (kind, resulting status).",
    ["kind", "status"],
)


# --- probes ---------------------------------------------------------------------------


def _check_database() -> str:
    from threadline.db import reads

    reads.ping()
    return "ok"


def _check_cache() -> str:
    if not settings.REDIS_URL:
        return "local"
    from django.core.cache import cache

    key = f"tl:readyz:{os.getpid()}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not keep a value")
    return "ok"


def _check_broker() -> str:
    runner = settings.THREADLINE["JOB_RUNNER"]
    if runner != "celery":
        return runner  # "database" (jobs queued in the database) or "inline" (tests)
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
    return "ok"


def _probe(check: Callable[[], str]) -> str:
    try:
        return check()
    except Exception as exc:  # noqa: BLE001 - any failure is a failed probe
        log.warning("readiness probe %s failed: %s", check.__name__, exc)
        return "down"


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Checks nothing else, so a Redis outage restarts nothing."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 503 without the database; 200 "degraded" when Redis or the broker is down
    (reads and posts still work: cache misses, jobs queued in the database)."""
    checks = {
        "database": _probe(_check_database),
        "cache": _probe(_check_cache),
        "broker": _probe(_check_broker),
    }
    if checks["database"] == "down":
        status, code = "unavailable", 503
    elif "down" in checks.values():
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    response = JsonResponse({"status": status, "checks": checks}, status=code)
    response["Cache-Control"] = "no-store"
    return response


# --- metrics --------------------------------------------------------------------------


class DatabaseCollector(Collector):
    """Figures every process reports alike: moderation queues, decisions, broker backlog."""

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        from django.db.models import Count

        from threadline.delivery import live
        from threadline.models import Comment, CommentStatus, ModerationEvent

        queue = GaugeMetricFamily(
            "threadline_moderation_queue_length", "Comments held for review.", labels=["site"]
        )
        rows = (
            Comment.objects.filter(status=CommentStatus.PENDING)
            .values_list("site__name")
            .annotate(n=Count("id"))
        )
        for site, n in rows:
            queue.add_metric([site], n)
        yield queue
        decisions = CounterMetricFamily(
            "threadline_moderation_decisions", "Moderation decisions recorded.", labels=["action"]
        )
        for action, n in ModerationEvent.objects.values_list("action").annotate(n=Count("id")):
            decisions.add_metric([action], n)
        yield decisions
        backlog = _broker_backlog()
        if backlog is not None:
            yield GaugeMetricFamily(
                "threadline_job_queue_length", "Jobs waiting in the broker.", value=backlog
            )
        if settings.THREADLINE["JOB_RUNNER"] != "inline":
            from threadline.delivery import jobqueue

            yield GaugeMetricFamily(
                "threadline_job_database_queue_length",
                "Jobs due in the database queue, not yet taken by a worker.",
                value=jobqueue.queue_length(),
            )
        yield GaugeMetricFamily(
            "threadline_live_streams",
            "Open live streams in this process.",
            value=live.hub.streams(),
        )


def _broker_backlog() -> int | None:
    url = getattr(settings, "CELERY_BROKER_URL", "")
    if not url.startswith(("redis://", "rediss://")):
        return None
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        return int(client.llen(settings.CELERY_TASK_DEFAULT_QUEUE))
    except Exception:  # noqa: BLE001
        return None


def _may_scrape(request: HttpRequest) -> bool:
    """With THREADLINE_METRICS_TOKEN, the bearer token; without it, requests from this
    machine only (its socket peer, never X-Forwarded-For: threadline.server.clientaddr)."""
    token = settings.THREADLINE.get("METRICS_TOKEN", "")
    if token:
        given = request.headers.get("Authorization", "").encode()
        return hmac.compare_digest(given, f"Bearer {token}".encode())
    return is_local_request(request.META)


def metrics(request: HttpRequest) -> HttpResponse:
    if not _may_scrape(request):
        return JsonResponse({"error": {"code": "forbidden", "message": "Forbidden."}}, status=403)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_Forward(REGISTRY))
    registry.register(DatabaseCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


class _Forward(Collector):
    """Exposes the process-wide registry inside a per-scrape registry."""

    def __init__(self, source: CollectorRegistry) -> None:
        self.source = source

    def collect(self) -> Iterator[Any]:
        return iter(self.source.collect())


class MetricsMiddleware:
    """Counts requests and their latency per route pattern (not per URL, to keep labels few)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = (match.route if match is not None else "") or "unmatched"
        if request.path.startswith("/static/"):
            route = "static"
        LATENCY.labels(route=route).observe(time.perf_counter() - start)
        REQUESTS.labels(method=request.method, route=route, status=response.status_code).inc()
        return response


# --- logs -----------------------------------------------------------------------------


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, pid, and the exception."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)

    converter: Callable[[float | None], time.struct_time] = time.gmtime
