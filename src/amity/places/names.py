"""Name normalisation: one lookup key for every spelling of a place name.

`name_key` folds case, width, diacritics, traditional characters, pinyin tones, punctuation and
administrative suffixes, so "Xī'ān", "xian", "西安市" and "西安" share the key "xian" / "西安".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc
from pypinyin import Style, lazy_pinyin

_T2S = opencc.OpenCC("t2s")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# Letters that NFKD does not decompose into a base letter plus a mark.
_FOLD = str.maketrans(
    {"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "þ": "th", "æ": "ae", "œ": "oe"}
)

# Ethnic groups named in Chinese autonomous divisions (广西壮族自治区, 黔东南苗族侗族自治州...).
_ETHNIC = (
    "维吾尔|哈萨克|柯尔克孜|蒙古|朝鲜|土家|布依|哈尼|景颇|傈僳|纳西|仡佬|撒拉|东乡|保安|裕固|达斡尔|"
    "鄂温克|鄂伦春|锡伯|毛南|仫佬|拉祜|独龙|普米|德昂|阿昌|布朗|基诺|门巴|珞巴|赫哲|塔吉克|"
    "乌孜别克|俄罗斯|塔塔尔|高山|壮|回|藏|苗|侗|彝|傣|白|羌|黎|畲|瑶|水|土|满|京|佤|怒"
)
# Prefecture names sometimes omit 族 after these two (博尔塔拉蒙古自治州); 内蒙古 needs it kept.
_ETHNIC_GROUPS = rf"(?:(?:{_ETHNIC})族|蒙古|柯尔克孜)*"
_ZH_SUFFIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(.+?)特别行政区$"), "province"),
    (re.compile(rf"^(.+?)(?:(?:{_ETHNIC})族|维吾尔)*自治区$"), "province"),
    (re.compile(rf"^(.+?){_ETHNIC_GROUPS}自治[州县旗]$"), "city"),
    (re.compile(r"^(.+?)省$"), "province"),
    (re.compile(r"^(.+?)(?:市|地区|盟)$"), "city"),
)
# Longest first, so "prefecture-level city" wins over "city".
_LATIN_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("special administrative region", "province"),
    ("autonomous region", "province"),
    ("autonomous prefecture", "city"),
    ("prefecture level city", "city"),
    ("prefecturelevel city", "city"),
    ("municipality", "city"),
    ("prefecture", "city"),
    ("province", "province"),
    ("league", "city"),
    ("sheng", "province"),
    ("city", "city"),
    ("shi", "city"),
    ("sar", "province"),
)
_TONE_DIGIT = re.compile(r"(?<=[a-z])[1-5](?![0-9])")
_NOT_WORD = re.compile(r"[\W_]+")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_/.,]+")
# Remainders shorter than this keep their suffix: 沙市 stays 沙市, "Li Shi" stays "lishi".
_MIN_ZH_STEM = 2
_MIN_LATIN_STEM = 3


@dataclass(frozen=True)
class ParsedName:
    """A lookup key and the kind of place its stripped suffix implied, if any."""

    key: str
    kind: str | None


def has_han(text: str) -> bool:
    """Whether the text contains Chinese characters."""
    return bool(_HAN.search(text))


def simplified(text: str) -> str:
    """The text with traditional Chinese characters converted to simplified ones."""
    return _T2S.convert(text) if has_han(text) else text


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    text = simplified(text).translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", text)


def _strip_zh_suffix(text: str) -> tuple[str, str | None]:
    compact = _NOT_WORD.sub("", text)
    for pattern, kind in _ZH_SUFFIXES:
        match = pattern.match(compact)
        if match and len(match.group(1)) >= _MIN_ZH_STEM:
            return match.group(1), kind
    return compact, None


def _strip_latin_suffix(text: str) -> tuple[str, str | None]:
    words = " ".join(w for w in _SEPARATORS.split(text.replace("'", "").replace("’", "")) if w)
    for suffix, kind in _LATIN_SUFFIXES:
        if words.endswith(" " + suffix):
            stem = words[: -len(suffix) - 1]
            if len(_NOT_WORD.sub("", stem)) >= _MIN_LATIN_STEM:
                return stem, kind
    return words, None


@lru_cache(maxsize=200_000)
def parse_name(text: str) -> ParsedName:
    """Normalise a name to its lookup key, remembering the kind its suffix implied."""
    folded = _TONE_DIGIT.sub("", _fold(text or "").strip())
    stem, kind = _strip_zh_suffix(folded) if has_han(folded) else _strip_latin_suffix(folded)
    return ParsedName(_NOT_WORD.sub("", stem), kind)


def name_key(text: str) -> str:
    """The normalised lookup key of a place name (see the module docstring)."""
    return parse_name(text).key


def pinyin_of(zh: str, *, tones: bool = False) -> str:
    """Hanyu pinyin of a Chinese name as one capitalised word: 西安 → "Xi'an" (or "Xī'ān")."""
    # Simplified first: the phrase dictionary knows 厦门 (Xiàmén) better than 廈門.
    syllables = lazy_pinyin(
        simplified(zh), style=Style.TONE if tones else Style.NORMAL, errors="ignore"
    )
    word = ""
    for syllable in syllables:
        # The apostrophe keeps syllable boundaries readable: Xi'an is not Xian.
        if word and syllable[:1].lower() in "aeoāáǎàēéěèōóǒò":
            word += "'"
        word += syllable
    return word[:1].upper() + word[1:]
