"""The most frequent words in what people wrote: jieba for Chinese, stop words left out."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from amity.cases.service import tokenizer

_EN = """a about after all also am an and any are as at be been but by can could do does for from
    had has have he her his how i if in into is it its just like me more most my no not of on
    one or our out please should so some than that the their them then there these they this
    to too up us very was we were what when which who why will with would you your"""
STOP_EN = frozenset(_EN.split())
_ZH = """的 了 和 是 在 我 有 也 就 都 而 及 与 着 或 一个 没有 我们 你们 他们 这个 那个 这些 那些
    希望 可以 能够 应该 非常 一些 什么 怎么 如果 因为 所以 但是 还是 以及 对于 进行 已经 为了
    就是 这样 不是 自己 很多 更多 一下 还有 通过 其他 建议"""
STOP_ZH = frozenset(_ZH.split())
_WORD = re.compile(r"[a-z][a-z'-]+|[\u3400-\u9fff]+")


def words(text: str) -> Iterable[str]:
    """The words of a text worth counting (two characters or more, no stop words)."""
    for chunk in _WORD.findall(text.lower()):
        if chunk[0].isascii():
            if len(chunk) > 2 and chunk not in STOP_EN:
                yield chunk
            continue
        for word in tokenizer().cut(chunk):
            if len(word) >= 2 and word not in STOP_ZH:
                yield word


def top_terms(texts: Iterable[str], *, limit: int = 30) -> list[dict]:
    """The `limit` most frequent words, counted once per text (a text repeating a word is one)."""
    counts: Counter = Counter()
    for text in texts:
        counts.update(set(words(text)))
    # Ties in word order: counting from sets, most_common alone would order them differently
    # from one process to the next (string hashes are salted per process).
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [{"term": t, "count": n} for t, n in ranked[:limit]]
