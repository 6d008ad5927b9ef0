from django.contrib.auth import views as auth_views
from django.urls import path

from threadline.web import account, favicon, guidelines, sso, views

app_name = "web"

urlpatterns = [
    path("", views.story_list, name="story-list"),
    path("stories/<int:story_id>/", views.story_detail, name="story-detail"),
    path("stories/<int:story_id>/comments/", views.comment_create, name="comment-create"),
    path("guidelines/<slug:site>/", guidelines.site_guidelines, name="guidelines"),
    path("comments/<int:comment_id>/", views.comment_permalink, name="comment-permalink"),
    path("comments/<int:comment_id>/edit/", views.comment_update, name="comment-edit"),
    path("comments/<int:comment_id>/delete/", views.comment_remove, name="comment-delete"),
    path("comments/<int:comment_id>/vote/", views.comment_vote, name="comment-vote"),
    path("comments/<int:comment_id>/flag/", views.comment_flag, name="comment-flag"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/data/", account.account_data, name="account-data"),
    path("accounts/data/download/", account.account_data_download, name="account-data-download"),
    path("accounts/erase/", account.account_erase, name="account-erase"),
    path(
        "accounts/sign-out-everywhere/",
        account.account_sign_out_everywhere,
        name="account-sign-out-everywhere",
    ),
    path("sso/<slug:site>/", sso.sso_signin, name="sso"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", favicon.favicon, name="favicon"),
]
