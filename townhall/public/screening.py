"""Which listed words a resident's text holds: plain Python, no Django, so the rule is
tested on its own. A match holds the text for a moderator; it never rejects by itself."""

import re
from collections.abc import Iterable

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def read_words(lines: Iterable[str]) -> frozenset[str]:
    """The words of a list file: one a line, "#" starts a comment line."""
    return frozenset(
        line.strip().casefold() for line in lines if line.strip() and not line.startswith("#")
    )


def held_words(text: str, words: frozenset[str]) -> list[str]:
    """The listed words `text` holds as whole words, in any case, each once, in order."""
    found: list[str] = []
    for word in _WORD.findall(text.casefold()):
        if word in words and word not in found:
            found.append(word)
    return found
