"""Counter-speech the rule scorers leave to the semantic model: hateful words quoted,
denied or reported pass with value 0.5 and a reason saying so, while the same words meant
plainly still hold. Strong profanity aimed at nobody passes unless the site asks."""

from __future__ import annotations

import pytest

from tests.scoring.conftest import make_ctx
from threadline.models import Site
from threadline.scoring.base import Verdict
from threadline.scoring.profanity import ProfanityScorer
from threadline.scoring.rules import SuspectWordsScorer
from threadline.scoring.threats import GroupHateScorer, InsultScorer, ThreatScorer
from threadline.scoring.wordlists import DEFAULT_SUSPECT_WORDS

SCORERS = {
    "suspect_words": SuspectWordsScorer(),
    "profanity": ProfanityScorer(),
    "threats": ThreatScorer(),
    "insults": InsultScorer(),
    "group_hate": GroupHateScorer(),
}

LEFT_TO_THE_MODEL = [
    # quoted
    (
        "group_hate",
        'Saying "immigrants are vermin" is disgusting and the paper should say so.',
        "Dehumanising a group (quoted or negated, left to the model): 'immigrants are vermin'",
    ),
    (
        "group_hate",
        "The sign said ‘Muslims are terrorists’ and nobody took it down.",
        "Dehumanising a group (quoted or negated, left to the model): 'muslims are terrorists'",
    ),
    (
        "group_hate",
        "He wrote “Russians are animals” under every article until he was banned.",
        "Dehumanising a group (quoted or negated, left to the model): 'russians are animals'",
    ),
    (
        "threats",
        "The crowd chanted “kill all the Jews” and the police watched.",
        "Call for violence (quoted or negated, left to the model): 'kill all the jews'",
    ),
    (
        "threats",
        'My MP got an email saying "I will find you and kill you" and reported it.',
        "Threat (quoted or negated, left to the model): 'i will find you and kill you'",
    ),
    (
        "insults",
        "Replying 'you stupid idiot' to every critic is not an argument.",
        "Insult (quoted or negated, left to the model): 'you stupid idiot'",
    ),
    (
        "group_hate",
        "It's the Russians' fault, he says. 'Russians are animals' is what he wrote.",
        "Dehumanising a group (quoted or negated, left to the model): 'russians are animals'",
    ),
    # negated
    (
        "group_hate",
        "Nobody should say Jews control the banks; that lie got people killed.",
        "Conspiracy trope (quoted or negated, left to the model): 'jews control'",
    ),
    (
        "group_hate",
        "I would never say Muslims are animals.",
        "Dehumanising a group (quoted or negated, left to the model): 'muslims are animals'",
    ),
    (
        "group_hate",
        "I don't think Russians are animals, whatever the war does to us.",
        "Dehumanising a group (quoted or negated, left to the model): 'russians are animals'",
    ),
    (
        "group_hate",
        "Not all Muslims are terrorists.",
        "Dehumanising a group (quoted or negated, left to the model): 'all muslims are terrorists'",
    ),
    (
        "group_hate",
        "Jews never control the banks, read some history.",
        "Conspiracy trope (quoted or negated, left to the model): 'jews never control'",
    ),
    (
        "threats",
        "Nobody here thinks Russians should die; we want them to go home.",
        "Death wish (quoted or negated, left to the model): 'russians should die'",
    ),
    (
        "group_hate",
        "You can't say refugees are criminals when the figures show the opposite.",
        "Dehumanising a group (quoted or negated, left to the model): 'refugees are criminals'",
    ),
    # reported or denounced
    (
        "group_hate",
        "The myth that the Jews control the banks is centuries old.",
        "Conspiracy trope (quoted or negated, left to the model): 'the jews control'",
    ),
    (
        "group_hate",
        "Calling them filthy Arabs on air should end his career.",
        "Dehumanising a group (quoted or negated, left to the model): 'filthy arabs'",
    ),
    (
        "group_hate",
        "The minister keeps saying migrants are criminals without any evidence.",
        "Dehumanising a group (quoted or negated, left to the model): 'migrants are criminals'",
    ),
    (
        "group_hate",
        "He repeated the lie that globalists control the banks.",
        "Conspiracy trope (quoted or negated, left to the model): 'globalists control'",
    ),
    (
        "group_hate",
        "To the reader who wrote that Palestinians are animals: you have been reported.",
        "Dehumanising a group (quoted or negated, left to the model): 'palestinians are animals'",
    ),
    (
        "threats",
        "Protesters chanting kill all the Jews outside a synagogue should be arrested.",
        "Call for violence (quoted or negated, left to the model): 'kill all the jews'",
    ),
    (
        "threats",
        "Reporting the comment above that says Russians should all die. That is not okay.",
        "Death wish (quoted or negated, left to the model): 'russians should all die'",
    ),
    # a suspect phrase quoted or reported (a site's banned words are never excused)
    (
        "suspect_words",
        "Saying 'vermin' about refugees is how every pogrom started.",
        "Suspect phrase (quoted or reported, left to the model): 'vermin'",
    ),
    (
        "suspect_words",
        "The phrase “the great replacement” is a white-nationalist conspiracy theory.",
        "Suspect phrase (quoted or reported, left to the model): 'the great replacement'",
    ),
    # profanity quoted or reported: the abuse a person received, named to denounce it
    (
        "profanity",
        "The abuse she got ('bitch', 'whore') is why so few women stand for election.",
        "Profanity (quoted or reported, left to the model): 'bitch'",
    ),
    (
        "profanity",
        "He called her a bitch on live radio and kept his job.",
        "Profanity (quoted or reported, left to the model): 'bitch'",
    ),
    # slurs: quoted or reported (a negation does not excuse a slur)
    (
        "profanity",
        'He called her a "dirty kike" on the bus and the police did nothing.',
        "Slur (quoted or reported, left to the model): 'kike'",
    ),
    (
        "profanity",
        "He used the slur kike twice in one interview.",
        "Slur (quoted or reported, left to the model): 'kike'",
    ),
    (
        "profanity",
        "The word “khokhols” is how Russian state TV speaks of Ukrainians.",
        "Slur (quoted or reported, left to the model): 'khokhols'",
    ),
]

