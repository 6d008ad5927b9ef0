"""Django's request cycle on a pool of long-lived threads, under uvicorn.

Django's own ASGI handler gives every request a thread of its own (a new one, started for
the request and joined after it) and, with synchronous middleware, hops between the event
loop and that thread once per middleware. Threadline's views, middleware and ORM calls are
all synchronous, so that costs a thread start, a fresh database connection (SQLite: a new
connection, its PRAGMAs and a cold page cache) and a dozen hops per request.

``PooledHandler`` keeps the ASGI server (uvicorn: HTTP parsing, keep-alive, the live
stream's event loop) and runs each request's whole synchronous cycle — request signals,
middleware, view, response — as one call on a fixed pool of threads, as a WSGI server
would. Each pool thread keeps its database connection between requests. Streaming
responses with an asynchronous iterator (the live stream) are read on the event loop; the
live endpoint itself is routed to Django's own ASGI handler (``build_application``).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import aclosing
from typing import Any

from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers import base
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.http import FileResponse, HttpResponseBase
from django.urls import set_script_prefix

from threadline.server import clientaddr

# A thread sends at most this much of a synchronous streaming response per hop.
_BATCH_BYTES = 1 << 20

# The moderator desk, Django's admin and the operators' and moderators' API: pages that can
# take long (exports, imports, a commenter's whole history) and that readers never wait on.
STAFF_PATHS = re.compile(r"^/(?:moderate/|admin/|api/v1/(?:moderation|admin)/)")
# The live stream: an asynchronous view, served by Django's own ASGI handler.
LIVE_PATHS = re.compile(r"^/api/v1/stories/\d+/events$")


def build_application(django_application: Any, *, reader_threads: int, staff_threads: int) -> Any:
    """The ASGI application `threadline serve` runs.

    Readers' requests (threads, posts, votes, pages) run on ``reader_threads`` threads;
    staff requests (``STAFF_PATHS``) on ``staff_threads`` threads of their own, so a long
    export does not hold up readers and readers' posts do not share the GIL with a second
    busy thread of their own (on SQLite one reader thread takes the most posts a second:
    docs/benchmarks.md). ``staff_threads=0`` sends staff requests to the readers' threads.
    """
    from threadline.server.fastpath import FastThreads

    pool = ThreadPoolExecutor(max_workers=reader_threads, thread_name_prefix="threadline")
    routes: list[tuple[re.Pattern[str], Any]] = [(LIVE_PATHS, django_application)]
    if staff_threads > 0:
        staff_pool = ThreadPoolExecutor(
            max_workers=staff_threads, thread_name_prefix="threadline-staff"
        )
        routes.append((STAFF_PATHS, PooledHandler(staff_pool)))
    return FastThreads(PooledHandler(pool), pool=pool, asgi_routes=routes)


class PooledHandler(ASGIHandler):
    """An ASGI application running Django's synchronous request cycle on ``pool``."""

    def __init__(self, pool: ThreadPoolExecutor) -> None:
        base.BaseHandler.__init__(self)
        self.load_middleware(is_async=False)
        self.pool = pool
        # Every path runs settings.MIDDLEWARE, as the test client does: a second, shorter
        # chain for /api/ saved ~3 % of a post's CPU and let an API view that reads
        # request.user pass its tests and fail in production.

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        loop = asyncio.get_running_loop()
        try:
            response = await loop.run_in_executor(self.pool, self._respond, scope, body_file)
            if not response.streaming:
                await self.send_response(response, send)
                return
            try:
                await self._send_streaming(loop, response, send)
            finally:
                await loop.run_in_executor(self.pool, response.close)
        finally:
            body_file.close()

    def _respond(self, scope: dict[str, Any], body_file: Any) -> HttpResponseBase:
        """One request, start to finish, on a pool thread."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        if request is None:
            response: Any = error_response
        else:
            # One checked client address for every reader of REMOTE_ADDR (rate limits, the
            # stored IP, /metrics): threadline.server.clientaddr.
            clientaddr.settle(request.META)
            response = self.get_response(request)
        response._handler_class = self.__class__
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        if not response.streaming:
            # request_finished runs here, on the thread that used the database connection,
            # which closes it only when it is broken or past its age.
            response.close()
        return response

    async def _send_streaming(
        self, loop: asyncio.AbstractEventLoop, response: Any, send: Any
    ) -> None:
        await self.send_response_start(response, send)
        if response.is_async:
            async with aclosing(aiter(response.streaming_content)) as content:
                async for part in content:
                    await send({"type": "http.response.body", "body": part, "more_body": True})
        else:
            parts = iter(response.streaming_content)
            while True:
                batch = await loop.run_in_executor(self.pool, _next_parts, parts)
                if not batch:
                    break
                await send({"type": "http.response.body", "body": batch, "more_body": True})
        await send({"type": "http.response.body"})

    async def send_response_start(self, response: Any, send: Any) -> None:
        headers = []
        for header, value in response.items():
            headers.append(
                (
                    header.encode("ascii") if isinstance(header, str) else bytes(header),
                    value.encode("latin1") if isinstance(value, str) else bytes(value),
                )
            )
        for cookie in response.cookies.values():
            headers.append((b"Set-Cookie", cookie.output(header="").encode("ascii").strip()))
        await send(
            {"type": "http.response.start", "status": response.status_code, "headers": headers}
        )


def _next_parts(parts: Iterator[bytes]) -> bytes:
    """Read up to ``_BATCH_BYTES`` of a synchronous iterator (on a pool thread)."""
    out: list[bytes] = []
    size = 0
    for part in parts:
        out.append(part)
        size += len(part)
        if size >= _BATCH_BYTES:
            break
    return b"".join(out)
