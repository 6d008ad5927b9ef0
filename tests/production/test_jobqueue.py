"""The database job runner: jobs are rows, run by a worker, never on a request's thread;
retries are rows too, due after the backoff, so they outlive a restart."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from celery.exceptions import Retry
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.production import servers
from tests.production.conftest import Receiver
from threadline.actions.webhooks import webhook_create
from threadline.delivery import jobqueue
from threadline.delivery.jobqueue import BackgroundWorker, RetryLater, job
from threadline.models import DeliveryStatus, WebhookDelivery

WEBHOOK_JOB = "threadline.jobs.webhook_deliver_job"  # the name it has always been queued under
pytestmark = pytest.mark.usefixtures("private_webhooks")


@pytest.fixture
def database_runner(settings: Any) -> None:
    settings.THREADLINE = {**settings.THREADLINE, "JOB_RUNNER": "database"}


def _queued(name: str = WEBHOOK_JOB) -> list[DBTaskResult]:
    rows = DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("enqueued_at")
    return [r for r in rows if r.args_kwargs["args"][0] == name]


def _post(api: Any, story: Any, body: str) -> tuple[int, float]:
    started = time.monotonic()
    r = api.post(f"/stories/{story.pk}/comments", {"body": body, "author_name": "Al"})
    return r.status_code, time.monotonic() - started


def _fast_forward() -> None:
    """As if the backoff had passed: every queued job is due now."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_a_post_queues_its_webhook_and_the_worker_delivers_it(
    api, story, receiver: Receiver, database_runner
) -> None:
    webhook_create(site=story.site, url=receiver.url)
    status, _ = _post(api, story, "Queued, not sent")
    assert status == 201
    assert receiver.requests == []  # nothing ran on the request's thread
    [row] = _queued()
    assert row.task_path == "threadline.delivery.jobqueue.run_job"
    assert BackgroundWorker(interval=0).run_due() == 1
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED
    row.refresh_from_db()
    assert (row.status, row.return_value) == (TaskResultStatus.SUCCESSFUL, "delivered")


@pytest.mark.django_db(transaction=True)
def test_a_row_queued_before_the_move_to_delivery_still_runs(
    api, story, receiver: Receiver, database_runner
) -> None:
    """Rows written before the queue moved to ``threadline.delivery`` name the old paths;
    the jobs keep the names they were queued under."""
    from threadline.delivery.jobs import webhook_deliver_job

    assert webhook_deliver_job.name == WEBHOOK_JOB
    webhook_create(site=story.site, url=receiver.url)
    assert _post(api, story, "Queued before the move")[0] == 201
    assert DBTaskResult.objects.update(task_path="threadline.jobqueue.run_job") == 1
    assert BackgroundWorker(interval=0).run_due() == 1
    assert len(receiver.requests) == 1
    assert import_string("threadline.jobqueue.RetryLater") is RetryLater


@pytest.mark.django_db(transaction=True)
def test_a_job_is_queued_only_when_its_transaction_commits(story, database_runner) -> None:
    from threadline.delivery.jobs import enqueue, webhook_deliver_job

    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(webhook_deliver_job, 1)
        raise RuntimeError("rolled back")
    assert _queued() == []
    with transaction.atomic():
        enqueue(webhook_deliver_job, 1)
        assert _queued() == []
    assert len(_queued()) == 1


@pytest.mark.django_db(transaction=True)
def test_a_receiver_that_is_down_gets_its_retries_with_backoff_then_the_delivery(
    api, story, database_runner
) -> None:
    port = servers.free_port()  # nothing listens there yet
    webhook_create(site=story.site, url=f"http://127.0.0.1:{port}/hook")
    assert _post(api, story, "Anyone there?")[0] == 201
    worker = BackgroundWorker(interval=0)
    before = timezone.now()
    assert worker.run_due() == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    [retry] = _queued()  # the retry is a row of its own, due after backoff_seconds(0)
    assert retry.args_kwargs["args"][2] == 1
    assert timedelta(seconds=10) <= retry.run_after - before <= timedelta(seconds=13)
    assert worker.run_due() == 0  # not due yet
    with Receiver(port=port) as receiver:
        _fast_forward()
        assert worker.run_due() == 1
        assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)
    assert _queued() == []


