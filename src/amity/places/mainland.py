"""Chinese place names in the simplified form a mainland reader expects.

GeoNames gives Han-script names without saying whose: Japanese kanji (横浜, 広島), Korean hanja
(龜尾), traditional characters (溫哥華) and Taiwan or Hong Kong renderings of foreign names (三藩市,
杜拜). `convert` turns one of them into the mainland form and says which rule fired:

- "japanese": Japanese shinjitai converted (OpenCC jp2t, then t2s). Only characters outside
  GB 2312, the mainland's standard character set, go through jp2t: applied to a whole name it also
  rewrites ordinary simplified characters (研 → 硏, 郎 → 郞, 沪 → 滤). 浜 is in GB 2312 (a rare
  character, bāng) but in a Japanese or Korean name it is always 濱 → 滨. The kana ヶ/ケ linking
  two kanji are dropped, as Chinese writing does (関ヶ原 → 关原, 龍ケ崎 → 龙崎).
- "traditional": traditional characters converted (OpenCC t2s).
- "exonym": a Taiwan or Hong Kong rendering of a foreign name replaced by the mainland one from
  `EXONYMS`, a table of entries checked one by one (never a transliteration made up here).
- "kept": the name was already in mainland form.

`choose_chinese_name` picks, among a place's Han-script alternates, the one to show.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import opencc
from pypinyin import lazy_pinyin

from amity.places.names import has_han, name_key

_T2S = opencc.OpenCC("t2s")
_JP2T = opencc.OpenCC("jp2t")

# Countries whose Han-script names are Japanese kanji or Korean hanja.
KANJI_COUNTRIES = frozenset({"JP", "KR", "KP"})
# Countries whose local names are romanisations of the Chinese name.
_ROMANISED = frozenset({"CN", "TW", "HK", "MO"})
# Kana marks read "of" between two kanji, left out in Chinese: 茅ヶ崎 → 茅崎, 霞ヶ関 → 霞关.
_LINKING_KANA = re.compile(r"(?<=[\u3400-\u9fff])[ヶケヵ](?=[\u3400-\u9fff])")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
# What jp2t + t2s leave outside GB 2312 though the mainland has a standard form.
_AFTER_OPENCC = str.maketrans(
    {
        "澁": "涩",  # 渋谷 → 澁谷 (jp2t) → 涩谷
        "姫": "姬",  # 姫路 → 姬路
        "戸": "户",  # 戸田, 瀬戸 → 户田, 濑户
        "氷": "冰",  # 氷見 → 冰见
        "鄕": "乡",  # 郷 → 鄕 (jp2t) → 乡
        "鑛": "矿",
        "擧": "举",
        "竝": "并",
        "倂": "并",
        "髙": "高",  # 髙 is the "ladder" variant of 高 in Japanese names
        "﨑": "崎",
        "嵜": "崎",
        "嶋": "岛",
        "呉": "吴",  # 呉 (Kure) → 吴
        "諌": "谏",  # 諌早 → 谏早
        "脇": "胁",
        "渕": "渊",
        "駄": "驮",  # 千駄木 → 千驮木
        "舎": "舍",
    }
)
# Variant characters OpenCC t2s leaves alone, with their standard form (通用规范汉字表).
_VARIANTS = str.maketrans({"楡": "榆", "寳": "宝", "砲": "炮", "韮": "韭"})
_MIN_NAME = 2  # a one-character "name" before a comma is a note (南，南苏丹)
_LIST_MARKS = frozenset(",，、/／_|;；:：")
# Han-script "alternates" in GeoNames that are not names.
_NOT_NAMES = frozenset({"日本語", "日本语", "中文", "汉语", "漢語"})

# (ISO country, Taiwan / Hong Kong / historical form, in simplified characters) → mainland form.
# Mainland forms are those of Xinhua's 外国地名译名手册, the standard the mainland press and
# the friendship-city lists follow; "TW" marks a Taiwan rendering, "HK" a Hong Kong
# (Cantonese-based) one. Only entries known for certain: a name missing here stays as it is.
EXONYMS: dict[tuple[str, str], str] = {
    ("AE", "杜拜"): "迪拜",  # TW, HK
    ("AE", "阿布达比"): "阿布扎比",  # TW
    ("AU", "雪梨"): "悉尼",  # TW
    ("AU", "坎培拉"): "堪培拉",  # TW
    ("AU", "布里斯本"): "布里斯班",  # TW
    ("AU", "布里司班"): "布里斯班",  # old HK
    ("AU", "伯斯"): "珀斯",  # TW
    ("AU", "柏斯"): "珀斯",  # HK
    ("AU", "荷巴特"): "霍巴特",  # TW
    ("AU", "阿德来得"): "阿德莱德",  # TW
    ("AT", "萨尔斯堡"): "萨尔茨堡",  # TW
    ("CA", "蒙特娄"): "蒙特利尔",  # TW
    ("CA", "卡加利"): "卡尔加里",  # TW, HK
    ("CA", "爱德蒙顿"): "埃德蒙顿",  # TW
    ("CH", "伯恩"): "伯尔尼",  # TW
    ("CL", "圣地牙哥"): "圣地亚哥",  # TW (Santiago de Chile)
    ("CR", "圣荷西"): "圣何塞",  # TW
    ("DE", "杜塞道夫"): "杜塞尔多夫",  # TW
    ("DE", "德勒斯登"): "德累斯顿",  # TW
    ("EG", "亚历山卓"): "亚历山大",  # TW
    ("ES", "巴塞隆纳"): "巴塞罗那",  # TW
    ("ES", "塞维亚"): "塞维利亚",  # TW
    ("FR", "梦比利耶"): "蒙彼利埃",  # TW
    ("FR", "土鲁斯"): "图卢兹",  # TW
    ("FR", "史特拉斯堡"): "斯特拉斯堡",  # TW
    ("GB", "伯明罕"): "伯明翰",  # TW
    ("GB", "卡地夫"): "加的夫",  # TW
    ("GB", "雪菲尔"): "谢菲尔德",  # TW
    ("GB", "列斯"): "利兹",  # HK
    ("GB", "诺定咸"): "诺丁汉",  # HK
    ("GB", "绿威志"): "格林尼治",  # old HK
    ("FR", "班合比让"): "佩皮尼昂",  # old HK
    ("NZ", "乌伯亨特"): "上哈特",  # old HK
    ("IN", "清奈"): "金奈",  # TW
    ("IN", "艾哈迈德堡"): "艾哈迈达巴德",  # a GeoNames variant; Xinhua: 艾哈迈达巴德
    ("IT", "佛罗伦斯"): "佛罗伦萨",  # TW
    ("IT", "拿坡里"): "那不勒斯",  # TW
    ("IT", "波隆那"): "博洛尼亚",  # TW
    ("KE", "奈洛比"): "内罗毕",  # TW
    ("NZ", "基督城"): "克赖斯特彻奇",  # TW, HK
    ("NZ", "威灵顿"): "惠灵顿",  # TW
    ("PH", "宿雾"): "宿务",  # TW
    ("SA", "利雅德"): "利雅得",  # TW
    ("TR", "伊斯坦堡"): "伊斯坦布尔",  # TW
    ("US", "三藩市"): "旧金山",  # HK
    ("US", "圣地牙哥"): "圣迭戈",  # TW (San Diego)
    ("US", "圣荷西"): "圣何塞",  # TW
    ("US", "休士顿"): "休斯敦",  # TW
    ("US", "沙加缅度"): "萨克拉门托",  # TW
    ("US", "纽奥良"): "新奥尔良",  # TW
    ("US", "雪城"): "锡拉丘兹",  # TW
    ("US", "水牛城"): "布法罗",  # TW
    ("US", "安克拉治"): "安克雷奇",  # TW
    ("ZA", "普利托利亚"): "比勒陀利亚",  # TW
    ("ZA", "普利托里亚"): "比勒陀利亚",  # TW
    ("ZA", "约翰尼斯堡"): "约翰内斯堡",  # TW
    ("BA", "塞拉耶佛"): "萨拉热窝",  # TW
    ("BR", "李斯腓"): "累西腓",  # old HK
    ("BR", "古里提巴"): "库里蒂巴",  # TW
    ("BJ", "吉大奴"): "科托努",  # old HK
    ("BZ", "贝尔墨邦"): "贝尔莫潘",  # TW
    ("HN", "德古斯加巴"): "特古西加尔巴",  # TW
    ("GT", "瓜地马拉市"): "危地马拉城",  # TW
    ("CV", "培亚"): "普拉亚",  # TW
    ("NI", "马拿瓜"): "马那瓜",  # TW
    ("NG", "拉哥斯"): "拉各斯",  # TW
    ("MV", "玛律"): "马累",  # TW
    ("LK", "可伦坡"): "科伦坡",  # TW
    ("DE", "古龙"): "科隆",  # HK
    ("TH", "布吉市"): "普吉市",  # HK
    ("TH", "坤敬市"): "孔敬",  # TW
    ("TH", "芭达亚"): "芭提雅",  # TW
    ("US", "列度洛埠"): "小石城",  # old HK
    ("US", "沙瓦纳"): "萨凡纳",  # TW
    ("US", "希活"): "海沃德",  # HK
    ("US", "明尼亚波利斯"): "明尼阿波利斯",  # TW
    ("US", "普若佛"): "普罗沃",  # TW
    ("RS", "诺威萨"): "诺维萨德",  # TW
    ("GB", "车士打菲特"): "切斯特菲尔德",  # HK
    ("GB", "黑潭"): "布莱克浦",  # HK
    ("GB", "伯斯"): "珀斯",  # TW (Perth, Scotland)
    ("NZ", "但尼丁"): "达尼丁",  # TW
    ("NZ", "罗托路亚"): "罗托鲁阿",  # TW
    ("NZ", "尼尔逊"): "纳尔逊",  # TW
    ("NZ", "哈密尔顿"): "汉密尔顿",  # TW
    ("CA", "哈密尔顿"): "汉密尔顿",  # TW
    ("CA", "圣汤玛士"): "圣托马斯",  # TW
    ("EG", "乐蜀"): "卢克索",  # HK
    ("FR", "亚维农"): "阿维尼翁",  # TW
    ("NL", "瓦罕宁恩"): "瓦赫宁根",  # TW
    ("JM", "京斯敦"): "金斯敦",  # TW
    ("PT", "波图"): "波尔图",  # TW
    ("LT", "考那斯"): "考纳斯",  # TW
    ("SE", "马尔莫"): "马尔默",  # TW
    ("AM", "叶里温"): "埃里温",  # TW
    ("UA", "聂伯城"): "第聂伯罗",  # TW
    ("ZA", "好望角镇"): "开普敦",  # a GeoNames calque ("Cape of Good Hope town")
    ("MA", "剌八"): "拉巴特",  # a Yuan-dynasty transcription
    ("TN", "昔兰尼"): "苏塞",  # a GeoNames error: 昔兰尼 is Cyrene, in Libya
    # Pre-1860 Chinese names of Russian cities: the mainland's official usage (treaties, the
    # friendship-city lists) is the transliteration, the old name only in brackets on maps.
    ("RU", "海参崴"): "符拉迪沃斯托克",
    ("RU", "伯力"): "哈巴罗夫斯克",
    ("RU", "双城子"): "乌苏里斯克",
    ("RU", "海兰泡"): "布拉戈维申斯克",
    ("RU", "烂沟崴"): "纳霍德卡",
    ("ID", "巴达威亚"): "雅加达",  # Batavia, the Dutch colonial name of Jakarta
    ("ID", "旧港"): "巨港",  # Palembang's Ming-dynasty name
    # The Japanese colonial name of Yuzhno-Sakhalinsk.
    ("RU", "丰原"): "南萨哈林斯克",
}


# What each rule adds to a name's source in places.name_zh_source ("geonames+opencc-jp").
RULE_SUFFIX = {
    "kept": "",
    "japanese": "+opencc-jp",
    "traditional": "+opencc-t2s",
    "exonym": "+exonym-table",
}


_WEIGHT = {"kept": 0, "traditional": 1, "japanese": 2, "exonym": 3}


@dataclass(frozen=True)
class MainlandName:
    """A name in mainland form and the rules that made it from the original."""

    name: str
    original: str
    rules: tuple[str, ...]  # () when the name was already in mainland form

    @property
    def rule(self) -> str:
        """The last rule that fired ("exonym" > "japanese" > "traditional"), or "kept"."""
        return self.rules[-1] if self.rules else "kept"


def in_gb2312(char: str) -> bool:
    """Whether a character is in GB 2312, the mainland's standard simplified character set."""
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def is_chinese_name(text: str) -> bool:
    """Han characters (hyphens and middle dots allowed), no kana, letters or list punctuation.

    GeoNames has Japanese names in kana, Latin transcriptions and notes ("南，南苏丹") among its
    Han-script alternates; none of them is a Chinese name.
    """
    text = _LINKING_KANA.sub("", unicodedata.normalize("NFC", text or "").strip())
    if not has_han(text) or text in _NOT_NAMES or _KANA.search(text):
        return False
    return not any((c.isalpha() and not has_han(c)) or c in _LIST_MARKS for c in text)


