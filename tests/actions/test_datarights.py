from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from tests.factories import StoryFactory, UserFactory, post_comment
from threadline.actions.datarights import person_erase, person_export, person_find
from threadline.actions.votes import vote_cast
from threadline.domain.identity import Actor
from threadline.models import Comment, Commenter, ModerationEvent, Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(site):  # noqa: ANN001,ANN201
    from django.conf import settings

    reader = UserFactory(username="rea", email="rea@example.org")
    story = StoryFactory(site=site)
    actor = Actor(user=reader, ip="10.1.1.1")
    with override_settings(THREADLINE={**settings.THREADLINE, "RATE_LIMIT_VOTE_IP": ""}):
        replied = post_comment(story, "Mine, with a reply", actor=actor).comment
        post_comment(story, "Someone answers", parent=replied, name="Other")
        alone = post_comment(story, "Mine, alone", actor=actor).comment
        theirs = post_comment(story, "Theirs", name="Third").comment
        vote_cast(comment=theirs, actor=actor, value=1)
    return {"reader": reader, "replied": replied, "alone": alone, "theirs": theirs, "story": story}


def test_export_holds_account_comments_and_votes(scene, site) -> None:  # noqa: ANN001
    data = person_export(person=person_find(site=site, username="rea"))
    assert data["account"]["email"] == "rea@example.org"
    assert [c["body"] for c in data["comments"]] == ["Mine, with a reply", "Mine, alone"]
    assert data["votes"][0]["comment_id"] == scene["theirs"].pk


def test_erase_tombstones_replied_comments_deletes_others_and_withdraws_votes(scene, site) -> None:  # noqa: ANN001
    result = person_erase(person=person_find(site=site, username="rea"))
    assert result == {
        "comments_deleted": 1,
        "comments_tombstoned": 1,
        "votes_removed": 1,
        "flags_removed": 0,
        "accounts_deleted": 1,
    }
    tomb = Comment.objects.get(pk=scene["replied"].pk)
    assert (tomb.status, tomb.body, tomb.author_name, tomb.ip_address, tomb.user_id) == (
        "deleted",
        "",
        "",
        None,
        None,
    )
    assert not Comment.objects.filter(pk=scene["alone"].pk).exists()
    theirs = Comment.objects.get(pk=scene["theirs"].pk)
    assert (theirs.upvotes, theirs.score) == (0, 0) and not Vote.objects.exists()
    assert not get_user_model().objects.filter(username="rea").exists()
    assert scene["story"].__class__.objects.get(pk=scene["story"].pk).comment_count == 2
    commenter = Commenter.objects.get(key=f"user:{scene['reader'].pk}")
    assert (commenter.email, commenter.display_name) == ("", "")
    assert not ModerationEvent.objects.filter(commenter=commenter).exists()


def test_guest_found_by_email(site) -> None:  # noqa: ANN001
    story = StoryFactory(site=site)
    post_comment(story, "Guest words", name="Gus", author_email="Gus@Example.org")
    person = person_find(site=site, email="gus@example.org")
    assert [c["body"] for c in person_export(person=person)["comments"]] == ["Guest words"]
    assert person_erase(person=person)["comments_deleted"] == 1


def test_unknown_person_is_a_clear_error(site) -> None:  # noqa: ANN001
    from threadline import errors

    with pytest.raises(errors.NotFoundError):
        person_find(site=site, email="nobody@example.org")


def test_reader_downloads_and_erases_through_the_api(scene, api) -> None:  # noqa: ANN001
    from threadline.actions.accounts import token_create

    api.token = token_create(user=scene["reader"])
    data = api.get("/me/data")
    assert data.status_code == 200 and len(data.json()["comments"]) == 2
    erased = api.delete("/me")
    assert erased.status_code == 200 and erased.json()["erased"]["accounts_deleted"] == 1
    assert api.get("/me/data").status_code == 401  # the token went with the account


def test_guest_reads_own_comment_data_with_edit_token(site, api) -> None:  # noqa: ANN001
    story = StoryFactory(site=site)
    posted = post_comment(story, "Guest text", name="Gil", author_email="gil@example.org")
    url = f"/comments/{posted.comment.pk}/mydata"
    mine = api.get(url, edit_token=posted.edit_token)
    assert mine.status_code == 200
    assert mine.json()["comments"][0]["author_email"] == "gil@example.org"
    assert api.get(url, edit_token="wrong").status_code == 403
    assert api.get("/me/data").status_code == 401


def test_operator_cli_exports_and_erases(scene, site) -> None:  # noqa: ANN001
    import json
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("user", "export", "--site", site.name, "--username", "rea", stdout=out)
    assert len(json.loads(out.getvalue())["comments"]) == 2
    out = StringIO()
    call_command("user", "erase", "--site", site.name, "--username", "rea", stdout=out)
    assert json.loads(out.getvalue())["comments_tombstoned"] == 1
    with pytest.raises(CommandError, match="No user named"):
        call_command("user", "erase", "--site", site.name, "--username", "rea")
