"""The WSGI entry point operators may name (``config.wsgi:application``); the application
itself is built in ``threadline.server.wsgi``."""

from threadline.server.wsgi import application

__all__ = ["application"]
