"""Words for the search index: Chinese segmented by jieba, English lower-cased and stemmed.

Neither SQLite's unicode61 nor PostgreSQL's parsers know where Chinese words end, so the text is
cut into words here, with the same tokenizer and dictionary for documents and queries, and the
engines only ever see words separated by spaces.
"""

from __future__ import annotations

import csv
import logging
import re
from functools import lru_cache
from pathlib import Path

import jieba
import opencc

DICTIONARY = Path(__file__).with_name("dictionary.txt")
FACTS = Path(__file__).resolve().parent.parent / "data" / "facts"
# Suffixes that place names are also written without (陕西省 → 陕西, 西宁市 → 西宁).
_PLACE_SUFFIXES = ("特别行政区", "自治区", "自治州", "地区", "省", "市", "盟")
# High enough that jieba keeps the word whole next to any common neighbour.
_WORD_FREQ = 200_000
_LATIN = re.compile(r"[a-z0-9]")
_HAN = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """jieba with the domain words and Chinese place and country names kept whole."""
    jieba.setLogLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    segmenter.initialize()
    for word in dictionary_words():
        segmenter.add_word(word, freq=_WORD_FREQ)
    return segmenter


def dictionary_words() -> list[str]:
    """The custom dictionary: domain words, then place and country names (with short forms)."""
    words = [w.strip() for w in DICTIONARY.read_text(encoding="utf-8").splitlines() if w.strip()]
    for name, column in (
        ("cn_provinces.csv", "name_zh"),
        ("cn_prefectures.csv", "name_zh"),
        ("countries.csv", "name_zh"),
    ):
        with (FACTS / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                words.extend(_place_forms(row[column]))
    return list(dict.fromkeys(w for w in words if len(w) >= 2))


def _place_forms(name: str) -> list[str]:
    for suffix in _PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return [name, name[: -len(suffix)]]
    return [name]


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """Simplified script, lower case: the form both documents and queries are cut from."""
    return _to_simplified().convert(text).lower()


def stem(word: str) -> str:
    """Harman's S-stemmer: plurals to singular (cities → city), conservative on purpose."""
    if len(word) > 3 and word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if len(word) > 2 and word.endswith("s") and not word.endswith(("us", "ss")):
        return word[:-1]
    return word


def _is_word(token: str) -> bool:
    return bool(_HAN.search(token) or _LATIN.search(token))


def _term(token: str) -> str:
    return token if _HAN.search(token) else stem(token)


def index_terms(text: str | None) -> list[str]:
    """The terms a document is indexed under (jieba's search mode: words and their parts)."""
    if not text:
        return []
    cut = tokenizer().cut_for_search(normalise(text))
    return [_term(token) for token in cut if _is_word(token)]


def query_words(text: str) -> list[list[str]]:
    """A query's words, each with its parts: [["苹果园", "苹果", "果园"], ["orchard"]].

    A word matches a document holding it whole or holding all its parts, so a query is found
    even where jieba cut the document's sentence differently.
    """
    words = []
    for token in tokenizer().cut(normalise(text)):
        if not _is_word(token):
            continue
        word = _term(token)
        parts = [_term(p) for p in tokenizer().cut_for_search(token) if _is_word(p)]
        words.append([word, *[p for p in parts if p != word]])
    return words
