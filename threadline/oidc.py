"""Sign-in with an OpenID Connect provider (THREADLINE_OIDC_*), through mozilla-django-oidc.

The library runs the authorization-code flow (state, nonce, PKCE), exchanges the code and
checks the ID token's signature against the provider's keys. This module feeds it its
settings at call time instead of from Django settings at import time: the endpoints come
from the issuer's discovery document (``/.well-known/openid-configuration``), read on first
use and kept for an hour, so an operator configures an issuer, a client id and a secret and
nothing else. On top of the library it checks what the library leaves out: the ID token's
issuer and audience, and that the userinfo answer is about the same ``sub``. It matches
nobody by e-mail (the library's default): ``actions.oidc.oidc_sign_in`` makes and finds the
account of (issuer, ``sub``). docs/accounts.md has the operator's side.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from threadline import errors
from threadline.actions.oidc import oidc_sign_in

logger = logging.getLogger(__name__)

# How long a provider's discovery document (its endpoints) is kept before it is read again.
DISCOVERY_SECONDS = 3600
CALLBACK_URL_NAME = "web:oidc-callback"


@dataclass(frozen=True)
class OidcConfig:
    """The operator's provider, from ``settings.THREADLINE["OIDC_*"]``."""

    issuer: str
    client_id: str
    client_secret: str
    label: str
    scopes: str
    sign_algo: str
    timeout: float


@dataclass(frozen=True)
class Endpoints:
    """What the provider's discovery document says; ``userinfo`` may be "" (then the ID
    token's claims are all there is)."""

    authorization: str
    token: str
    userinfo: str
    jwks: str
    basic_auth: bool


def oidc_config() -> OidcConfig | None:
    """The configured provider, or None when sign-in with one is off (no issuer). Read at
    call time, so tests and a reload see the current settings."""
    conf = settings.THREADLINE
    issuer = str(conf.get("OIDC_ISSUER", "")).strip()
    if not issuer:
        return None
    return OidcConfig(
        issuer=issuer,
        client_id=conf.get("OIDC_CLIENT_ID", ""),
        client_secret=conf.get("OIDC_CLIENT_SECRET", ""),
        label=conf.get("OIDC_LABEL", "") or urlsplit(issuer).hostname or issuer,
        scopes=conf.get("OIDC_SCOPES", "") or "openid email profile",
        sign_algo=conf.get("OIDC_SIGN_ALGO", "") or "RS256",
        timeout=float(conf.get("OIDC_TIMEOUT_SECONDS", 5.0)),
    )


def url_is_secure(url: str) -> bool:
    """https, or plain http to this machine's loopback (a provider in development or in
    the tests). Anything else would carry codes and tokens in the clear."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


# --- discovery -------------------------------------------------------------------------

_discovered: dict[str, tuple[float, Endpoints]] = {}
_discovered_lock = threading.Lock()


def forget_discovery() -> None:
    """Read the discovery document again on next use (tests; a provider that moved)."""
    with _discovered_lock:
        _discovered.clear()


def provider_endpoints(config: OidcConfig) -> Endpoints:
    """The provider's endpoints, from its discovery document (kept ``DISCOVERY_SECONDS``);
    ``OidcUnavailableError`` when it cannot be read or does not belong to the issuer."""
    with _discovered_lock:
        hit = _discovered.get(config.issuer)
    if hit and time.monotonic() - hit[0] < DISCOVERY_SECONDS:
        return hit[1]
    endpoints = _discover(config)
    with _discovered_lock:
        _discovered[config.issuer] = (time.monotonic(), endpoints)
    return endpoints


def _discover(config: OidcConfig) -> Endpoints:
    url = config.issuer.rstrip("/") + "/.well-known/openid-configuration"
    if not url_is_secure(url):
        logger.error("THREADLINE_OIDC_ISSUER must be an https URL (http only on loopback)")
        raise errors.OidcUnavailableError()
    try:
        response = requests.get(url, timeout=config.timeout, allow_redirects=False)
        response.raise_for_status()
        doc = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning("OpenID Connect discovery at %s failed: %s", url, exc)
        raise errors.OidcUnavailableError() from exc
    # The document must be the issuer's own (OpenID Connect Discovery 1.0, 4.3).
    if not isinstance(doc, dict) or str(doc.get("issuer", "")).rstrip("/") != config.issuer.rstrip(
        "/"
    ):
        logger.warning("OpenID Connect discovery at %s names another issuer", url)
        raise errors.OidcUnavailableError()
    found = {
        key: doc.get(key)
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint")
    }
    for key, value in found.items():
        required = key != "userinfo_endpoint"
        if (value or required) and not (isinstance(value, str) and url_is_secure(value)):
            logger.warning("OpenID Connect discovery at %s: no usable %s", url, key)
            raise errors.OidcUnavailableError()
    # client_secret_basic is the default when the provider lists no methods.
    methods = doc.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    return Endpoints(
        authorization=str(found["authorization_endpoint"]),
        token=str(found["token_endpoint"]),
        userinfo=str(found["userinfo_endpoint"] or ""),
        jwks=str(found["jwks_uri"]),
        basic_auth="client_secret_basic" in methods or "client_secret_post" not in methods,
    )


# --- mozilla-django-oidc's settings ----------------------------------------------------


def library_setting(attr: str, *default: Any) -> Any:
    """What mozilla-django-oidc asks ``get_settings`` for, from THREADLINE_OIDC_* and the
    discovery document; anything else from Django's settings, as the library would."""
    config = oidc_config()
    if config is None:
        raise errors.OidcNotConfiguredError()
    fixed: dict[str, Any] = {
        "OIDC_RP_CLIENT_ID": config.client_id,
        "OIDC_RP_CLIENT_SECRET": config.client_secret,
        "OIDC_RP_SIGN_ALGO": config.sign_algo,
        "OIDC_RP_SCOPES": config.scopes,
        "OIDC_TIMEOUT": config.timeout,
        "OIDC_AUTHENTICATION_CALLBACK_URL": CALLBACK_URL_NAME,
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": True,
        "OIDC_ALLOW_UNSECURED_JWT": False,
        "OIDC_VERIFY_SSL": True,
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_STORE_ID_TOKEN": False,
        "OIDC_RP_IDP_SIGN_KEY": None,
    }
    if attr in fixed:
        return fixed[attr]
    if attr.startswith("OIDC_OP_") or attr == "OIDC_TOKEN_USE_BASIC_AUTH":
        endpoints = provider_endpoints(config)
        return {
            "OIDC_OP_AUTHORIZATION_ENDPOINT": endpoints.authorization,
            "OIDC_OP_TOKEN_ENDPOINT": endpoints.token,
            "OIDC_OP_USER_ENDPOINT": endpoints.userinfo,
            "OIDC_OP_JWKS_ENDPOINT": endpoints.jwks,
            "OIDC_TOKEN_USE_BASIC_AUTH": endpoints.basic_auth,
        }.get(attr, *default)
    return import_from_settings(attr, *default)


