from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

import threadline.api.urls  # noqa: F401  (registers the routers)
from threadline.api import notifications as notification_links
from threadline.api.base import api
from threadline.delivery import feeds
from threadline.server import ops

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.metrics, name="metrics"),
    path("feeds/stories/<int:story_id>.atom", feeds.StoryCommentsFeed(), name="feed-story"),
    path("feeds/sites/<slug:site>.atom", feeds.SiteCommentsFeed(), name="feed-site"),
    path(
        "notifications/confirm/<str:token>/",
        notification_links.confirm_link,
        name="subscription-confirm",
    ),
    path(
        "notifications/unsubscribe/<str:token>/",
        notification_links.unsubscribe_link,
        name="subscription-unsubscribe",
    ),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("moderate/", include("threadline.dashboard.urls")),
    path("", include("threadline.web.urls")),
]