def is_japanese_form(text: str, *, country: str | None = None) -> bool:
    """Whether the name holds kana or a Japanese-only character form (横浜 in Japan, 広島)."""
    if _KANA.search(text) or (country in KANJI_COUNTRIES and "浜" in text):
        return True
    converted = _T2S.convert(text)
    return any(has_han(c) and not in_gb2312(c) and _jp_char(c) != c for c in converted)


@lru_cache(maxsize=4096)
def _jp_char(char: str) -> str:
    return _T2S.convert(_JP2T.convert(char)).translate(_AFTER_OPENCC)


@lru_cache(maxsize=100_000)
def convert(name: str, *, country: str | None = None) -> MainlandName:
    """The mainland form of a Chinese name (see the module docstring for the rules)."""
    original = name
    written = unicodedata.normalize("NFC", name or "").strip()
    japanese = _LINKING_KANA.sub("", written)
    if country in KANJI_COUNTRIES:
        japanese = japanese.replace("浜", "滨")
    simple = _T2S.convert(japanese).translate(_VARIANTS)
    text = "".join(c if in_gb2312(c) or not has_han(c) else _jp_char(c) for c in simple)
    rules: list[str] = []
    if japanese != written or text != simple:
        rules.append("japanese")  # OpenCC jp2t + t2s (t2s also did the kanji shared with 繁体)
    elif simple != written:
        rules.append("traditional")
    exonym = exonym_for(text, country)
    if exonym:
        text = exonym
        rules.append("exonym")
    return MainlandName(text, original, tuple(rules))


