from django.urls import path

from threadline.dashboard import commenters, site_settings, stories, views

app_name = "desk"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("counts/", views.counts, name="counts"),
    path("bulk/", views.bulk, name="bulk"),
    path("comments/<int:comment_id>/", views.comment_detail, name="comment"),
    path("comments/<int:comment_id>/approve/", views.comment_approve_view, name="approve"),
    path("comments/<int:comment_id>/reject/", views.comment_reject_view, name="reject"),
    path("comments/<int:comment_id>/feature/", views.comment_feature_view, name="feature"),
    path("comments/<int:comment_id>/pin/", views.comment_pin_view, name="pin"),
    path("stories/", stories.story_list, name="stories"),
    path("stories/<int:story_id>/", stories.story_detail, name="story"),
    path("stories/<int:story_id>/open/", views.story_open_view, name="story-open"),
    path("stories/<int:story_id>/title/", stories.story_title, name="story-title"),
    path("commenters/<int:commenter_id>/", commenters.commenter_detail, name="commenter"),
    path("commenters/<int:commenter_id>/ban/", commenters.commenter_ban_view, name="ban"),
    path("commenters/<int:commenter_id>/unban/", commenters.commenter_unban_view, name="unban"),
    path(
        "commenters/<int:commenter_id>/bans/<int:ban_id>/lift/",
        commenters.ban_lift_view,
        name="ban-lift",
    ),
    path(
        "commenters/<int:commenter_id>/update/",
        commenters.commenter_update_view,
        name="commenter-update",
    ),
    path("sites/<int:site_id>/settings/", site_settings.site_settings, name="site-settings"),
    path("sites/<int:site_id>/backtest/", site_settings.site_backtest_view, name="backtest"),
    path("sites/<int:site_id>/sso/", site_settings.site_sso_view, name="site-sso"),
    path("audit/", site_settings.audit_log, name="audit"),
]
