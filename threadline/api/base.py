"""The NinjaAPI object, its JSON parser and the one handler that shapes every error."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from threadline import errors
from threadline.actions.accounts import token_session
from threadline.domain.identity import Actor
from threadline.server.clientaddr import client_ip

log = logging.getLogger(__name__)


class StrictJsonParser(Parser):
    """JSON bodies only, as UTF-8; anything else is a 4xx with a stable code."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if request.body and content_type != "application/json":
            raise errors.UnsupportedMediaTypeError()
        if not request.body:
            return {}
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise errors.InvalidUnicodeError("The request body is not valid UTF-8.") from exc
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise errors.InvalidJsonError() from exc
        if not isinstance(data, dict):
            raise errors.InvalidJsonError("The request body must be a JSON object.")
        # "\ud800" escapes decode to lone surrogates, which are not Unicode text. The text
        # itself is valid UTF-8, so only a \u escape can bring one in: look only then.
        if "\\u" in text:
            try:
                json.dumps(data, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError as exc:
                raise errors.InvalidUnicodeError("The request contains invalid Unicode.") from exc
        return data


api = NinjaAPI(
    title="Threadline API",
    version="1",
    description="Threaded comments: the contract the widget, the moderator desk, importers "
    'and outside scripts share. Errors are `{"error": {"code", "message", "field"?}}`.',
    urls_namespace="api-v1",
    parser=StrictJsonParser(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error_response(exc: errors.ThreadlineError) -> JsonResponse:
    response = JsonResponse(exc.as_dict(), status=exc.status)
    if isinstance(exc, errors.RateLimitedError):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(errors.ThreadlineError)
def _threadline_error(request: HttpRequest, exc: errors.ThreadlineError) -> HttpResponse:
    return error_response(exc)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    loc = [str(p) for p in first.get("loc", ())]
    # ninja prefixes the location ("body", "payload"); the field is what follows.
    while len(loc) > 1 and loc[0] in ("body", "payload", "query", "path", "header"):
        loc = loc[1:]
    field = loc[-1] if loc else None
    kind = first.get("type", "")
    message = first.get("msg", "Invalid input.")
    if kind == "missing":
        message = "This field is required."
    elif kind == "extra_forbidden":
        message = "Unknown field."
    err = errors.ValidationError(f"{field}: {message}" if field else message, field=field)
    return error_response(err)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(errors.NotAuthenticatedError())


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, errors.ThreadlineError):  # raised by StrictJsonParser
        return error_response(exc.__cause__)
    err = errors.ThreadlineError(str(exc))
    err.status, err.code = exc.status_code, "http_error"
    return error_response(err)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(errors.NotFoundError())


def bearer_token(request: HttpRequest) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def actor_for(request: HttpRequest) -> Actor:
    """The reader behind an API request. Writes authenticate by bearer token only, so the
    API needs no CSRF protection; a bad or expired token is an error rather than a silent
    guest."""
    token = bearer_token(request)
    # An unknown, revoked or expired token raises (401 invalid_token).
    user = token_session(token=token).user if token else None
    guest_key = request.META.get("HTTP_X_THREADLINE_GUEST", "")[:100]
    return Actor(
        user=user,
        guest_key=guest_key,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )
