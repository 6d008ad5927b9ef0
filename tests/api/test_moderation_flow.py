"""A comment section on a war-news story, posted through the public API: civil comments
publish at once, abusive ones are held (or rejected) with visible reasons, and every
decision is an audit row with its scores and model version. Then the "think twice" nudge
and edits. The comments are written for this test."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from threadline.models import Comment, CommentStatus, ModerationEvent
from threadline.scoring.semantic import load_model

pytestmark = pytest.mark.django_db

CIVIL = [
    ("Olena", "Thanks for this report. The map of the front line really helps."),
    (
        "Mark",
        "I disagree with the analyst quoted here: sanctions have hurt the economy more "
        "than the article suggests.",
    ),
    ("Priya", "Does anyone know whether the aid convoy reached the city?"),
    ("Dmytro", "My grandparents fled Kharkiv in 1943; reading this is heartbreaking."),
    ("Sue", "A fair piece. I would have liked more voices from the villages near the border."),
    (
        "Ahmed",
        "The ceasefire talks have failed three times already. I'm not optimistic, but I "
        "hope they succeed this time.",
    ),
    (
        "Rachel",
        "As a Jewish reader I appreciated that the article separated criticism of a "
        "government from criticism of Jews.",
    ),
    ("Yusuf", "Palestinian and Israeli children both deserve to grow up without rockets overhead."),
    ("Tom", "The casualty figures differ from the UN's. Which source did you use?"),
    ("Greta", "Strongly disagree. The government has made this war worse with every decision."),
    ("Paul", "Respectfully, the headline overstates what the minister actually said."),
    ("Aisha", "Muslims in my town organised a collection for the victims last week."),
    ("Viktor", "I was in Odesa last summer; people there were remarkably calm."),
    ("Lena", "Why is there no mention of the drone attacks in the north?"),
    ("Joe", "Third article on this in a week and they keep getting better. Thank you."),
    ("Marta", "Could the reporter explain what a 'frozen conflict' means in practice?"),
    ("Sam", "The sanctions debate is more complicated than either side admits."),
    ("Hana", "I think the article is too kind to the generals who planned this offensive."),
    ("Piotr", "Poland has taken in more refugees than anyone expected, and it mostly works."),
    ("Noor", "Agree with Olena, the map is excellent. Is there a version for the south?"),
]

# Second comments by readers who have already posted, replying with their sources (trusted
# news sites, so a first comment with them would publish too; ``site.hold_first_link``).
CIVIL_FOLLOW_UPS = [
    ("Tom", "Here is the UN report I meant: https://www.un.org/en/situation-in-ukraine"),
    ("Mark", "Reuters has the same figures, worth a read: https://www.reuters.com/world/europe/"),
]

ABUSIVE = [
    ("Ivan", "Russians are animals, every single one of them.", "Dehumanising a group"),
    ("Boris", "Ukrainians are nazis, all of them.", "Dehumanising a group"),
    ("Karl", "Filthy Arabs, breeding like rats.", "Dehumanising a group"),
    ("Hans", "ZOG is behind this war, as always.", "Suspect phrase: 'zog'"),
    ("Ed", "Ask yourself who profits: (((they))) always do.", "Suspect phrase: '((('"),
    ("Walt", "The globalists control the banks and the media. Wake up.", "Conspiracy trope"),
    (
        "Rex",
        "The Jews run the media, that's why you never read the truth here.",
        "Conspiracy trope",
    ),
    ("Gus", "Follow the money: Rothschilds control both sides of every war.", "Suspect phrase"),
    ("Vlad", "I hope you and your family die in the next airstrike.", "Death wish"),
    ("Stan", "The journalist who wrote this should be shot.", "Call for violence"),
    ("Cole", "Kill all of them, every last one.", "Call for violence"),
    ("Brad", "you are a fucking idiot", "Insult"),
    ("Chad", "What a load of shit. Learn to write.", "Profanity: 'shit'"),
    ("Kyle", "Shut up you stupid bitch", "Insult"),
    (
        "Spammy",
        "Best deals here http://cheap-pills.example/a http://cheap-pills.example/b "
        "http://cheap-pills.example/c",
        "Too many links",
    ),
    (
        "Promo",
        "Free crypto giveaway! https://coins.example/1 https://coins.example/2 "
        "https://coins.example/3 https://coins.example/4",
        "Too many links",
    ),
    ("Otto", "Go back to your country, nobody wants you here.", "Suspect phrase"),
    ("Sergei", "Khokhols deserve everything they get.", "Slur: 'khokhols'"),
    ("Frank", "Those people are subhuman and should be wiped off the map.", "Suspect phrase"),
    ("Dirk", "Gas them all.", "Call for violence"),
    (
        "Lars",
        "The great replacement is happening and this paper hides it.",
        "Suspect phrase: 'the great replacement'",
    ),
]


class Reader:
    """One reader: a guest key, a name and an address of their own."""

    def __init__(self, client: Client, name: str, n: int) -> None:
        self.client, self.name, self.n = client, name, n

    def post(self, story_id: int, body: str, **extra: Any) -> Any:
        payload = {"body": body, "author_name": self.name, **extra}
        return self.client.post(
            f"/api/v1/stories/{story_id}/comments",
            json.dumps(payload),
            content_type="application/json",
            REMOTE_ADDR=f"10.1.{self.n // 250}.{self.n % 250 + 1}",
            HTTP_X_THREADLINE_GUEST=f"guest-{self.name.lower()}",
        )


@pytest.fixture
def readers(client: Client) -> dict[str, Reader]:
    names = dict.fromkeys(n for n, *_ in CIVIL + CIVIL_FOLLOW_UPS + ABUSIVE)
    return {name: Reader(client, name, i) for i, name in enumerate(names)}


def _post_insisting(reader: Reader, story_id: int, body: str) -> tuple[Any, bool]:
    """Post; after a "think twice" answer, send it anyway. (response, was nudged)."""
    response = reader.post(story_id, body)
    if response.status_code != 409:
        return response, False
    assert response.json()["error"]["code"] == "needs_confirmation"
    assert not Comment.objects.filter(body=body).exists()
    return reader.post(story_id, body, confirm=True), True


def test_war_news_thread_publishes_civil_comments_and_holds_abuse(story, readers) -> None:
    for name, body in CIVIL + CIVIL_FOLLOW_UPS:
        response = readers[name].post(story.pk, body)
        assert response.status_code == 201, (body, response.json())
        assert response.json()["reasons"] == []
    nudged = []
    for name, body, marker in ABUSIVE:
        response, was_nudged = _post_insisting(readers[name], story.pk, body)
        nudged += [body] if was_nudged else []
        assert response.status_code == 202, (body, response.json())
        out = response.json()
        assert out["status"] in ("pending", "rejected")
        assert any(marker in r for r in out["reasons"]), (body, out["reasons"])
    story.refresh_from_db()
    assert story.comment_count == len(CIVIL) + len(CIVIL_FOLLOW_UPS)
    thread = json.dumps(readers["Olena"].client.get(f"/api/v1/stories/{story.pk}/comments").json())
    assert not any(body in thread for _, body, _ in ABUSIVE)
    # Abuse in words (a rule or the model) asks its writer to think twice first; spam and
    # flooding are held without asking.
    assert "Best deals here" not in " ".join(nudged)
    assert len(nudged) >= len(ABUSIVE) - 3


def test_every_decision_is_an_audit_row_with_scores_and_model_version(story, readers) -> None:
    readers["Olena"].post(story.pk, CIVIL[0][1])
    readers["Vlad"].post(story.pk, ABUSIVE[8][1], confirm=True)
    events = {e.comment.body: e for e in ModerationEvent.objects.select_related("comment")}
    civil, threat = events[CIVIL[0][1]], events[ABUSIVE[8][1]]
    assert civil.action == "publish" and civil.reasons == []
    assert threat.action == "hold"
    assert "Death wish: 'hope you and your family die'" in threat.reasons
    assert threat.scores["threats"]["verdict"] == "hold"
    assert set(threat.scores) >= {"profanity", "threats", "insults", "group_hate"}
    # The cascade: a rule held it, so the transformer never read it; the civil one was read.
    assert "semantic" not in threat.scores
    assert load_model().version in civil.model_version
    assert 0 <= civil.scores["semantic"]["value"] < 0.51


def test_first_comment_with_an_untrusted_link_is_held_by_default(story, readers) -> None:
    response = readers["Tom"].post(story.pk, "Source: https://ukraine-truth.example.org/x")
    assert response.status_code == 202
    assert response.json()["reasons"] == [
        "Link to an untrusted domain in a first comment: 'ukraine-truth.example.org'"
    ]


RUDE = "Only an idiot would believe this"  # no rule holds it; the model finds it rude


def _around_rude(site: Any, **kw: Any) -> None:
    """Thresholds on either side of RUDE's score, so the test holds for any retrained model."""
    value = load_model().predict(RUDE)["score"]
    site.warn_threshold, site.hold_threshold = value - 0.05, value + 0.05
    for key, val in kw.items():
        setattr(site, key, val)
    site.save()


