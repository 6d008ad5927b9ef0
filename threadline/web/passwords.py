"""Password reset with Django's own views and tokens, in the site's look.

Django's reset token is tied to the account's password, last sign-in and e-mail address,
so a link dies once it is used or the address changes. The link in the e-mail points at
``THREADLINE_PUBLIC_URL`` (as every e-mail of ours does), never at the Host the request
named. Completing a reset confirms the address it went to and revokes the account's API
tokens (``actions.account_profile.account_password_reset_complete``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy

from threadline import errors
from threadline.actions.account_profile import account_password_reset_complete
from threadline.server.clientaddr import client_ip
from threadline.server.ratelimit import check_rate


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link by address. The answer is the same whether or not an account has
    that address; each request counts against the sign-in limit per client address, so
    the form cannot be used to flood a mailbox."""

    template_name = "threadline/password_reset_form.html"
    email_template_name = "threadline/password_reset_email.txt"
    subject_template_name = "threadline/password_reset_subject.txt"
    success_url = reverse_lazy("web:password-reset-done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            check_rate(name="auth-ip", key=client_ip(request) or "", setting="RATE_LIMIT_AUTH_IP")
        except errors.RateLimitedError as exc:
            response = render(request, "threadline/error.html", {"error": exc}, status=exc.status)
            response["Retry-After"] = str(exc.retry_after)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        self.extra_email_context = {"public_url": settings.PUBLIC_URL}  # read per request
        return super().form_valid(form)

    def form_invalid(self, form: PasswordResetForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "threadline/password_reset_confirm.html"
    success_url = reverse_lazy("web:password-reset-complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        account_password_reset_complete(user=form.user)
        return response

    def form_invalid(self, form: SetPasswordForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="threadline/password_reset_done.html"
)
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="threadline/password_reset_complete.html"
)
