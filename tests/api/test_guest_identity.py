"""Guest identity through the HTTP API: the browser key (``X-Threadline-Guest``) and an
address confirmed from that browser identify a guest; a typed address never does."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from tests.actions.test_posting_cost import TOP_LEVEL
from tests.conftest import Api
from tests.factories import UserFactory
from threadline.actions.moderation_desk import comment_approve
from threadline.models import Comment, Commenter, Story

pytestmark = pytest.mark.django_db

SHARED = "shared@example.org"


def _post(api: Api, story: Story, browser: str, body: str = "A civil remark.") -> dict[str, Any]:
    api.guest = browser
    r = api.post(
        f"/stories/{story.pk}/comments",
        {"body": body, "author_name": browser.title(), "author_email": SHARED},
    )
    assert r.status_code in (201, 202, 403), r.content
    return r.json()


def _commenter(posted: dict[str, Any]) -> Commenter:
    return Comment.objects.select_related("commenter").get(pk=posted["id"]).commenter


def _confirm(api: Api, client: Any, story: Story, browser: str, capture: Any) -> None:
    """Ask for reply e-mails from ``browser`` and open the link mailed to the address."""
    api.guest = browser
    mail.outbox.clear()
    with capture(execute=True):
        r = api.post("/subscriptions", {"site": story.site.name, "email": SHARED})
    assert r.status_code == 202, r.content
    (message,) = mail.outbox
    assert "browser that asked" in message.body
    link = re.search(r"http://[^\s]+(/notifications/confirm/[^\s]+/)", message.body)
    assert link and client.get(link.group(1)).status_code == 200


def test_two_browsers_typing_one_address_share_nothing(api: Api, story: Story) -> None:
    story.site.premoderation = "new"
    story.site.save(update_fields=["premoderation"])
    first = _post(api, story, "alice")
    assert first["status"] == "pending"
    comment_approve(comment=Comment.objects.get(pk=first["id"]), actor=UserFactory())
    assert _post(api, story, "alice", "Once more.")["status"] == "published"  # trusted now
    mallory = _post(api, story, "mallory", "Me too.")
    assert mallory["status"] == "pending"  # a new commenter, whatever address she typed
    assert _commenter(mallory).pk != _commenter(first).pk
    assert _commenter(mallory).comments_total == 1


def test_banning_the_second_guest_leaves_the_first_posting(api: Api, story: Story) -> None:
    from threadline.actions.commenters import commenter_ban

    _post(api, story, "alice")
    commenter_ban(commenter=_commenter(_post(api, story, "mallory")), actor=UserFactory())
    assert _post(api, story, "mallory", "Let me in.")["error"]["code"] == "banned"
    assert _post(api, story, "alice", "Still here.")["status"] == "published"


def test_a_confirmed_address_identifies_its_owner_across_browsers(
    api: Api, client: Any, story: Story, django_capture_on_commit_callbacks: Any
) -> None:
    for browser in ("alice-laptop", "alice-phone"):
        _confirm(api, client, story, browser, django_capture_on_commit_callbacks)
    laptop = _commenter(_post(api, story, "alice-laptop"))
    phone = _commenter(_post(api, story, "alice-phone", "From my phone."))
    assert laptop.pk == phone.pk and laptop.known_by == "address"
    mallory = _commenter(_post(api, story, "mallory", "I typed it too."))
    assert mallory.pk != laptop.pk and mallory.known_by == "browser"


def test_a_post_from_a_confirmed_browser_costs_no_more_queries(
    api: Api,
    client: Any,
    story: Story,
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    _confirm(api, client, story, "alice", django_capture_on_commit_callbacks)
    _post(api, story, "alice", "Warm up.")
    with (
        django_assert_max_num_queries(TOP_LEVEL),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert _post(api, story, "alice", "Counted.")["status"] == "published"


def test_a_reply_to_a_guest_still_mails_their_confirmed_address(
    api: Api, client: Any, story: Story, django_capture_on_commit_callbacks: Any
) -> None:
    _confirm(api, client, story, "alice", django_capture_on_commit_callbacks)
    parent = _post(api, story, "alice")
    mail.outbox.clear()
    api.guest = "bo"
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(
            f"/stories/{story.pk}/comments",
            {"body": "I answer you.", "author_name": "Bo", "parent_id": parent["id"]},
        )
    assert r.status_code == 201, r.content
    assert [m.to for m in mail.outbox] == [[SHARED]]


def test_an_opt_in_without_a_browser_key_binds_nothing(
    api: Api, client: Any, story: Story, django_capture_on_commit_callbacks: Any
) -> None:
    api.guest = ""
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/subscriptions", {"site": story.site.name, "email": SHARED})
    (message,) = mail.outbox
    assert "browser that asked" not in message.body
    link = re.search(r"http://[^\s]+(/notifications/confirm/[^\s]+/)", message.body)
    assert link and client.get(link.group(1)).status_code == 200
    assert not Commenter.objects.filter(key__startswith="email:").exists()
