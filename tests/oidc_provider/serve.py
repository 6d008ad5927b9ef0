"""Run the test provider: ``python -m tests.oidc_provider.serve --redirect-uri URL ...``.

Creates its database (``OIDC_TEST_DB``), a signing key, the test reader and the registered
client, binds a free port on 127.0.0.1 and prints ``READY <base url>`` once it listens.
A threaded wsgiref server: a browser and Threadline's back-channel calls may overlap."""

from __future__ import annotations

import argparse
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _seed(redirect_uris: list[str]) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.contrib.auth.models import User
    from oidc_provider.models import Client, ResponseType, RSAKey

    from tests import oidc_provider as data

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    RSAKey.objects.create(key=pem)
    User.objects.create_user(
        data.USERNAME,
        email=data.EMAIL,
        password=data.PASSWORD,
        first_name=data.FIRST_NAME,
        last_name=data.LAST_NAME,
    )
    client = Client.objects.create(
        name="Threadline",
        client_type="confidential",
        client_id=data.CLIENT_ID,
        client_secret=data.CLIENT_SECRET,
        jwt_alg="RS256",
        require_consent=False,
        reuse_consent=True,
    )
    client.redirect_uris = redirect_uris
    client.scope = ["openid", "email", "profile"]
    client.save()
    client.response_types.set([ResponseType.objects.get(value="code")])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redirect-uri", action="append", default=[])
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    _seed(args.redirect_uri)
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=_Server, handler_class=_Quiet
    )
    print(f"READY http://127.0.0.1:{server.server_address[1]}", flush=True)
    # Nothing else goes to stdout: the parent stops reading it after READY.
    sys.stdout = sys.stderr
    server.serve_forever()


if __name__ == "__main__":
    main()
