from django.contrib import admin
from django.urls import include, path

import threadline.api.urls  # noqa: F401  (registers the routers)
from threadline.api.base import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("moderate/", include("threadline.dashboard.urls")),
    path("", include("threadline.web.urls")),
]
