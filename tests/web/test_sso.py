"""Sign-in with the publisher's accounts on the server-rendered pages (/sso/<site>/), and
the staff badge there."""

from __future__ import annotations

import pytest

from tests.factories import post_comment
from tests.publisher import sso_token
from threadline.actions.sso import site_sso_secret_rotate, sso_sign_in
from threadline.domain.identity import Actor
from threadline.models import Site

pytestmark = pytest.mark.django_db


@pytest.fixture
def sso_site(site: Site) -> Site:
    site_sso_secret_rotate(site=site, actor=None)
    return site


def test_the_redirect_signs_the_reader_in_and_returns_to_the_page(client, sso_site, story):
    token = sso_token(sso_site, name="Nadia Karimi")
    r = client.get(f"/sso/{sso_site.name}/", {"token": token, "next": f"/stories/{story.pk}/"})
    assert r.status_code == 302 and r["Location"] == f"/stories/{story.pk}/"
    assert r["Referrer-Policy"] == "no-referrer"
    page = client.get(r["Location"]).content.decode()
    assert "Signed in as <strong>Nadia Karimi</strong>" in page
    # The reader posts as the SSO identity, with no name to type.
    client.post(f"/stories/{story.pk}/comments/", {"body": "Signed in from the paper."})
    assert story.comments.get().commenter.sso_id == "reader-1"


def test_a_form_post_from_the_publisher_signs_in_too(client, sso_site):
    r = client.post(f"/sso/{sso_site.name}/", {"token": sso_token(sso_site), "next": "/"})
    assert r.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "http://testserver.evil/"],
)
def test_next_may_only_be_a_page_of_this_server(client, sso_site, target):
    r = client.get(f"/sso/{sso_site.name}/", {"token": sso_token(sso_site), "next": target})
    assert r.status_code == 302 and r["Location"] == "/"


def test_a_bad_token_signs_nobody_in(client, sso_site):
    r = client.get(
        f"/sso/{sso_site.name}/", {"token": sso_token(sso_site, exp_in=-300), "next": "/"}
    )
    assert r.status_code == 401 and "expired" in r.content.decode()
    assert "_auth_user_id" not in client.session
    r = client.get("/sso/no-such-site/", {"token": sso_token(sso_site)})
    assert r.status_code == 403


def test_staff_badges_show_on_the_page_at_the_same_query_cost(
    client, sso_site, story, django_assert_max_num_queries
):
    post_comment(story, "A reader's view.", name="Reader")
    user, _ = sso_sign_in(
        site=sso_site, token=sso_token(sso_site, sub="e", name="Eva Editor", role="staff")
    )
    for n in range(3):
        post_comment(story, f"Editor's note {n}.", actor=Actor(user=user, ip="127.0.0.1"))
    with django_assert_max_num_queries(8):  # as tests/web/test_pages.py holds every page
        page = client.get(f"/stories/{story.pk}/").content.decode()
    assert page.count('class="badge staff-badge badge-staff"') == 3
    assert page.count(">Staff</span>") == 3
