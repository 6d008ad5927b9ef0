"""What readers see of one another and of moderation on the server-rendered story page:
muting (folded, "show", unmute), a ban's end date when posting, and a shadow ban that shows
its writer their comments as published and nobody else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import UserFactory, post_comment
from threadline.actions.commenters import commenter_ban
from threadline.models import Comment, Mute

pytestmark = pytest.mark.django_db


def _page(client: Client, story: Any) -> str:
    response = client.get(f"/stories/{story.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _comment(html: str, comment_id: int) -> str:
    start = html.index(f'id="comment-{comment_id}"')
    return html[start : html.index("</article>", start)]


def test_a_signed_in_reader_mutes_and_unmutes_from_the_page(client: Client, story: Any) -> None:
    troll = post_comment(story, "Bait for everyone.", name="Troll").comment
    calm = post_comment(story, "A calm view.", name="Calm").comment
    client.force_login(UserFactory())
    page = f"/stories/{story.pk}/"
    assert f'action="/comments/{troll.pk}/mute/"' in _comment(_page(client, story), troll.pk)
    r = client.post(f"/comments/{troll.pk}/mute/", {"next": page})
    assert r.status_code == 302 and r["Location"] == f"{page}#comment-{troll.pk}"
    html = _page(client, story)
    assert "You muted Troll" in html
    folded = html[html.index(f'id="comment-{troll.pk}"') :]
    assert folded.index("<summary>Hidden: you muted Troll — show</summary>") < folded.index(
        "Bait for everyone."
    )
    assert "Hidden: you muted" not in _comment(html, calm.pk)
    # Nobody else's page changes.
    assert "Hidden: you muted" not in _page(Client(), story)
    mute = Mute.objects.get()
    client.post(f"/mutes/{mute.pk}/lift/", {"next": page})
    assert "Hidden: you muted" not in _page(client, story)


def test_a_guest_sees_no_mute_button_and_cannot_lift_others_mutes(
    client: Client, story: Any
) -> None:
    troll = post_comment(story, "Bait.", name="Troll").comment
    assert "/mute/" not in _page(client, story)
    mute = Mute.objects.create(user=UserFactory(), commenter=troll.commenter, name="Troll")
    client.force_login(UserFactory())
    assert client.post(f"/mutes/{mute.pk}/lift/").status_code == 404
    assert Mute.objects.filter(pk=mute.pk).exists()


def test_a_banned_writer_sees_when_the_ban_ends(client: Client, story: Any) -> None:
    form = {"body": "First.", "author_name": "Mallory"}
    assert client.post(f"/stories/{story.pk}/comments/", form).status_code == 302
    commenter = Comment.objects.get().commenter
    commenter_ban(commenter=commenter, actor=None, days=3, message="Cool off")
    r = client.post(f"/stories/{story.pk}/comments/", {**form, "body": "Again."})
    assert r.status_code == 403
    html = r.content.decode()
    commenter.refresh_from_db()
    assert "Cool off" in html and "The ban ends on" in html
    assert f'datetime="{commenter.banned_until.isoformat()}"' in html
    commenter_ban(commenter=commenter, actor=None)
    html = client.post(f"/stories/{story.pk}/comments/", {**form, "body": "And?"}).content
    assert "This ban is permanent." in html.decode()


def test_a_shadow_banned_writer_reads_their_comment_in_the_thread_alone(
    client: Client, story: Any
) -> None:
    form = {"body": "Before the ban.", "author_name": "Mallory"}
    client.post(f"/stories/{story.pk}/comments/", form)
    parent = post_comment(story, "Someone else's view.", name="Other").comment
    commenter_ban(
        commenter=Comment.objects.get(body="Before the ban.").commenter, shadow=True, actor=None
    )
    r = client.post(f"/stories/{story.pk}/comments/", {**form, "body": "Shadowed, on top."})
    assert r.status_code == 302
    client.post(
        f"/stories/{story.pk}/comments/",
        {**form, "body": "Shadowed, a reply.", "parent_id": parent.pk},
    )
    top, reply = Comment.objects.filter(is_shadowed=True).order_by("id")
    html = _page(client, story)
    assert "Your comment is published." in html
    assert "Shadowed, on top." in _comment(html, top.pk)
    assert "Shadowed, a reply." in html[html.index(f'id="comment-{parent.pk}"') :]
    assert "only you can see" not in html  # nothing tells them
    for other in (Client(), Client()):
        html = _page(other, story)
        assert "Shadowed" not in html and "Before the ban." in html
    permalink = client.get(f"/comments/{parent.pk}/").content.decode()
    assert "Shadowed, a reply." in permalink and "Shadowed, on top." not in permalink


def test_the_desk_and_the_page_can_make_a_ban_a_shadow_ban(client: Client, settings: Any) -> None:
    from django.urls import reverse

    from tests.dashboard.world import build_world, use_fake_scorers
    from threadline.models import Commenter

    use_fake_scorers(settings)
    world = build_world()
    client.force_login(world.moderator)
    page = reverse("web:story-detail", args=[world.story.pk])
    assert 'name="ban_shadow"' in _page(client, world.story)  # the in-stream ban form
    commenter_id = world.reported.commenter_id
    response = client.post(
        reverse("desk:ban", args=[commenter_id]),
        {"days": "7", "ban_shadow": "on", "next": page},
        follow=True,
    )
    assert "Shadow-banned for 7 days." in response.content.decode()
    assert Commenter.objects.get(pk=commenter_id).ban_shadow
    drawer = client.get(reverse("desk:commenter", args=[commenter_id])).content.decode()
    assert "Shadow-banned until" in drawer
    client.post(reverse("desk:unban", args=[commenter_id]), {"next": page})
    assert not Commenter.objects.get(pk=commenter_id).ban_shadow
    drawer = client.get(reverse("desk:commenter", args=[commenter_id])).content.decode()
    assert 'name="ban_shadow"' in drawer  # offered again in the drawer's ban form
