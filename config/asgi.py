import os
import warnings

from django.core.asgi import get_asgi_application

# WhiteNoise hands static files to Django as file iterators; under ASGI Django reads them in
# a thread and warns about each one. The files are small and compressed: the warning is noise.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous")

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_asgi_application()

from threadline.fastpath import FastThreads  # noqa: E402  (needs Django set up)

application = FastThreads(django_application)