STILL_HELD = [
    ("group_hate", "Immigrants are vermin.", "Dehumanising a group: 'immigrants are vermin'"),
    ("threats", "kill all the Jews", "Call for violence: 'kill all the jews'"),
    ("insults", "you stupid cunt", "Insult: 'you stupid cunt'"),
    ("profanity", "dirty kike", "Slur: 'kike'"),
    # a negation in another clause denies nothing
    ("group_hate", "No, Russians are animals.", "Dehumanising a group: 'russians are animals'"),
    ("threats", "Why not kill all the Jews", "Call for violence: 'kill all the jews'"),
    (
        "group_hate",
        "These people are nothing but vermin.",
        "Dehumanising a group: 'these people are nothing but vermin'",
    ),
    ("group_hate", "No doubt Muslims are terrorists.", "Dehumanising a group"),
    # a person who said something is no report of what they said
    ("threats", "The journalist who wrote this should be shot.", "Call for violence"),
    ("threats", "I say Russians should all die.", "Death wish: 'russians should all die'"),
    # quotation marks around the whole comment quote nobody
    ("group_hate", '"Immigrants are vermin"', "Dehumanising a group: 'immigrants are vermin'"),
    # quoted once, then meant
    (
        "group_hate",
        'You said "Russians are animals" and you were right: Russians are animals.',
        "Dehumanising a group: 'russians are animals'",
    ),
    # a slur is not excused by a negation
    ("profanity", "Kikes don't belong here.", "Slur: 'kike'"),
    ("suspect_words", "Refugees are vermin.", "Suspect phrase: 'vermin'"),
    ("suspect_words", "ZOG runs this war.", "Suspect phrase: 'zog'"),
    ("profanity", "You're a stupid bitch.", "Profanity: 'bitch'"),
    # a suspect phrase is not excused by a negation
    ("suspect_words", "Nothing but vermin, the lot of them.", "Suspect phrase: 'vermin'"),
    # an apostrophe is no quotation mark
    ("insults", "Don't bother, you're a pathetic loser.", "Insult: 'you re a pathetic loser'"),
]

