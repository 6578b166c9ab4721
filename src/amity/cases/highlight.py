"""Highlights: the words of a query marked in a case's own text, and snippets around them.

They are made from the original text, not the index: the index holds segmented words (with
spaces between Chinese words and jieba's overlapping parts), which is not what people read.
That also makes highlights the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from html import escape

from amity.cases.text import normalise

SNIPPET_CHARS = 160
_HAN = re.compile(r"[\u3400-\u9fff]")
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"


def term_pattern(terms: list[str]) -> re.Pattern[str] | None:
    """One pattern for all terms: Chinese words as written, English stems with their endings."""
    alternatives = []
    for term in sorted(set(terms), key=len, reverse=True):
        if _HAN.search(term):
            alternatives.append(re.escape(term))
        else:
            # The stem's plurals too: city → cities, orchard → orchards.
            root = term[:-1] if term.endswith("y") and len(term) > 2 else term
            alternatives.append(r"\b" + re.escape(root) + r"\w*")
    return re.compile("|".join(alternatives)) if alternatives else None


def spans(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    """Where the terms occur, found in the normalised text (simplified script, lower case)."""
    if pattern is None or not text:
        return []
    folded = normalise(text)
    if len(folded) != len(text):
        return []  # positions would not line up; rare (a conversion that changes length)
    return [m.span() for m in pattern.finditer(folded)]


def mark(text: str | None, pattern: re.Pattern[str] | None) -> str:
    """The whole text, HTML-escaped, with every term inside <mark>."""
    if not text:
        return ""
    return _marked(text, spans(text, pattern), 0, len(text))


def snippet(texts: list[str | None], pattern: re.Pattern[str] | None) -> str:
    """A window of the first text where a term occurs, marked; else the first text's opening."""
    for candidate in texts:
        if not candidate:
            continue
        found = spans(candidate, pattern)
        if found:
            start = max(0, found[0][0] - SNIPPET_CHARS // 3)
            end = min(len(candidate), start + SNIPPET_CHARS)
            return _marked(candidate, found, start, end)
    first = next((t for t in texts if t), "")
    return _marked(first, [], 0, min(len(first), SNIPPET_CHARS))


def _marked(text: str, found: list[tuple[int, int]], start: int, end: int) -> str:
    pieces = ["…" if start > 0 else ""]
    cursor = start
    for left, right in found:
        if right <= cursor or left >= end:
            continue
        left = max(left, cursor)
        right = min(right, end)
        pieces += [escape(text[cursor:left]), MARK_OPEN, escape(text[left:right]), MARK_CLOSE]
        cursor = right
    pieces.append(escape(text[cursor:end]))
    if end < len(text):
        pieces.append("…")
    return "".join(pieces)
