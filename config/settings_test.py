"""Test settings: SQLite by default, PostgreSQL when THREADLINE_TEST_POSTGRES_URL is set."""

import os

os.environ.setdefault(
    "THREADLINE_DATA_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test")
)
if os.environ.get("THREADLINE_TEST_DB") == "postgres" and os.environ.get(
    "THREADLINE_TEST_POSTGRES_URL"
):
    os.environ["THREADLINE_DATABASE_URL"] = os.environ["THREADLINE_TEST_POSTGRES_URL"]
else:
    os.environ["THREADLINE_DATABASE_URL"] = "sqlite:///" + os.path.abspath(
        os.path.join(os.environ["THREADLINE_DATA_DIR"], "test.sqlite3")
    )
os.environ.setdefault("THREADLINE_REDIS_URL", "")

from config.settings import *  # noqa: E402,F403
from config.settings import DATABASES, THREADLINE  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
THREADLINE["THREAD_CACHE_SECONDS"] = 300
# Jobs run eagerly on the committing thread, so every test covers the job path; the tests
# of the database runner switch it back (tests/production/test_jobqueue.py).
THREADLINE["JOB_RUNNER"] = "inline"
# One test database per process, so parallel runs (xdist, several checkouts) never collide.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(os.environ["THREADLINE_DATA_DIR"], f"pytest-{os.getpid()}.sqlite3")
    }
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_threadline_{os.getpid()}"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
