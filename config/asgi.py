import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_asgi_application()

from threadline.fastpath import FastThreads  # noqa: E402  (needs Django set up)

application = FastThreads(django_application)
