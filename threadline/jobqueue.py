"""Kept for rows queued before the job queue moved to ``threadline.delivery.jobqueue``.

django-tasks-db stores each queued job's task by dotted path (``task_path``) and, for a
failure, its exception's (``exception_class_path``); rows written before the move name
``threadline.jobqueue.run_job`` and ``threadline.jobqueue.RetryLater``, and a worker imports
those paths to run or show them. New rows name ``threadline.delivery.jobqueue``. Import
nothing else from here.
"""

from threadline.delivery.jobqueue import RetryLater, run_job

__all__ = ["RetryLater", "run_job"]
