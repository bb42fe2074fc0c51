"""Finding a person by name typed in any order (ADR 0028).

People type "Audra Fuller", "Fuller Audra" or "García López Juan" and expect the same person.
A name is kept as its words (`name_words`), one row per distinct word beside the officer's
sort key, so one word leads to every officer who has it already in sort order. What was typed
becomes a `NameQuery`: every word but the last is a whole word of the name, the last one is
the start of a word (the user may still be typing it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from confianza.registry.rules.officers import fold

#: Apostrophes join ("O'Brien" is OBRIEN, as typed with or without); any other mark that is
#: not a letter or digit (a hyphen, a dot, a space) separates words.
_JOINING = re.compile(r"['’`´]")
_WORD = re.compile(r"[^\W_]+")
#: A name longer than this in words is not a name anyone types; the rest is ignored.
MAX_WORDS = 8


def name_words(text: str) -> list[str]:
    """The distinct words of a name, folded (upper case, no accents), in their order."""
    words: list[str] = []
    for word in _WORD.findall(_JOINING.sub("", fold(text))):
        if word not in words:
            words.append(word)
    return words


def words_key(search_name: str) -> str:
    """The words of a name between spaces (' GARCIA LOPEZ JUAN '): a typed word is looked for
    as ' WORD ' (whole) or ' WORD' (a word's start) without a match on part of a word."""
    return " " + " ".join(_WORD.findall(_JOINING.sub("", fold(search_name)))) + " "


def token_rows(officer_id: int, search_name: str) -> list[tuple[int, str, str, str]]:
    """The rows that index one officer's name: (officer_id, word, search_name, words_key)."""
    key = words_key(search_name)
    return [(officer_id, word, search_name, key) for word in name_words(search_name)]


@dataclass(frozen=True)
class NameQuery:
    """A typed name as the store looks for it: `whole` words and the start of one more."""

    whole: tuple[str, ...]
    start: str

    @property
    def lead(self) -> str | None:
        """The word the search walks from: the longest whole word (a long word is the rarer
        one in a registry of names), or None when only a word's start was typed."""
        return max(self.whole, key=len) if self.whole else None

    def filters(self) -> list[str]:
        """LIKE patterns on `words_key` for what the lead word does not already settle."""
        lead = self.lead
        rest = list(self.whole)
        if lead is not None:
            rest.remove(lead)
        return [f"% {word} %" for word in rest] + ([f"% {self.start}%"] if lead else [])


def parse_name(text: str) -> NameQuery | None:
    """The query of a typed name; None when it holds no letter or digit at all. A word typed
    twice is looked for once."""
    typed = _WORD.findall(_JOINING.sub("", fold(text)))[:MAX_WORDS]
    if not typed:
        return None
    *whole, start = typed
    return NameQuery(tuple(dict.fromkeys(whole)), start)
