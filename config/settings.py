"""Django settings for Threadline, read once from the environment (THREADLINE_*).

Every setting an operator can change is listed, commented, in ``threadline.example.env``.
The defaults run a single-process install on SQLite with no Redis and no broker.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
_env_file = environ.Path(str(BASE_DIR))("threadline.env")
if Path(_env_file).exists():
    environ.Env.read_env(_env_file)

DATA_DIR = Path(env.str("THREADLINE_DATA_DIR", default=str(BASE_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("THREADLINE_DEBUG", default=False)


def _secret_key() -> str:
    """The secret comes from the environment; a dev install keeps a generated one on disk."""
    configured = env.str("THREADLINE_SECRET_KEY", default="")
    if configured:
        return configured
    if env.bool("THREADLINE_REQUIRE_SECRET_KEY", default=False):
        raise RuntimeError("THREADLINE_SECRET_KEY must be set in production mode")
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("THREADLINE_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("THREADLINE_CSRF_TRUSTED_ORIGINS", default=[])
PUBLIC_URL = env.str("THREADLINE_PUBLIC_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "csp",
    # The database job queue (threadline.delivery.jobqueue): Django's Tasks framework and its ORM
    # backend, whose table lives in Threadline's own database.
    "django_tasks",
    "django_tasks_db",
    "threadline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML pages only (the API gzips its own thread reads); BREACH: docs/deploy.md.
    "threadline.server.middleware.HtmlGZipMiddleware",
    # After WhiteNoise: static files answer before it and carry no policy.
    "threadline.server.middleware.ContentSecurityPolicyMiddleware",
    "threadline.server.middleware.ApiCorsMiddleware",
    "threadline.server.middleware.ErrorShapeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "threadline.server.asgi.application"
WSGI_APPLICATION = "threadline.server.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env.str(
    "THREADLINE_DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'threadline.sqlite3'}"
)
_db = environ.Env.db_url_config(DATABASE_URL)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE transactions take the write lock
    # up front so concurrent writers queue on busy_timeout instead of failing to upgrade.
    _db["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # `threadline serve` runs requests on a fixed pool of threads (threadline.server.handler):
    # each keeps its connection, with its page cache, instead of opening one per request.
    _db["CONN_MAX_AGE"] = None
    # Writers queue on a lock rather than on SQLite's sleeping busy handler.
    _db["ENGINE"] = "threadline.db.sqlite3"
else:
    _db.setdefault("CONN_MAX_AGE", env.int("THREADLINE_DB_CONN_MAX_AGE", default=60))
    _db["CONN_HEALTH_CHECKS"] = True
if not _db["ENGINE"].endswith("sqlite3") and env.bool("THREADLINE_DB_POOL", default=True):
    # A per-process pool bounds the connections of the request threads, the live stream's
    # threads and in-process jobs, whatever serves the app (uvicorn, a test server).
    _db["CONN_MAX_AGE"] = 0
    _db.setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": env.int("THREADLINE_DB_POOL_SIZE", default=10),
        "timeout": 10,
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Redis, jobs ---------------------------------------------------------------
REDIS_URL = env.str("THREADLINE_REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "threadline",
            "TIMEOUT": 300,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

CELERY_BROKER_URL = env.str("THREADLINE_BROKER_URL", default="")
# Where background jobs (webhooks, e-mail, digests, re-scoring) run; never on a request
# thread (threadline.delivery.jobqueue). "database": rows in this database, run by worker threads
# of `threadline serve` or by `threadline worker`; "celery": the broker, with the database
# as the fallback while it is down; "inline": on the committing thread, for tests only.
_job_runner = env.str(
    "THREADLINE_JOB_RUNNER", default="celery" if CELERY_BROKER_URL else "database"
)
if _job_runner not in ("database", "celery", "inline"):
    raise RuntimeError(f"THREADLINE_JOB_RUNNER={_job_runner!r}: use database, celery or inline")
if _job_runner == "celery" and not CELERY_BROKER_URL:
    raise RuntimeError("THREADLINE_JOB_RUNNER=celery needs THREADLINE_BROKER_URL")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A broker that is down must not stall a request: publishing gives up within about a
# second and the job runs in-process instead (threadline.delivery.jobs.enqueue).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A job taken by a worker that died unacknowledged goes back to the queue after this many
# seconds; keep it above the longest retry backoff (810 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "visibility_timeout": env.int("THREADLINE_BROKER_VISIBILITY_TIMEOUT", default=3600),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_DEFAULT_QUEUE = "threadline"
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Auth and sessions ----------------------------------------------------------------
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True


def secure_cookies_default(public_url: str, configured: bool | None) -> bool:
    """Cookies are Secure when THREADLINE_SECURE_COOKIES says so, else when the public URL
    is https (a site served over TLS must not leak its session over plain http)."""
    if configured is not None:
        return configured
    return public_url.lower().startswith("https://")


_secure_cookies_env = env.str("THREADLINE_SECURE_COOKIES", default="").strip()
SESSION_COOKIE_SECURE = secure_cookies_default(
    PUBLIC_URL, env.bool("THREADLINE_SECURE_COOKIES") if _secure_cookies_env else None
)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HSTS is best set at the TLS-terminating proxy (docs/deploy.md); this is for installs where
# Django answers https itself. 0 (the default) sends no Strict-Transport-Security header.
SECURE_HSTS_SECONDS = env.int("THREADLINE_HSTS_SECONDS", default=0)

# --- Content-Security-Policy (django-csp) ----------------------------------------------
# Every HTML page (story pages, accounts, the desk, the admin) gets a strict policy: no
# inline script or style, nothing from other origins, no framing (as X-Frame-Options: DENY).
# The JSON API and its docs page (/api/) are excluded; responses that are not HTML get none
# (threadline.server.middleware). The admin's pages carry an inline <style> block, so the admin
# alone may use inline styles. docs/configuration.md describes the policy.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],  # as X-Frame-Options: DENY
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# --- I18N, static ---------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("THREADLINE_STATIC_ROOT", default=str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# `threadline serve` collects static files (with .gz copies) into STATIC_ROOT; finders
# (uncompressed, re-scanned) only in debug.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_MAX_AGE = 3600

# --- E-mail ---------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("THREADLINE_EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("THREADLINE_FROM_EMAIL", default="comments@localhost")

# --- Threadline behaviour -------------------------------------------------------------
THREADLINE = {
    # Rate limits: "<count>/<seconds>"; an empty string turns a limit off.
    "RATE_LIMIT_POST_IP": env.str("THREADLINE_RATE_LIMIT_POST_IP", default="30/60"),
    "RATE_LIMIT_POST_AUTHOR": env.str("THREADLINE_RATE_LIMIT_POST_AUTHOR", default="10/60"),
    "RATE_LIMIT_VOTE_IP": env.str("THREADLINE_RATE_LIMIT_VOTE_IP", default="120/60"),
    "RATE_LIMIT_AUTH_IP": env.str("THREADLINE_RATE_LIMIT_AUTH_IP", default="20/60"),
    # New stories a lookup may create, per client IP and per site (a reader opens a few new
    # pages an hour; a newsroom publishes well under a hundred).
    "RATE_LIMIT_STORY_IP": env.str("THREADLINE_RATE_LIMIT_STORY_IP", default="30/3600"),
    "RATE_LIMIT_STORY_SITE": env.str("THREADLINE_RATE_LIMIT_STORY_SITE", default="300/3600"),
    # Days a reader's API token lives unused; use in its last half extends it (sliding).
    "TOKEN_DAYS": env.int("THREADLINE_TOKEN_DAYS", default=30),
    # Stories are created on first lookup only for URLs on a site's allowed origins.
    "AUTO_CREATE_STORIES": env.bool("THREADLINE_AUTO_CREATE_STORIES", default=True),
    # Seconds a story's comment count stays in Redis for /api/v1/counts (0 turns it off;
    # without THREADLINE_REDIS_URL counts are always read from the database).
    "COUNT_CACHE_SECONDS": env.int("THREADLINE_COUNT_CACHE_SECONDS", default=60),
    # Seconds a rendered thread page stays in the per-process cache (0 turns it off).
    "THREAD_CACHE_SECONDS": env.int("THREADLINE_THREAD_CACHE_SECONDS", default=300),
    # Threads per web process running readers' requests (threadline.server.handler). The work
    # is CPU-bound Python under one GIL, so more threads mostly add contention: on SQLite 1
    # (two busy threads took 20 % fewer posts a second), on PostgreSQL 4 (they also wait on
    # the network). docs/benchmarks.md has the measurements.
    "SERVER_THREADS": env.int(
        "THREADLINE_SERVER_THREADS",
        default=1 if DATABASES["default"]["ENGINE"].endswith("sqlite3") else 4,
    ),
    # Threads per web process for the moderator desk, the admin and the staff API, beside
    # the readers' (0: they share the readers' threads).
    "STAFF_THREADS": env.int("THREADLINE_STAFF_THREADS", default=1),
    # Intra-op threads of the toxicity model's one inference at a time (overlapping posts
    # share it; 0: the machine's cores, at most 2).
    "MODEL_THREADS": env.int("THREADLINE_MODEL_THREADS", default=0),
    "MODEL_GATE": env.bool("THREADLINE_MODEL_GATE", default=True),
    # Trust X-Forwarded-For from a reverse proxy (count of proxies in front).
    "TRUSTED_PROXIES": env.int("THREADLINE_TRUSTED_PROXIES", default=0),
    # Scorers run inline on every new and edited comment (dotted paths).
    "SCORERS": [
        s
        for s in env.list(
            "THREADLINE_SCORERS",
            default=[
                "threadline.scoring.rules.BannedWordsScorer",
                "threadline.scoring.rules.SuspectWordsScorer",
                "threadline.scoring.profanity.ProfanityScorer",
                "threadline.scoring.threats.ThreatScorer",
                "threadline.scoring.threats.InsultScorer",
                "threadline.scoring.threats.GroupHateScorer",
                "threadline.scoring.rules.LinksScorer",
                "threadline.scoring.spam.SpamScorer",
                "threadline.scoring.rules.ShoutingScorer",
                "threadline.scoring.rules.DuplicateScorer",
                "threadline.scoring.rules.VelocityScorer",
                "threadline.scoring.rules.TrustScorer",
                # The transformer last: it runs only on comments the rules leave undecided.
                "threadline.scoring.semantic.SemanticScorer",
            ],
        )
        if s.strip() and s.strip() != "none"
    ],
}

# Production mode: live updates, notifications, webhooks, metrics (threadline.example.env).
THREADLINE.update(
    {
        "LIVE_HEARTBEAT_SECONDS": env.float("THREADLINE_LIVE_HEARTBEAT_SECONDS", default=15.0),
        "LIVE_MAX_SECONDS": env.float("THREADLINE_LIVE_MAX_SECONDS", default=300.0),
        "LIVE_POLL_SECONDS": env.float("THREADLINE_LIVE_POLL_SECONDS", default=2.0),
        "WEBHOOK_TIMEOUT_SECONDS": env.float("THREADLINE_WEBHOOK_TIMEOUT_SECONDS", default=5.0),
        "WEBHOOK_MAX_ATTEMPTS": env.int("THREADLINE_WEBHOOK_MAX_ATTEMPTS", default=6),
        "WEBHOOK_ALLOW_PRIVATE": env.bool("THREADLINE_WEBHOOK_ALLOW_PRIVATE", default=False),
        "DIGEST_MIN_PENDING": env.int("THREADLINE_DIGEST_MIN_PENDING", default=5),
        "DIGEST_INTERVAL_SECONDS": env.int("THREADLINE_DIGEST_INTERVAL_SECONDS", default=3600),
        "CONFIRM_LINK_MAX_AGE_DAYS": env.int("THREADLINE_CONFIRM_LINK_MAX_AGE_DAYS", default=7),
        "METRICS_TOKEN": env.str("THREADLINE_METRICS_TOKEN", default=""),
    }
)
# The database job runner (threadline.delivery.jobqueue; docs/configuration.md).
THREADLINE.update(
    {
        "JOB_RUNNER": _job_runner,
        # `threadline serve` runs worker threads beside the web server (off when
        # `threadline worker` processes do the work).
        "SERVE_WORKER": env.bool("THREADLINE_SERVE_WORKER", default=True),
        # Worker threads per `threadline serve` or `threadline worker`: a slow webhook
        # receiver holds up only the thread delivering to it.
        "WORKER_THREADS": env.int("THREADLINE_WORKER_THREADS", default=2),
        # Seconds an idle worker waits before looking for due jobs again (a job queued by
        # the same process wakes it at once).
        "WORKER_POLL_SECONDS": env.float("THREADLINE_WORKER_POLL_SECONDS", default=1.0),
        # A job running longer than this is taken for lost with its worker (kill -9) and
        # run again; jobs are idempotent. Keep it above the longest job (webhook timeout).
        "JOB_LEASE_SECONDS": env.int("THREADLINE_JOB_LEASE_SECONDS", default=600),
        # Days finished and failed job rows are kept for inspection.
        "JOB_KEEP_DAYS": env.int("THREADLINE_JOB_KEEP_DAYS", default=7),
    }
)
MIDDLEWARE.insert(0, "threadline.server.ops.MetricsMiddleware")

# Optional scorers (docs/moderation.md): heavier ones run as a job after commit; the remote
# Perspective-compatible scorer is off until THREADLINE_PERSPECTIVE_URL is set and it is
# listed in THREADLINE_SCORERS.
THREADLINE.update(
    {
        "BACKGROUND_SCORERS": [
            s.strip() for s in env.list("THREADLINE_BACKGROUND_SCORERS", default=[]) if s.strip()
        ],
        "PERSPECTIVE_URL": env.str("THREADLINE_PERSPECTIVE_URL", default=""),
        "PERSPECTIVE_KEY": env.str("THREADLINE_PERSPECTIVE_KEY", default=""),
        "PERSPECTIVE_TIMEOUT": env.float("THREADLINE_PERSPECTIVE_TIMEOUT", default=2.0),
        "PERSPECTIVE_FAIL": env.str("THREADLINE_PERSPECTIVE_FAIL", default="open"),
        "PERSPECTIVE_LANGUAGES": env.list("THREADLINE_PERSPECTIVE_LANGUAGES", default=["en"]),
    }
)
# Sign-in with an OpenID Connect provider (threadline.oidc, docs/accounts.md): off until
# THREADLINE_OIDC_ISSUER is set; the endpoints come from the issuer's discovery document.
THREADLINE.update(
    {
        "OIDC_ISSUER": env.str("THREADLINE_OIDC_ISSUER", default="").strip(),
        "OIDC_CLIENT_ID": env.str("THREADLINE_OIDC_CLIENT_ID", default=""),
        "OIDC_CLIENT_SECRET": env.str("THREADLINE_OIDC_CLIENT_SECRET", default=""),
        "OIDC_LABEL": env.str("THREADLINE_OIDC_LABEL", default=""),
        "OIDC_SCOPES": env.str("THREADLINE_OIDC_SCOPES", default="openid email profile"),
        "OIDC_SIGN_ALGO": env.str("THREADLINE_OIDC_SIGN_ALGO", default="RS256"),
        "OIDC_TIMEOUT_SECONDS": env.float("THREADLINE_OIDC_TIMEOUT_SECONDS", default=5.0),
    }
)
if THREADLINE["OIDC_ISSUER"] and not (
    THREADLINE["OIDC_CLIENT_ID"] and THREADLINE["OIDC_CLIENT_SECRET"]
):
    raise RuntimeError(
        "THREADLINE_OIDC_ISSUER needs THREADLINE_OIDC_CLIENT_ID and THREADLINE_OIDC_CLIENT_SECRET"
    )
# Passwords first; the provider's backend answers only the sign-in callback.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "threadline.oidc.OidcBackend",
]
CELERY_IMPORTS = [
    "threadline.delivery.jobs"
]  # registers every job (rescore_comment_job too) on workers

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("THREADLINE_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One INFO line per job would drown the server's own log.
        "celery.app.trace": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}
if env.str("THREADLINE_LOG_FORMAT", default="plain") == "json":
    # One JSON object per line, for log shippers (Loki, ELK, journald).
    LOGGING["formatters"]["json"] = {"()": "threadline.server.ops.JsonFormatter"}
    LOGGING["handlers"]["console"]["formatter"] = "json"