@pytest.mark.django_db(transaction=True)
def test_retries_stop_when_the_delivery_is_out_of_attempts(
    api, story, settings, database_runner
) -> None:
    settings.THREADLINE = {**settings.THREADLINE, "WEBHOOK_MAX_ATTEMPTS": 2}
    webhook_create(site=story.site, url=f"http://127.0.0.1:{servers.free_port()}/hook")
    assert _post(api, story, "Nobody listens")[0] == 201
    worker = BackgroundWorker(interval=0)
    assert worker.run_due() == 1
    _fast_forward()
    assert worker.run_due() == 1
    assert _queued() == []
    assert WebhookDelivery.objects.get().attempts == 2


@job(max_retries=1)
def always_busy_job(n: int) -> str:
    raise RetryLater("busy")


@pytest.mark.django_db(transaction=True)
def test_a_job_past_its_max_retries_is_marked_failed_with_its_traceback(database_runner) -> None:
    jobqueue.schedule(always_busy_job.name, (7,))
    worker = BackgroundWorker(interval=0)
    assert worker.run_due() == 1
    _fast_forward()
    assert worker.run_due() == 1
    assert _queued(always_busy_job.name) == []
    last = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert last is not None and last.status == TaskResultStatus.FAILED
    assert last.exception_class_path == "threadline.delivery.jobqueue.RetryLater"
    assert "busy" in last.traceback


def test_jobs_run_inline_in_tests_and_a_retry_request_is_only_logged(caplog) -> None:
    assert jobqueue.run_inline(always_busy_job.name, (1,)) is None
    assert "asked for a retry (busy)" in caplog.text
    assert always_busy_job.apply(args=[1]).get() == "busy"  # Celery's eager run


def test_with_celery_a_retry_request_becomes_a_celery_retry_after_the_backoff(
    monkeypatch,
) -> None:
    asked: dict[str, Any] = {}

    def retry(*, exc: Exception, countdown: int) -> Exception:
        asked.update(exc=exc, countdown=countdown)
        return Retry()

    monkeypatch.setattr(always_busy_job, "retry", retry)
    always_busy_job.push_request(retries=2, is_eager=False, called_directly=False)
    try:
        with pytest.raises(Retry):
            always_busy_job.run(1)
    finally:
        always_busy_job.pop_request()
    assert isinstance(asked["exc"], RetryLater)
    assert 90 <= asked["countdown"] <= 108  # backoff_seconds(2)


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_died_is_run_again_after_its_lease(settings, database_runner) -> None:
    settings.THREADLINE = {**settings.THREADLINE, "JOB_LEASE_SECONDS": 60}
    jobqueue.schedule(WEBHOOK_JOB, (12345,))
    row = DBTaskResult.objects.get()
    row.claim("a-worker-that-was-killed")
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - timedelta(hours=1))
    worker = BackgroundWorker(interval=0)
    worker.upkeep()
    assert worker.run_due() == 1
    row.refresh_from_db()
    assert (row.status, row.return_value) == (TaskResultStatus.SUCCESSFUL, "skipped")


@pytest.mark.django_db(transaction=True)
def test_finished_rows_are_pruned_after_the_keep_days(database_runner) -> None:
    for n in (1, 2):
        jobqueue.schedule(WEBHOOK_JOB, (n,))
    assert BackgroundWorker(interval=0).run_due() == 2
    old = DBTaskResult.objects.order_by("enqueued_at").first()
    assert old is not None
    DBTaskResult.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=8))
    assert jobqueue.prune(keep_days=7) == 1
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_thread_starts_a_job_queued_in_its_process_at_once(
    story, receiver: Receiver, database_runner
) -> None:
    from tests.factories import post_comment
    from threadline.actions.webhooks import webhook_deliveries_create
    from threadline.delivery.jobs import enqueue, webhook_deliver_job

    webhook_create(site=story.site, url=receiver.url)
    comment = post_comment(story, "Wake up").comment  # no on_commit here: queue by hand
    [delivery_id] = webhook_deliveries_create(comment_id=comment.pk, event="comment.posted")
    worker = BackgroundWorker(interval=60).start()  # would not poll again within the test
    try:
        time.sleep(0.2)  # idle, waiting
        enqueue(webhook_deliver_job, delivery_id)
        deadline = time.monotonic() + 5
        while not receiver.requests:
            assert time.monotonic() < deadline, "the worker thread did not wake up"
            time.sleep(0.02)
    finally:
        worker.stop(wait=5)
    assert worker.thread is not None and not worker.thread.is_alive()


# --- the embedded server, as an operator runs it ------------------------------------------


def _server_env(tmp_path: Any, **extra: str) -> dict[str, str]:
    db = servers.Database(tmp_path)
    env = servers.base_env(tmp_path, db.url, THREADLINE_WEBHOOK_ALLOW_PRIVATE="true", **extra)
    servers.manage(env, "migrate", "--noinput", "-v0")
    return env


