"""What it means for a recommendation's reason to contradict its sign, written out in code.

A reason reads as a plus or a minus by its words. The cues below are words that can only be read
one way ("in common:", "similar" are pluses; "no partners", "a long way" are minuses); a reason
whose sign is the other way contradicts its text. Two rules the issue names are spelled out too:
a plus never states zero shared partners, and a minus about the ties between the countries is
worded as saturation (one more adds little) or as a weak base (few partnerships), never as a
bare count of existing pairs.
"""

from __future__ import annotations

import re

PLUS_CUES = (
    "个相同：", "相近", "广泛", "相对较近", "有往来", "基础较好", "经验", "合作基础", "拓展空间",
    "新方向", "同属", "同为", "自述相合", "行政级别相同", "一带一路", "布局薄弱", "已有友城距",
    "in common:", "similar", "well connected", "nearer", "twinned with", ": common ground",
    "used to working", "a foothold", "room to grow", "new ground", "same climate", "both coastal",
    "both inland", "declared in common", "same administrative", "Belt and Road",
    "under-represented", " km from ", "规模搭配相符", "a common match",
)  # fmt: skip
MINUS_CUES = (
    "没有", "较远", "相差较大", "较少", "较弱", "意义较小", "行政级别不同", "气候带不同",
    "一方沿海、一方内陆", "no partners in common", "no partners yet", "no ties", "no partner near",
    "a long way", "far apart", "few partners", "few partnerships", "little",
    "different administrative", "different climate", "one coastal, one inland",
)  # fmt: skip
ZERO_SHARED = re.compile(
    r"(?<![\d,.])0 ?(个相同|partners? in common)|没有共同|no partners in common"
)
SATURATION_OR_FEW = ("意义较小", "较少", "较弱", "adds little", "few partnerships")


def contradictions(sign: str, factor: str, text: dict[str, str]) -> list[str]:
    """Why a reason with this sign ("+" / "-") and text contradicts itself (empty: it does not)."""
    found = []
    words = f"{text['en']} | {text['zh']}"
    if sign == "+":
        found += [f"plus says {cue!r}" for cue in MINUS_CUES if cue in words]
        if ZERO_SHARED.search(words):
            found.append("plus says no partners in common")
    else:
        found += [f"minus says {cue!r}" for cue in PLUS_CUES if cue in words]
        if factor == "country_ties" and not any(c in words for c in SATURATION_OR_FEW):
            found.append("minus country tie not worded as saturation or a weak base")
    return found


def every_contradiction(result: dict) -> list[tuple[str, str, str, list[str]]]:
    """Each reason shown (and each factor's plain reason) that contradicts its sign."""
    bad = []
    for row in result["results"]:
        for r in row["reasons"]:
            number = r["contribution"]
            if (number > 0) != (r["sign"] == "+") or number == 0:
                bad.append((row["name"], r["factor"], r["text"]["zh"], ["sign not its number's"]))
            if problems := contradictions(r["sign"], r["factor"], r["text"]):
                bad.append((row["name"], r["factor"], r["text"]["zh"], problems))
        for f in row["factors"]:
            if not f["reason"]["en"]:
                continue
            sign = "+" if f["contribution"] > 0 else "-"
            if problems := contradictions(sign, f["factor"], f["reason"]):
                bad.append((row["name"], f["factor"], f["reason"]["zh"], problems))
    return bad
