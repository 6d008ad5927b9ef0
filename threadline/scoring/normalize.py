"""Text normalisation for word lists: the same folding is applied to the comment and to
each listed term, so a moderator writes ``fuck`` once and catches ``F.U.C.K``, ``fuuuck``,
``fμck`` (Greek mu) and ``f*ck``.

Matching is on whole words and whole phrases, never substrings, so ``Scunthorpe``,
``classic`` and ``assassin`` do not hit ``cunt`` or ``ass``. Terms without a letter or
digit (``(((``) are matched literally instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import NamedTuple

# Look-alike letters from other scripts that spammers swap in; NFKC does not fold them.
_CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "ԁ": "d",
        "ɡ": "g",
        "ԛ": "q",
        "ѡ": "w",
        "ү": "y",
        "һ": "h",
        "ӏ": "l",
        # Greek
        "α": "a",
        "β": "b",
        "γ": "y",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "μ": "u",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "ω": "w",
        "ϲ": "c",
        "ς": "s",
        "σ": "o",
        # Latin oddities
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
    }
)

# Leetspeak, applied only inside tokens that also hold a letter, so "1488" stays a number.
_LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "9": "g",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "l",
        "€": "e",
        "+": "t",
    }
)
_LEET_SYMBOLS = "@$!|€+*"
# Symbols that only count as letters between letters ("sh!t"), not at a word's edge ("wow!").
_EDGE_STRIP = "!|*+€"

_TOKEN = re.compile(r"[^\W_]+(?:[@$!|*€+]+[^\W_]*)*|[@$]+[^\W_]+(?:[@$!|*€+]+[^\W_]*)*", re.UNICODE)
_SEPARATED = re.compile(
    # A run of 3+ single characters split by dots, spaces, dashes, stars...: f.u.c.k, f u c k
    r"(?<![^\W_])[^\W_](?:[\s.\-_*·•,/]{1,3}[^\W_]){2,}(?![^\W_])",
    re.UNICODE,
)
_SEPARATOR_CHARS = re.compile(r"[\s.\-_*·•,/]+")
_RUN3 = re.compile(r"(.)\1{2,}")
_RUN2 = re.compile(r"(.)\1+")


def fold(text: str) -> str:
    """Unicode NFKC, casefold, strip accents and map look-alike letters to Latin."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(_CONFUSABLES)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
        text = text.translate(_CONFUSABLES)
    # Zero-width characters hide words from naive matching: "f\u200buck".
    return (
        text.replace("\u200b", "").replace("\u200c", "").replace("\u200d", "").replace("\u2060", "")
    )


def _join_separated(text: str) -> str:
    return _SEPARATED.sub(lambda m: _SEPARATOR_CHARS.sub("", m.group(0)), text)


@lru_cache(maxsize=16384)
def _token_forms(token: str) -> tuple[str, ...]:
    """Every spelling a raw token may stand for: leetspeak read as letters, and letter runs
    of three or more collapsed both to two ("good") and to one ("fuck")."""
    token = token.strip(_EDGE_STRIP)
    if not token:
        return ()
    if not any(c.isalpha() for c in token):
        return (token,)
    bases = [token.translate(_LEET)]
    if "1" in token or "|" in token:
        bases.append(token.replace("1", "l").replace("|", "l").translate(_LEET))
    forms: list[str] = []
    for base in bases:
        if _RUN3.search(base):
            forms.append(_RUN3.sub(r"\1\1", base))
            forms.append(_RUN2.sub(r"\1", base))
        else:
            forms.append(base)
    return tuple(dict.fromkeys(forms))


def tokens(text: str) -> list[tuple[str, ...]]:
    """The comment as a list of words, each given as the tuple of its possible spellings."""
    return list(_tokens(text))


@lru_cache(maxsize=64)
def _tokens(text: str) -> tuple[tuple[str, ...], ...]:
    # Several scorers read the same comment in a row: tokenise it once. Most words were
    # seen before, so their spellings come from ``_token_forms``'s cache.
    folded = _join_separated(fold(text))
    return tuple(filter(None, map(_token_forms, _TOKEN.findall(folded))))


# Quoted spans: double quotes of any style, or single quotes around several words (a lone
# apostrophe, "don't", has a letter on both sides and opens nothing).
_QUOTED = re.compile(
    r'"[^"]*"|“[^”"]*[”"]|„[^“”"]*[“”"]|«[^»]*»'
    r"|(?<![^\W_])['‘](?=[^\W_])[^\n]*?(?<=[\w.!?,])['’](?![^\W_])"
)
# What ends a clause between two words; negations and frames do not reach across it.
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]\n—–]|\s-\s")


class TokenPlace(NamedTuple):
    quote: int  # which quoted span holds the word, -1 for none
    clause: int  # which clause of the comment the word is in


