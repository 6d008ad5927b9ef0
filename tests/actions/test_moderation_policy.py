"""The policy: scores in, one decision out; the "think twice" nudge."""

from __future__ import annotations

import pytest

from threadline import errors
from threadline.models import ModerationAction, Site
from threadline.scoring.base import Score, Verdict
from threadline.scoring.policy import CONFIRMED_REASON, check_nudge, decide


def _site(**kw: object) -> Site:
    return Site(**{"hold_threshold": 0.7, "warn_threshold": 0.5, "reject_threshold": 0.98, **kw})


def _tox(value: float, scorer: str = "toxicity") -> Score:
    return Score(scorer=scorer, value=value, explanation=("idiot",), version="m@1")


@pytest.mark.parametrize(
    ("scores", "action", "reasons", "warn"),
    [
        ([_tox(0.1)], ModerationAction.PUBLISH, [], False),
        ([_tox(0.6)], ModerationAction.PUBLISH, [], True),
        ([_tox(0.75)], ModerationAction.HOLD, ["Toxic 0.75"], True),
        ([_tox(0.99)], ModerationAction.REJECT, ["Toxic 0.99"], True),
        ([_tox(0.8, "minilm")], ModerationAction.HOLD, ["Toxic (minilm) 0.80"], True),
        (
            [
                _tox(0.1),
                Score(scorer="threats", value=1, verdict=Verdict.HOLD, reasons=("Threat: 'x'",)),
            ],
            ModerationAction.HOLD,
            ["Threat: 'x'"],
            True,  # a rule on the words held it: the writer is asked to think twice
        ),
        (
            [Score(scorer="links", value=1, verdict=Verdict.HOLD, reasons=("Too many links",))],
            ModerationAction.HOLD,
            ["Too many links"],
            False,  # not about the words: no nudge
        ),
        (
            [
                Score(
                    scorer="banned_words",
                    value=1,
                    verdict=Verdict.REJECT,
                    reasons=("Banned word: 'x'",),
                ),
                _tox(0.75),
            ],
            ModerationAction.REJECT,
            ["Banned word: 'x'", "Toxic 0.75"],
            True,
        ),
        (
            [
                Score(
                    scorer="perspective",
                    value=0.0,
                    verdict=Verdict.HOLD,
                    reasons=("Remote scorer unavailable",),
                )
            ],
            ModerationAction.HOLD,
            ["Remote scorer unavailable"],
            False,
        ),
    ],
)
def test_decide_takes_the_strongest_verdict(
    scores: list[Score], action: ModerationAction, reasons: list[str], warn: bool
) -> None:
    decision = decide(site=_site(), scores=scores)
    assert (decision.action, decision.reasons, decision.warn) == (action, reasons, warn)


def test_premoderation_holds_and_says_why() -> None:
    decision = decide(
        site=_site(), scores=[_tox(0.1)], premoderation="Pre-moderation: all comments"
    )
    assert decision.action == ModerationAction.HOLD
    assert decision.reasons == ["Pre-moderation: all comments"]


def test_the_highest_model_score_is_the_toxicity() -> None:
    decision = decide(site=_site(), scores=[_tox(0.2), _tox(0.6, "minilm")])
    assert decision.toxicity == 0.6 and decision.warn


def test_nudge_refuses_an_unconfirmed_comment_above_the_warning_threshold() -> None:
    decision = decide(site=_site(), scores=[_tox(0.6)])
    with pytest.raises(errors.NeedsConfirmationError) as caught:
        check_nudge(site=_site(), decision=decision, confirm=False)
    assert caught.value.data["reasons"] == ["Toxic language"]
    assert caught.value.data["explanation"] == ["idiot"]


def test_confirmed_nudge_between_warn_and_hold_is_held() -> None:
    decision = decide(site=_site(), scores=[_tox(0.6)])
    assert decision.action == ModerationAction.PUBLISH
    check_nudge(site=_site(), decision=decision, confirm=True)
    assert decision.action == ModerationAction.HOLD
    assert decision.reasons == ["Toxic 0.60", CONFIRMED_REASON]


def test_confirmed_nudge_above_hold_stays_held_with_one_toxic_reason() -> None:
    decision = decide(site=_site(), scores=[_tox(0.8)])
    check_nudge(site=_site(), decision=decision, confirm=True)
    assert decision.action == ModerationAction.HOLD
    assert decision.reasons == ["Toxic 0.80", CONFIRMED_REASON]


def test_no_nudge_below_the_warning_threshold() -> None:
    decision = decide(site=_site(), scores=[_tox(0.4)])
    check_nudge(site=_site(), decision=decision, confirm=False)
    assert decision.action == ModerationAction.PUBLISH


def test_site_can_turn_the_nudge_off() -> None:
    site = _site(nudge_enabled=False)
    decision = decide(site=site, scores=[_tox(0.6)])
    check_nudge(site=site, decision=decision, confirm=False)
    assert decision.action == ModerationAction.PUBLISH


def test_rejected_comment_is_not_nudged() -> None:
    decision = decide(site=_site(), scores=[_tox(0.99)])
    check_nudge(site=_site(), decision=decision, confirm=False)
    assert decision.action == ModerationAction.REJECT


@pytest.mark.parametrize(
    ("reasons", "public"),
    [
        (["Toxic 0.93"], ["Toxic language"]),
        (["Toxic (minilm) 0.80", "Toxic 0.75"], ["Toxic language"]),
        (["Posting too fast (6 comments in a minute)"], ["Posting too fast"]),
        (["Suspect phrase: 'zog'", "New commenter"], ["Suspect phrase: 'zog'", "New commenter"]),
    ],
)
def test_writers_see_reasons_without_scores_or_counts(reasons, public) -> None:
    from threadline.scoring.policy import public_reasons

    assert public_reasons(reasons) == public
