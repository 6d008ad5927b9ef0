from django.contrib.auth import views as auth_views
from django.urls import path

from threadline.web import account, favicon, guidelines, oidc, passwords, profiles, sso, views

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
    path("comments/<int:comment_id>/mute/", views.comment_mute, name="comment-mute"),
    path("mutes/<int:mute_id>/lift/", views.mute_lift, name="mute-lift"),
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
    path("accounts/oidc/login/", oidc.OidcStartView.as_view(), name="oidc-login"),
    path("accounts/oidc/callback/", oidc.OidcCallbackView.as_view(), name="oidc-callback"),
    # Accounts that work: profiles, settings, a confirmed address, password reset.
    path("readers/<int:user_id>/", profiles.reader_profile, name="reader-profile"),
    path("comments/<int:comment_id>/author/", profiles.comment_author, name="comment-author"),
    path("accounts/settings/", profiles.account_settings, name="account-settings"),
    path("accounts/email/resend/", profiles.account_email_resend, name="account-email-resend"),
    path(
        "accounts/email/confirm/<str:token>/",
        profiles.account_email_confirm_link,
        name="account-email-confirm",
    ),
    path("accounts/password/reset/", passwords.password_reset, name="password-reset"),
    path(
        "accounts/password/reset/sent/", passwords.password_reset_done, name="password-reset-done"
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        passwords.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path(
        "accounts/password/reset/done/",
        passwords.password_reset_complete,
        name="password-reset-complete",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", favicon.favicon, name="favicon"),
]