def _timed(method: str, url: str, data: Any = None) -> tuple[int, float]:
    started = time.monotonic()
    status, _ = servers.request(method, url, data)
    return status, time.monotonic() - started


@pytest.mark.slow
def test_a_receiver_that_sleeps_10_s_does_not_slow_posts_or_reads(tmp_path) -> None:
    env = _server_env(tmp_path)
    info = servers.seed(env, comments=3)
    port = servers.free_port()
    web = servers.web(env, port, tmp_path / "web.log")
    base = f"http://127.0.0.1:{port}"
    thread_url = f"{base}/api/v1/stories/{info['story']}/comments"
    try:
        servers.wait_http(base + "/healthz")
        baseline = [
            _timed("POST", thread_url, {"body": f"Before {i}", "author_name": "Al"})
            for i in range(3)
        ]
        assert all(status == 201 for status, _ in baseline)
        with Receiver(delay=10) as receiver:
            servers.manage(env, "webhook", "add", "--site", info["site"], "--url", receiver.url)
            slow = [
                _timed("POST", thread_url, {"body": f"During {i}", "author_name": "Al"})
                for i in range(3)
            ]
            deadline = time.monotonic() + 10
            while not receiver.requests:  # serve's worker thread has taken the first one
                assert time.monotonic() < deadline, (tmp_path / "web.log").read_text()
                time.sleep(0.05)
            # A delivery is in flight (the receiver answers in 10 s): the site does not wait.
            slow.append(_timed("POST", thread_url, {"body": "In flight", "author_name": "Al"}))
            read_status, read_in = _timed("GET", thread_url)
            assert read_status == 200
            assert all(status == 201 for status, _ in slow)
            # In-line, each post took as long as the receiver (up to the 5 s webhook timeout).
            assert max(s for _, s in slow) < 2, (baseline, slow)
            assert read_in < 2
    finally:
        web.stop()


STATE = """
import json
from django_tasks_db.models import DBTaskResult
from threadline.models import WebhookDelivery
d = WebhookDelivery.objects.get()
rows = [(r.args_kwargs["args"][2], (r.run_after - r.enqueued_at).total_seconds())
        for r in DBTaskResult.objects.filter(status="READY")]
print(json.dumps({"delivery": [d.status, d.attempts], "ready": rows}))
"""


def _state(env: dict[str, str]) -> dict[str, Any]:
    import json

    return json.loads(servers.manage(env, "shell", "-c", STATE).strip().splitlines()[-1])


@pytest.mark.slow
def test_a_queued_job_and_its_retries_survive_restarts(tmp_path) -> None:
    # The web server queues the job and stops before any worker runs it.
    env = _server_env(tmp_path, THREADLINE_SERVE_WORKER="false")
    info = servers.seed(env)
    hook_port = servers.free_port()  # the receiver is down
    servers.manage(
        env, "webhook", "add", "--site", info["site"], "--url", f"http://127.0.0.1:{hook_port}/h"
    )
    port = servers.free_port()
    web = servers.web(env, port, tmp_path / "web.log")
    try:
        servers.wait_http(f"http://127.0.0.1:{port}/healthz")
        status, _ = servers.request(
            "POST",
            f"http://127.0.0.1:{port}/api/v1/stories/{info['story']}/comments",
            {"body": "Kept across restarts", "author_name": "Al"},
        )
        assert status == 201
    finally:
        web.stop()
    # A worker process tries once, finds the receiver down, queues the retry and exits.
    assert "1 jobs run" in servers.manage(env, "worker", "--batch")
    state = _state(env)
    assert state["delivery"] == ["failed", 1]
    [(attempt, backoff)] = state["ready"]
    # backoff_seconds(0): 10 s and up to a fifth more, counted from a moment just before
    # the row is stamped as enqueued (so a hair under 10 s here)
    assert attempt == 1 and 9.9 <= backoff <= 12.5
    # The receiver comes up; a new worker delivers the retry once its backoff has passed.
    with Receiver(port=hook_port) as receiver:
        worker = servers.Proc(
            [servers.PYTHON, "manage.py", "worker", "--interval", "0.5"],
            env,
            tmp_path / "worker.log",
        ).start()
        try:
            deadline = time.monotonic() + 25
            while not receiver.requests:
                assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
                time.sleep(0.2)
        finally:
            worker.stop()
        assert worker.popen is not None and worker.popen.returncode == 0
    assert len(receiver.requests) == 1
    assert _state(env) == {"delivery": ["delivered", 2], "ready": []}
