"""What a test module needs to sign readers in through the test provider: the provider
running for the live server's callback, and Threadline configured for it. Each module wraps
these in its own small fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests import oidc_provider as data
from tests.oidc_provider.runner import Provider, start_provider

CALLBACK = "/accounts/oidc/callback/"
LABEL = "Test Provider"


def provider_for(live_server: Any, tmp: pytest.TempPathFactory) -> Iterator[Provider]:
    """A provider whose client is registered with the live server's callback URL."""
    with start_provider(tmp.mktemp("oidc-provider"), [live_server.url + CALLBACK]) as running:
        yield running


def configure(provider: Provider, settings: Any) -> Iterator[Provider]:
    """Threadline set up for ``provider``, as an operator would through THREADLINE_OIDC_*;
    the live server runs in the test's process, so pytest-django's ``settings`` reaches it.
    Rate limits are off: every request comes from 127.0.0.1."""
    from threadline.oidc import forget_discovery

    settings.THREADLINE = {
        **settings.THREADLINE,
        "OIDC_ISSUER": provider.issuer,
        "OIDC_CLIENT_ID": data.CLIENT_ID,
        "OIDC_CLIENT_SECRET": data.CLIENT_SECRET,
        "OIDC_LABEL": LABEL,
        "RATE_LIMIT_AUTH_IP": "",
        "RATE_LIMIT_POST_IP": "",
        "RATE_LIMIT_POST_AUTHOR": "",
    }
    forget_discovery()
    yield provider
    forget_discovery()
