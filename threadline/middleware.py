"""CORS for the JSON API: only the allowed origins of the sites get access, no cookies."""

from __future__ import annotations

import time
from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponse, HttpResponseBase

_ORIGINS: tuple[float, frozenset[str]] = (0.0, frozenset())
_TTL = 10.0


def allowed_origins() -> frozenset[str]:
    """Every site's allowed origins, re-read at most every few seconds per process."""
    global _ORIGINS
    stamp, origins = _ORIGINS
    if time.monotonic() - stamp > _TTL:
        from threadline.models import Site

        found: set[str] = set()
        for values in Site.objects.values_list("allowed_origins", flat=True):
            found.update(values or [])
        _ORIGINS = (time.monotonic(), frozenset(found))
        origins = _ORIGINS[1]
    return origins


def forget_origins() -> None:
    global _ORIGINS
    _ORIGINS = (0.0, frozenset())


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
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        origin = request.META.get("HTTP_ORIGIN", "")
        allowed = bool(origin) and origin in allowed_origins()
        if request.method == "OPTIONS" and request.META.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD"):
            response = HttpResponse(status=204 if allowed else 403)
        else:
            response = self.get_response(request)
        if allowed:
            for header, value in cors_headers(origin).items():
                response[header] = value
        response["Vary"] = "Origin" if "Vary" not in response else response["Vary"] + ", Origin"
        return response


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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY) on HTML responses only: JSON,
    feeds and files need none. Django's admin writes an inline <style> block on some pages,
    so its pages alone may use inline styles; scripts stay 'self' everywhere."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/admin/") and parts.update is None:
            parts.update = {"style-src": ["'unsafe-inline'"]}
        return parts