def exonym_for(name: str, country: str | None = None) -> str | None:
    """The mainland form of a Taiwan / Hong Kong / historical rendering, if the table has it."""
    if country:
        return EXONYMS.get((country.upper(), name))
    targets = {target for (_c, form), target in EXONYMS.items() if form == name}
    return targets.pop() if len(targets) == 1 else None


def mainland_name(name: str, *, country: str | None = None) -> str:
    """The name in simplified mainland form: 横浜 → 横滨, 溫哥華 → 温哥华, 三藩市 → 旧金山."""
    return convert(name, country=country).name


def is_mainland_form(name: str, *, country: str | None = None) -> bool:
    """Whether the name is a Chinese name that no rule would change."""
    return is_chinese_name(name) and not convert(name, country=country).rules


@dataclass(frozen=True)
class ChosenName:
    """The Chinese name chosen for a place and the rules that converted it."""

    name: str
    original: str
    rule: str  # kept | traditional | japanese | exonym


def _name_parts(text: str) -> list[str]:
    """The names in a GeoNames alternate: "文礼/文禮" is two, "哈姆特拉米克，密歇根州" is the first
    (a disambiguation after the comma), "塔利缅卡_" is "塔利缅卡"."""
    text = text.strip().strip("_")
    if "/" in text:
        return [part.strip() for part in text.split("/")]
    head, comma, _tail = text.replace(",", "，").partition("，")
    if comma and len(head.strip()) >= _MIN_NAME:
        return [head.strip()]
    return [text]


