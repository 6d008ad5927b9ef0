"""The ASGI entry point operators may name (``uvicorn config.asgi:application``); the
application itself is built in ``threadline.server.asgi``."""

from threadline.server.asgi import application, django_application

__all__ = ["application", "django_application"]