class OidcSettings:
    """Mixed into the library's views and backend: every setting through ``library_setting``."""

    def get_settings(self, attr: str, *default: Any) -> Any:
        return library_setting(attr, *default)


# --- the authentication backend ---------------------------------------------------------

_FAILURE = "_threadline_oidc_error"


def sign_in_failure(request: HttpRequest) -> errors.ThreadlineError | None:
    """Why the provider's reader was refused on this request, when the reason is theirs to
    know (no name, a disabled account); None for protocol failures, which are logged."""
    return getattr(request, _FAILURE, None)


def check_id_token(claims: Mapping[str, Any], config: OidcConfig) -> None:
    """The checks of OpenID Connect Core 3.1.3.7 that the library skips: the token was issued
    by our provider, to us, and expires. ``SuspiciousOperation`` otherwise."""
    if str(claims.get("iss", "")).rstrip("/") != config.issuer.rstrip("/"):
        raise SuspiciousOperation("ID token from another issuer")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if config.client_id not in audiences:
        raise SuspiciousOperation("ID token for another client")
    if len(audiences) > 1 and claims.get("azp") != config.client_id:
        raise SuspiciousOperation("ID token authorized for another client")
    if "exp" not in claims:  # PyJWT checks exp only when it is there
        raise SuspiciousOperation("ID token without exp")


class OidcBackend(OidcSettings, OIDCAuthenticationBackend):
    """Signs in the reader the provider vouches for, on the callback of the code flow only.

    Django makes a backend for every ``authenticate()`` call, password sign-ins included,
    and the library reads its settings on construction, so they are read here only once
    the callback asks (with a ``nonce``) and sign-in with a provider is on."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if request is None or "nonce" not in kwargs or oidc_config() is None:
            return None
        try:
            super().__init__()
            return super().authenticate(request, **kwargs)
        except errors.ThreadlineError as exc:
            logger.warning("OpenID Connect sign-in refused: %s", exc.code)
            setattr(request, _FAILURE, exc)
        except (requests.RequestException, jwt.PyJWTError, SuspiciousOperation, KeyError) as exc:
            logger.warning("OpenID Connect sign-in failed: %s: %s", type(exc).__name__, exc)
        return None

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        if not self.OIDC_OP_USER_ENDPOINT:  # a provider without one: the ID token says all
            return dict(payload)
        return super().get_userinfo(access_token, id_token, payload)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        config = oidc_config()
        assert config is not None  # authenticate() returned early otherwise
        check_id_token(payload, config)
        info = self.get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: the userinfo answer must be about the same reader.
        if not isinstance(info, dict) or info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo about another subject")
        return oidc_sign_in(issuer=config.issuer, claims={**payload, **info})

    def get_user(self, user_id: int) -> Any:
        # Django's own check (active accounts only), not the library's bare lookup.
        return ModelBackend.get_user(self, user_id)