def test_nudge_answers_409_and_stores_nothing(story, readers) -> None:
    _around_rude(story.site)
    response = readers["Sam"].post(story.pk, RUDE)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "needs_confirmation"
    assert error["data"]["reasons"][0] == "Toxic language"  # no score for the writer
    assert any("idiot" in phrase for phrase in error["data"]["explanation"])
    assert not Comment.objects.exists() and not ModerationEvent.objects.exists()


def test_confirmed_nudge_below_the_hold_threshold_is_held(story, readers) -> None:
    _around_rude(story.site)
    response = readers["Sam"].post(story.pk, RUDE, confirm=True)
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    reasons = response.json()["reasons"]
    assert reasons[0] == "Toxic language" and "think twice" in reasons[-1]
    event = ModerationEvent.objects.get()  # moderators see the score
    assert event.action == "hold" and event.reasons[0].startswith("Toxic 0.")
    assert event.reasons[-1] == reasons[-1]


def test_site_without_the_nudge_publishes_below_the_hold_threshold(story, readers) -> None:
    _around_rude(story.site, nudge_enabled=False)
    response = readers["Sam"].post(story.pk, RUDE)
    assert response.status_code == 201


def test_default_thresholds_nudge_abuse_and_hold_it_when_sent_anyway(story, readers) -> None:
    response = readers["Brad"].post(story.pk, "you are a fucking idiot")
    assert response.status_code == 409
    response = readers["Brad"].post(story.pk, "you are a fucking idiot", confirm=True)
    assert response.status_code == 202
    assert "Insult: 'you are a fucking idiot'" in response.json()["reasons"]