PROFANITY = [
    ("This fucking weather again.", "Profanity: 'fucking'"),
    ("Holy shit, what a result for the home team.", "Profanity: 'shit'"),
    ("The council fucked up the bin collection again", "Profanity: 'fucked'"),
]


@pytest.mark.parametrize(("scorer", "text", "reason"), LEFT_TO_THE_MODEL)
def test_quoted_negated_or_reported_hate_is_left_to_the_model(
    scorer: str, text: str, reason: str
) -> None:
    score = SCORERS[scorer].score(make_ctx(Site(suspect_words=DEFAULT_SUSPECT_WORDS), text))
    assert (score.verdict, score.value) == (Verdict.PASS, 0.5), score.reasons
    assert reason in score.reasons
    assert score.explanation


@pytest.mark.parametrize(("scorer", "text", "reason"), STILL_HELD)
def test_plainly_meant_hate_is_still_held(scorer: str, text: str, reason: str) -> None:
    score = SCORERS[scorer].score(make_ctx(Site(suspect_words=DEFAULT_SUSPECT_WORDS), text))
    assert (score.verdict, score.value) == (Verdict.HOLD, 1.0)
    assert any(r.startswith(reason) for r in score.reasons), score.reasons
    assert not any("left to the model" in r for r in score.reasons)


@pytest.mark.parametrize(("text", "reason"), PROFANITY)
def test_profanity_aimed_at_nobody_passes_where_the_site_allows_it(text: str, reason: str) -> None:
    score = ProfanityScorer().score(make_ctx(Site(hold_profanity=False), text))
    assert (score.verdict, score.value, score.reasons) == (Verdict.PASS, 0.5, (reason,))


@pytest.mark.parametrize(("text", "reason"), PROFANITY)
def test_profanity_is_held_by_default(text: str, reason: str) -> None:
    assert Site().hold_profanity is True
    score = ProfanityScorer().score(make_ctx(Site(), text))
    assert (score.verdict, score.value, score.reasons) == (Verdict.HOLD, 1.0, (reason,))


def test_a_plain_match_holds_even_beside_a_quoted_one() -> None:
    text = 'Saying "filthy Arabs" is wrong, he said. Then: Immigrants are vermin.'
    score = GroupHateScorer().score(make_ctx(Site(), text))
    assert score.verdict is Verdict.HOLD
    assert score.reasons == (
        "Dehumanising a group: 'immigrants are vermin'",
        "Dehumanising a group (quoted or negated, left to the model): 'filthy arabs'",
    )


def test_a_site_banned_word_is_rejected_even_when_quoted() -> None:
    from threadline.scoring.rules import BannedWordsScorer

    score = BannedWordsScorer().score(
        make_ctx(Site(banned_words="vermin"), "Saying 'vermin' is vile.")
    )
    assert score.verdict is Verdict.REJECT
    assert score.reasons == ("Banned word: 'vermin'",)


def test_a_reported_slur_beside_held_profanity() -> None:
    text = 'He called her a "kike", the fucking coward.'
    score = ProfanityScorer().score(make_ctx(Site(hold_profanity=True), text))
    assert score.verdict is Verdict.HOLD
    assert score.reasons == (
        "Slur (quoted or reported, left to the model): 'kike'",
        "Profanity: 'fucking'",
    )
