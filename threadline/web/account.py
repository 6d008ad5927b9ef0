"""A signed-in reader's own data, in the browser: download it all, erase the account, or
sign out of the widget everywhere."""

from __future__ import annotations

import json
from typing import cast

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from threadline.actions.accounts import token_revoke_all
from threadline.actions.datarights import person_erase, person_export, person_for_user


@login_required
def account_data(request: HttpRequest) -> HttpResponse:
    return render(request, "threadline/account_data.html", {})


@login_required
def account_data_download(request: HttpRequest) -> HttpResponse:
    data = person_export(person=person_for_user(user=request.user))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="threadline-my-data.json"'
    return response


@login_required
@require_POST
def account_erase(request: HttpRequest) -> HttpResponse:
    if request.POST.get("confirm") != request.user.get_username():
        return render(
            request,
            "threadline/account_data.html",
            {"error": "Type your user name to confirm."},
            status=400,
        )
    person = person_for_user(user=request.user)
    logout(request)
    person_erase(person=person)
    return HttpResponseRedirect("/?erased=1")


@login_required
@require_POST
def account_sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """Revoke every API token of the reader's (the widget on every device) and end this
    browser's session. Other browsers' page sessions are not tracked per user; they end
    when the password changes."""
    token_revoke_all(user=cast(User, request.user))  # login_required: never anonymous
    logout(request)
    return HttpResponseRedirect("/?signed_out=1")
