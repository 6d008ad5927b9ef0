"""Commercial spam: promises of easy money, private contact channels, crypto wallets and
the throwaway domains they point to. These comments are often long, friendly and on topic
("Great article! My aunt makes $7,000/month online, details at …"), so neither the link
rule (a citation in the writer's own words publishes) nor the toxicity model stops them.

Each signal is a pattern on the plain text, lower-cased (``$``, ``%``, ``@`` and dots
matter here, so this does not read the folded words the hate patterns read)."""

from __future__ import annotations

import html
import re

from threadline.scoring.base import Score, ScoringContext, Verdict

_CURRENCY = r"(?:\$|€|£|usd ?|eur ?)"
_AMOUNT = rf"{_CURRENCY}\s?\d[\d,.]*\s?k?"
_PERIOD = r"(?:\s?/\s?|\s(?:a|per|each|every)\s)(?:day|week|month|hour|hr|wk|mo)\b"
_EARN = r"(?:make|makes|made|making|earn|earns|earned|earning|get paid|gets paid|profit|income)"

_SIGNALS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern))
    for label, pattern in (
        # "I make $500 a day", "my aunt makes $7,000/month online", "earn €300 per hour"
        ("money promise", rf"\b(?:i|we|you|u|she|he|my \w+)(?: can| could| will| now)?"
         rf"(?: easily| already)? {_EARN}\b[^.!?\n]{{0,20}}?{_AMOUNT}{_PERIOD}"),
        ("money promise", r"\b\d+\s?% (?:daily|weekly|monthly|a day|a week|a month) "
         r"(?:returns?|profits?|gains?|roi)\b"),
        ("money promise", r"\b\d+\s?% (?:returns?|profits?|roi) (?:daily|weekly|monthly|"
         r"guaranteed|every)\b"),
        ("money promise", r"\bguaranteed (?:returns?|profits?|income|payouts?|earnings|"
         r"work permits?|visas?|loans?)\b"),
        ("money promise", r"\b(?:passive income|extra income|financial freedom|"
         r"(?:work|working) from home|get rich quick|make money (?:online|fast|from home))\b"),
        ("money promise", r"\b(?:crypto|forex|bitcoin|trading|ai) (?:trading )?(?:bot|signals)\b"),
        # "WhatsApp +44 7700 900123", "message telegram @kharkiv_help_fund", "t.me/x"
        ("private contact", r"\b(?:whatsapp|telegram|wechat|viber|signal me)\b[^.!?\n]{0,25}"
         r"(?:\+?\d[\d\s-]{6,}\d|@\w{3,})"),
        ("private contact", r"(?:^|[\s(])(?:https?://)?t\.me/\w{3,}"),
        ("crypto wallet", r"\b(?:usdt|btc|bitcoin|eth|crypto|trc20)\b[^.!?\n]{0,60}\bwallet\b"),
        ("crypto wallet", r"\bwallet\b[^.!?\n]{0,40}\b(?:usdt|btc|bitcoin|eth|trc20)\b"),
        # Throwaway top-level domains spam lives on: "cashflow-daily.site", "x.top/offer"
        ("spam domain", r"(?:^|[\s(/.@])[a-z0-9][a-z0-9-]*\.(?:biz|top|site|xyz|online|"
         r"club|click|shop|icu|buzz|win|loan|vip|bet|casino|rest|fun|monster|cfd|sbs|"
         r"cyou|quest|lol)\b(?![.-]\w)"),
    )
)  # fmt: skip


def spam_signals(text: str) -> list[tuple[str, str]]:
    """(label, matched text) of every spam signal in ``text``."""
    plain = html.unescape(text).lower()
    found = []
    for label, pattern in _SIGNALS:
        match = pattern.search(plain)
        if match:
            found.append((label, match.group(0).strip(" (/.@")))
    return found


class SpamScorer:
    """HOLD a comment that sells something: a promise of easy money, a private contact
    channel (WhatsApp or Telegram numbers and handles), a crypto wallet, or a link to a
    throwaway spam domain. Held, not rejected: a moderator sees the rare civil one (an aid
    appeal with a wallet, say). No queries."""

    name = "spam"

    def score(self, ctx: ScoringContext) -> Score:
        signals = spam_signals(ctx.body)
        if not signals:
            return Score(scorer=self.name, value=0.0)
        reasons = tuple(dict.fromkeys(f"Spam ({label}): '{words}'" for label, words in signals))
        return Score(
            scorer=self.name,
            value=1.0,
            verdict=Verdict.HOLD,
            reasons=reasons,
            explanation=tuple(words for _, words in signals),
        )
