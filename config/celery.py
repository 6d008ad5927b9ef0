"""The Celery app: `celery -A config worker` runs Threadline's jobs (threadline.delivery.jobs).

Settings come from Django's (``CELERY_*``); with no THREADLINE_BROKER_URL the jobs run
in-process and no worker is needed.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("threadline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(lambda: ["threadline"], related_name="jobs")