def choose_chinese_name(
    candidates: Iterable[str], *, country: str | None = None, local_name: str | None = None
) -> ChosenName | None:
    """The mainland Chinese name a place's Han-script names agree on, or None.

    Every candidate is converted and the results are grouped by lookup key (横滨 and 横滨市 are
    one name). The group with most candidates wins. Ties are broken by a candidate written in
    simplified script (holding a character only simplified Chinese has: mainland usage, where
    Taiwan and Hong Kong renderings come in traditional script), then by GeoNames' order. In
    China, Taiwan, Hong Kong and Macao the local name is a romanisation of the Chinese one, so
    there the name whose pinyin is closest to it wins the tie first (昆山, not 玉山, for Kunshan);
    elsewhere pinyin says little (Cantonese and Taiwan renderings are often closer to the
    English spelling than the mainland's: 柯士甸, 侯斯顿). Within the winning group the shortest
    name is shown (横滨 rather than 横滨市).
    """
    groups: dict[str, list[tuple[MainlandName, int]]] = {}
    for index, candidate in enumerate(c for text in candidates for c in _name_parts(text)):
        if not is_chinese_name(candidate):
            continue
        result = convert(candidate, country=country)
        groups.setdefault(name_key(result.name), []).append((result, index))
    if not groups:
        return None
    latin = name_key(local_name) if local_name and country in _ROMANISED else ""

    def score(members: list[tuple[MainlandName, int]]) -> tuple[int, float, bool, int]:
        close = max(_closeness(r.name, latin) for r, _i in members) if latin else 0.0
        written = any(_written_simplified(r) for r, _i in members)
        return (len(members), close, written, -min(i for _r, i in members))

    best = max(groups.values(), key=score)
    # The shortest name; among equals the one that needed the lightest rule (its source says so).
    result, _index = min(best, key=lambda m: (len(m[0].name), _WEIGHT[m[0].rule], m[1]))
    return ChosenName(result.name, result.original, result.rule)


def _written_simplified(result: MainlandName) -> bool:
    """Kept as written and holding a character traditional script lacks (not in Big5: 让, 绿)."""
    return not result.rules and any(has_han(c) and not _in_big5(c) for c in result.name)


def _in_big5(char: str) -> bool:
    try:
        char.encode("big5")
    except UnicodeEncodeError:
        return False
    return True


def _closeness(chinese: str, latin: str) -> float:
    spelled = "".join(lazy_pinyin(chinese, errors="ignore")).replace("ü", "u")
    return round(SequenceMatcher(None, spelled, latin).ratio(), 2)