@lru_cache(maxsize=64)
def token_places(text: str) -> tuple[TokenPlace, ...]:
    """For each word of ``tokens(text)``, where it stands in the original: inside which
    quotation, in which clause. Only read for the rare comment a rule matched."""
    folded = _join_separated(fold(text))
    quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(folded)]
    places: list[TokenPlace] = []
    clause, last_end = 0, 0
    for m in _TOKEN.finditer(folded):
        if not _token_forms(m.group(0)):
            continue  # as _tokens drops it
        if _CLAUSE_BREAK.search(folded, last_end, m.start()):
            clause += 1
        last_end = m.end()
        quote = next((i for i, (a, b) in enumerate(quotes) if a < m.start() and m.end() < b), -1)
        places.append(TokenPlace(quote, clause))
    return tuple(places)


@lru_cache(maxsize=64)
def _spellings(text: str) -> tuple[frozenset[str], bool]:
    """Every spelling of every word of ``text``, and whether one holds a '*'."""
    forms = frozenset(chain.from_iterable(_tokens(text)))
    return forms, any("*" in f for f in forms)


def normalize(text: str) -> str:
    """One canonical spelling per word, for models and duplicate detection."""
    return " ".join(forms[0] for forms in tokens(text))


def term_words(term: str) -> tuple[str, ...]:
    """A listed term as the words it must match; a term's letter runs collapse to two."""
    return tuple(forms[0] for forms in tokens(term))


@dataclass(frozen=True)
class TermIndex:
    """Terms prepared for matching: phrases keyed by their first word, plus literals."""

    phrases: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
    wildcards: tuple[tuple[str, str], ...]  # single words, for tokens spelt with '*'
    literals: tuple[tuple[str, str], ...]
    # Every spelling that can start a hit: first words, and single words plus "s" / "es".
    starts: frozenset[str] = frozenset()


@lru_cache(maxsize=256)
def compile_terms(terms: tuple[str, ...]) -> TermIndex:
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    literals = []
    for term in terms:
        term = term.strip()
        if not term:
            continue
        if not any(c.isalnum() for c in term):
            literals.append((fold(term), term))
            continue
        words = term_words(term)
        if words:
            phrases.setdefault(words[0], []).append((words, term))
    wildcards = tuple(
        (ws[0], t) for entries in phrases.values() for ws, t in entries if len(ws) == 1
    )
    starts = frozenset(phrases).union(*({w + "s", w + "es"} for w, _ in wildcards))
    return TermIndex({k: tuple(v) for k, v in phrases.items()}, wildcards, tuple(literals), starts)


def _starts(forms: tuple[str, ...], index: TermIndex) -> list[tuple[tuple[str, ...], str]]:
    found: list[tuple[tuple[str, ...], str]] = []
    for form in forms:
        found.extend(index.phrases.get(form, ()))
        # Plurals of listed words: "invaders" for "invader", "bitches" for "bitch".
        for suffix in ("s", "es"):
            if form.endswith(suffix):
                found.extend(
                    e for e in index.phrases.get(form[: -len(suffix)], ()) if len(e[0]) == 1
                )
    return found


@lru_cache(maxsize=512)
def _wildcard(pattern: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in pattern.split("*")]
    return re.compile("[a-z]{0,2}".join(parts))


def _wildcard_hits(forms: tuple[str, ...], index: TermIndex) -> list[str]:
    # "f*ck", "sh**": a star inside a word stands for up to two hidden letters.
    return [
        term
        for form in forms
        if "*" in form
        for word, term in index.wildcards
        if _wildcard(form).fullmatch(word)
    ]


def _phrase_at(toks: Sequence[tuple[str, ...]], i: int, words: tuple[str, ...]) -> bool:
    if i + len(words) > len(toks):
        return False
    return all(words[k] in toks[i + k] for k in range(1, len(words)))


def find_terms(text: str, terms: Iterable[str]) -> list[str]:
    """The listed terms (as written in the list) that occur in ``text``, in list order of
    first occurrence; each term at most once."""
    return list(dict.fromkeys(term for term, _ in find_term_places(text, terms)))


def find_term_places(text: str, terms: Iterable[str]) -> list[tuple[str, tuple[int, int] | None]]:
    """Each occurrence of a listed term in ``text``: (term, (first word, word after it))
    as indexes into ``tokens(text)``, or None for a literal term ("(((")."""
    index = compile_terms(tuple(terms))
    hits: list[tuple[str, tuple[int, int] | None]] = []
    if index.literals:
        folded = fold(text)
        hits += [(term, None) for literal, term in index.literals if literal in folded]
    spellings, starred = _spellings(text)
    if index.starts.isdisjoint(spellings) and not (starred and index.wildcards):
        return hits  # no word can start a listed phrase: the usual case
    toks = _tokens(text)
    for i, forms in enumerate(toks):
        for words, term in _starts(forms, index):
            if _phrase_at(toks, i, words):
                hits.append((term, (i, i + len(words))))
        if index.wildcards and any("*" in f for f in forms):
            hits += [(term, (i, i + 1)) for term in _wildcard_hits(forms, index)]
    return hits