def _edit(reader: Reader, comment_id: int, body: str, token: str, **extra: Any) -> Any:
    return reader.client.patch(
        f"/api/v1/comments/{comment_id}",
        json.dumps({"body": body, "edit_token": token, **extra}),
        content_type="application/json",
    )


def test_edit_that_turns_a_civil_comment_abusive_moves_it_to_review(story, readers) -> None:
    posted = readers["Ivan"].post(story.pk, "Interesting analysis of the front line.").json()
    abusive = "Russians are animals."
    response = _edit(readers["Ivan"], posted["id"], abusive, posted["edit_token"])
    assert response.status_code == 409  # think twice: the writer may still rephrase
    response = _edit(readers["Ivan"], posted["id"], abusive, posted["edit_token"], confirm=True)
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    assert any("Dehumanising a group" in r for r in response.json()["reasons"])
    assert Comment.objects.get(pk=posted["id"]).status == CommentStatus.PENDING
    assert ModerationEvent.objects.filter(source="pipeline:edit", action="hold").count() == 1
    story.refresh_from_db()
    assert story.comment_count == 0


def test_edit_is_nudged_too_and_held_when_confirmed(story, readers) -> None:
    posted = readers["Brad"].post(story.pk, "I am not convinced by this.").json()
    abusive = "you are a fucking idiot"
    response = _edit(readers["Brad"], posted["id"], abusive, posted["edit_token"])
    assert response.status_code == 409
    assert Comment.objects.get(pk=posted["id"]).body == "I am not convinced by this."
    response = _edit(readers["Brad"], posted["id"], abusive, posted["edit_token"], confirm=True)
    assert response.status_code == 202
    assert Comment.objects.get(pk=posted["id"]).status == CommentStatus.PENDING


# Reply chains five deep under a war-news story whose site lets readers answer a comment
# that is waiting for review (``allow_replies_to_held``): each chain is (reader, body,
# civil?), every comment a reply to the one before it. Abuse in the middle of a chain is
# held; the civil replies under it, counter-speech that names what it answers included,
# publish at once.
CHAINS = [
    [
        ("Olena", "The shelling of the power plant is the real story here.", True),
        ("Ivan", "Ukrainians are nazis, all of them.", False),
        ("Dmytro", "I'm Ukrainian, and that is a lie you were taught to repeat.", True),
        ("Mark", "Well said. Generalising about a whole people helps nobody.", True),
        ("Sue", "Agreed, and thank you for answering calmly.", True),
    ],
    [
        ("Tom", "Which source gives the casualty figure in the second paragraph?", True),
        ("Priya", "I believe it is the UN monitoring mission's latest report.", True),
        ("Rex", "The Jews run the media, that's why you never read the truth here.", False),
        ("Rachel", "Blaming Jews for the news is an old antisemitic lie. Shame on you.", True),
        ("Noor", "Thank you Rachel. Back to the figures: the UN number seems right.", True),
    ],
    [
        ("Greta", "The government has made this war worse with every decision.", True),
        ("Vlad", "I hope you and your family die in the next airstrike.", False),
        ("Ines", "Wishing death on another reader is vile. I've flagged it.", True),
        ("Kyle", "Shut up you stupid bitch", False),
        ("Paul", "Can we please keep this thread about the article?", True),
    ],
]


