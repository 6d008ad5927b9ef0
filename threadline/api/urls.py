"""Mounts every router on the one NinjaAPI (public, accounts, moderation, live, readers,
admin)."""

from threadline.api import (
    auth,
    datarights,
    live,
    moderation,
    notifications,
    operators,
    public,
    readers,
)
from threadline.api.base import api

api.add_router("/", public.router)
api.add_router("/auth", auth.router)
api.add_router("/moderation", moderation.router)
api.add_router("/", live.router)
api.add_router("/", notifications.router)
api.add_router("/", readers.router)
api.add_router("/admin", operators.router)
api.add_router("/", datarights.router)
