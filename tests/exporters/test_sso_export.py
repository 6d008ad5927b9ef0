"""SSO readers move with a site: the export keeps their publisher id, badge and avatar, and
the site's secret only with --with-secrets; after an import they sign in as before."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model

from tests.factories import SiteFactory
from tests.publisher import sso_token
from threadline import errors
from threadline.actions.commenters import commenter_ban
from threadline.actions.imports import import_run
from threadline.actions.moderation import commenter_ban_check
from threadline.actions.sso import site_sso_secret_rotate, sso_sign_in
from threadline.exporters.threadline_json import export_lines
from threadline.models import Commenter, Site

pytestmark = pytest.mark.django_db
AVATAR = "https://cdn.news.example/u/5.png"


def _site_with_a_banned_journalist() -> Site:
    site = SiteFactory(name="news")
    site_sso_secret_rotate(site=site, actor=None)
    token = sso_token(site, sub="5", name="Jo", role="journalist", avatar=AVATAR)
    _, commenter = sso_sign_in(site=site, token=token)
    commenter_ban(commenter=commenter, actor=None, days=None, message="Leaked a source.")
    return site


def test_the_secret_is_exported_only_with_secrets() -> None:
    site = _site_with_a_banned_journalist()
    plain = json.loads(next(export_lines(site=site)))
    assert "sso_secret" not in plain["site"]
    full = json.loads(next(export_lines(site=site, with_secrets=True)))
    assert full["site"]["sso_secret"] == site.sso_secret


def test_after_an_import_the_reader_signs_in_as_the_same_banned_commenter() -> None:
    site = _site_with_a_banned_journalist()
    secret = site.sso_secret
    text = "".join(export_lines(site=site, with_secrets=True))
    Site.objects.all().delete()
    get_user_model().objects.all().delete()
    import_run(site_name="news", fp=io.BytesIO(text.encode()))

    site = Site.objects.get(name="news")
    assert site.sso_secret == secret
    imported = Commenter.objects.get(site=site, sso_id="5")
    assert (imported.badge, imported.avatar_url, imported.banned_forever) == (
        "journalist",
        AVATAR,
        True,
    )
    _, commenter = sso_sign_in(site=site, token=sso_token(site, sub="5", name="Jo"))
    assert commenter.pk == imported.pk
    with pytest.raises(errors.BannedError):
        commenter_ban_check(commenter=commenter)