def test_replies_under_held_comments_publish_when_civil_and_hold_when_not(
    story, client: Client
) -> None:
    story.site.allow_replies_to_held = True
    story.site.save()
    n = 0
    published, held = [], []
    for chain in CHAINS:
        parent_id = None
        for name, body, civil in chain:
            n += 1
            reader = Reader(client, f"{name}{n}", 200 + n)
            extra = {"parent_id": parent_id} if parent_id else {}
            response = reader.post(story.pk, body, **extra)
            if response.status_code == 409:  # "think twice": sent anyway
                assert not civil, (body, response.json())
                response = reader.post(story.pk, body, confirm=True, **extra)
            assert response.status_code == (201 if civil else 202), (body, response.json())
            parent_id = response.json()["id"]
            (published if civil else held).append(body)
    story.refresh_from_db()
    assert story.comment_count == len(published)
    depths = Comment.objects.filter(story=story).values_list("depth", flat=True)
    assert max(depths) == 4  # five levels
    thread = json.dumps(client.get(f"/api/v1/stories/{story.pk}/comments?depth=10").json())
    assert all(body in thread for body in published)
    assert not any(body in thread for body in held)


# Civil replies the default pipeline still misjudges: the model reads a group's name next to
# an insult as an attack, negated or quoted as it is, short grief in the words of an
# atrocity as abuse, and a few plain words as a threat. Listed so that a model or a rule
# that gets them right shows up here (docs/moderation.md).
MISJUDGED_REPLIES = [
    # "once the cameras leave" reads as a threat to the models retrained on 8 December
    "Good journalism. Please keep covering the refugees once the cameras leave.",
]

# Civil replies the model misjudged until it was retrained on whole comments of war-news
# threads (8 December), the last five until it was retrained on long-form comments the
# same day: they must stay published.
MISJUDGED_BEFORE = [
    "My family is Ukrainian and nobody in it is a nazi. Please stop.",
    "Rest in peace to all the victims.",
    "Those poor people were burned alive in their homes. Unbearable.",
    "Bloody hell, those poor kids.",
    "Heartbreaking. Those children should be in school, not in coffins.",
    "Please don't call Palestinians savages. They are people like us.",
    "Nobody here said Poles are thieves except you.",
    "Whoever wrote that Jews run the media should read some history.",
    "I don't think Israelis are monsters, and I don't think Palestinians are either.",
    # grief under war news, in the words of the atrocity it mourns
    "The images of the mass graves in Bucha will haunt me forever.",
]


# Wishes for a reader's safety under war news, in the words of a death wish ("I hope you and
# your ..."): the weights shipped until 8 December held or rejected seven of these eight.
WELL_WISHES = [
    "So relieved your mum got out in time. I hope your whole street is safe now.",
    "I hope you and your little ones are safe in the shelter tonight.",
    "Hope your grandparents in Mykolaiv made it through the night.",
    "Thinking of you. Hope your flat wasn't damaged and your cat is ok.",
    "Really hope your dad pulls through. The doctors there are heroes.",
    "I hope you all stay safe, and that this ends soon.",
    "Hope you and yours are ok after last night. Terrifying footage.",
    "I hope your uncle's village was spared. Let us know when you hear from him.",
]


@pytest.mark.parametrize("body", MISJUDGED_BEFORE + WELL_WISHES)
def test_civil_replies_once_misjudged_publish(story, client: Client, body: str) -> None:
    response = Reader(client, "Reader", 241).post(story.pk, body)
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    "body",
    [
        "I hope you and your little ones are under the rubble tonight.",
        "Hope your dad doesn't pull through. One less of them.",
    ],
)
def test_a_death_wish_in_the_same_words_is_held(story, client: Client, body: str) -> None:
    reader = Reader(client, "Reader", 243)
    response = reader.post(story.pk, body)
    if response.status_code == 409:  # think twice; sent anyway
        response = reader.post(story.pk, body, confirm=True)
    assert response.status_code == 202, response.json()
    assert response.json()["status"] in ("pending", "rejected")


@pytest.mark.xfail(strict=True, reason="known: the model misreads these civil replies")
@pytest.mark.parametrize("body", MISJUDGED_REPLIES)
def test_known_misjudged_civil_replies(story, client: Client, body: str) -> None:
    response = Reader(client, "Reader", 240).post(story.pk, body)
    assert response.status_code == 201, response.json()
