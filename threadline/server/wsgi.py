"""The WSGI application (``WSGI_APPLICATION``): Django's own, for WSGI servers and
`manage.py runserver`; `threadline serve` runs ``threadline.server.asgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
