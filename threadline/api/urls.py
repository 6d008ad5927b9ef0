from threadline.api import auth, public
from threadline.api.base import api

api.add_router("/", public.router)
api.add_router("/auth", auth.router)
