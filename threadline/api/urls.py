from threadline.api import auth, moderation, public
from threadline.api.base import api

api.add_router("/", public.router)
api.add_router("/auth", auth.router)
api.add_router("/moderation", moderation.router)
from threadline.api import live, notifications  # noqa: E402

api.add_router("/", live.router)
api.add_router("/", notifications.router)
