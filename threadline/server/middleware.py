"""CORS for the JSON API: only the story's site's allowed origins get access, no cookies;
browser writes from other sites' pages are refused. Also the API's one error shape and
the Content-Security-Policy of HTML pages."""

from __future__ import annotations

from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.gzip import GZipMiddleware

from threadline import errors

# Where they were first, for their callers.
from threadline.server import origins
from threadline.server.origins import allowed_origins as allowed_origins
from threadline.server.origins import forget_origins as forget_origins


def cors_headers(origin: str) -> dict[str, str]:
    """CORS headers for an allowed origin; no credentials: the API uses bearer tokens."""
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": "GET, POST, PATCH, DELETE, OPTIONS",
        "Access-Control-Allow-Headers": (
            "Authorization, Content-Type, X-Threadline-Guest, X-Edit-Token, If-None-Match"
        ),
        "Access-Control-Expose-Headers": "ETag, Retry-After",
        "Access-Control-Max-Age": "600",
    }


class ApiCorsMiddleware:
    """CORS for the story's site's origins only (``threadline.server.origins.for_request``), and
    a 403 ``foreign_origin`` for a browser write from any other site's page. It runs around
    every API view; the fast read path asks the same
    ``threadline.server.origins`` for its CORS headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        origin = request.META.get("HTTP_ORIGIN", "")
        path = request.path_info
        page_url = request.GET.get("url") if path == origins.LOOKUP_PATH else None
        allowed = bool(origin) and origin in origins.for_request(path, page_url)
        try:
            if request.method in origins.WRITE_METHODS:
                origins.check_write(
                    method=request.method,
                    path=path,
                    meta=request.META,
                    host=_host(request),
                    page_url=page_url,
                )
        except errors.ForeignOriginError as exc:
            response: HttpResponse = JsonResponse(exc.as_dict(), status=exc.status)
        else:
            if request.method == "OPTIONS" and request.META.get(
                "HTTP_ACCESS_CONTROL_REQUEST_METHOD"
            ):
                response = HttpResponse(status=204 if allowed else 403)
            else:
                response = self.get_response(request)
        if allowed:
            for header, value in cors_headers(origin).items():
                response[header] = value
        response["Vary"] = "Origin" if "Vary" not in response else response["Vary"] + ", Origin"
        return response


def _host(request: HttpRequest) -> str:
    try:
        return request.get_host()
    except DisallowedHost:
        return ""  # CommonMiddleware answers 400 further in


class ErrorShapeMiddleware:
    """Pages answer a ThreadlineError with a readable page; the API answers every 4xx —
    even Django's own 404 and 405 — in the one JSON error shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and 400 <= response.status_code < 500
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            from django.http import JsonResponse

            codes = {404: "not_found", 405: "method_not_allowed", 403: "forbidden"}
            code = codes.get(response.status_code, "bad_request")
            shaped = JsonResponse(
                {"error": {"code": code, "message": code.replace("_", " ").capitalize() + "."}},
                status=response.status_code,
            )
            for header in ("Allow", "Access-Control-Allow-Origin", "Vary"):
                if header in response:
                    shaped[header] = response[header]
            return shaped
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        from django.shortcuts import render

        from threadline.errors import ThreadlineError

        if isinstance(exc, ThreadlineError) and not request.path.startswith("/api/"):
            return render(request, "threadline/error.html", {"error": exc}, status=exc.status)
        return None


def _is_html(response: HttpResponseBase) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


class _HtmlOnly:
    """Runs the middleware after it in the bases on HTML responses only."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not _is_html(response):
            return response
        return super().process_response(request, response)  # type: ignore[misc]


class HtmlGZipMiddleware(_HtmlOnly, GZipMiddleware):
    """Django's GZipMiddleware for the server-rendered HTML pages only (a 300-comment story
    page is ~350 KB of HTML).

    The JSON API is left alone: its thread reads gzip themselves (``threadline.server.threadcache``,
    cached per page and ETag'd), the fast read path answers before Django, and the SSE stream
    must not be buffered. Static files come gzipped from WhiteNoise.

    BREACH: these pages carry CSRF tokens and reflect the query string. Django masks the CSRF
    token afresh on every response, and its GZipMiddleware pads each response with a random
    gzip file name ("Heal the BREACH"), so the length no longer leaks a secret byte by byte.
    See docs/deploy.md."""


class ContentSecurityPolicyMiddleware(_HtmlOnly, CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY) on HTML responses only: JSON,
    feeds and files need none. Django's admin writes an inline <style> block on some pages,
    so its pages alone may use inline styles; scripts stay 'self' everywhere."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/admin/") and parts.update is None:
            parts.update = {"style-src": ["'unsafe-inline'"]}
        return parts
