"""A real OpenID Connect provider for the tests: a tiny Django project (settings, urls)
using django-oidc-provider, started on a free loopback port by ``runner.start_provider``.
The reader and the client registered there are below."""

CLIENT_ID = "threadline-test"
CLIENT_SECRET = "threadline-test-secret"  # noqa: S105
USERNAME = "amira"
PASSWORD = "provider password 1"  # noqa: S105
FIRST_NAME = "Amira"
LAST_NAME = "Haddad"
EMAIL = "amira@provider.example"
