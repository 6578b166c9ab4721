"""The three phases of China's friendship-city history, and pairs counted by year and phase.

Source: CPAFFC / China International Friendship Cities Association, "友好城市：谱写民间外交事业
新篇章" (Friendship Cities: A New Chapter for People-to-People Diplomacy), 2016, kept in the
project's seeds (002_8232a5a582ba6ec4.txt):
- Phase I, 起步探索阶段 "early exploration", 1973–1978: 6 pairs, with Japan only (the first,
  Tianjin–Kobe, in 1973);
- Phase II, 深入发展阶段 "gradual expansion", 1978–1991: 390 pairs by its end;
- Phase III, 蓬勃发展阶段 "rapid expansion", from 1992 (the CIFCA was founded that year).
The source lets 1978 close phase I and open phase II; here it closes phase I (the six pairs
were counted "1973–1978", and the reform era began in December 1978), so phase II starts in 1979.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from amity.analytics.snapshot import PairInfo

SOURCE = (
    "CPAFFC / CIFCA, 友好城市：谱写民间外交事业新篇章 (Friendship Cities: A New Chapter for "
    "People-to-People Diplomacy), 2016"
)
FIRST_PAIR_YEAR = 1973  # Tianjin–Kobe


@dataclass(frozen=True)
class Phase:
    code: str
    first: int
    last: int | None  # None: still running
    name_en: str
    name_zh: str
    official_pairs: int | None  # the source's count at the phase's end (cumulative)


PHASES = (
    Phase("I", 1973, 1978, "Early exploration", "起步探索阶段", 6),
    Phase("II", 1979, 1991, "Gradual expansion", "深入发展阶段", 390),
    Phase("III", 1992, None, "Rapid expansion", "蓬勃发展阶段", None),
)


def phase_of(year: int) -> str:
    """The phase code of a signing year ("before" for a year before 1973)."""
    for phase in PHASES:
        if year >= phase.first and (phase.last is None or year <= phase.last):
            return phase.code
    return "before"


def year_rows(pairs: Iterable[PairInfo]) -> dict[str, Any]:
    """Pairs signed each year, with the running total, and how many carry no year."""
    years: Counter = Counter()
    undated = 0
    for pair in pairs:
        if pair.established_year is None:
            undated += 1
        else:
            years[pair.established_year] += 1
    rows, running = [], 0
    for year in sorted(years):
        running += years[year]
        rows.append({"year": year, "pairs": years[year], "cumulative": running,
                     "phase": phase_of(year)})  # fmt: skip
    return {"rows": rows, "dated": running, "undated": undated}


def phase_rows(pairs: Iterable[PairInfo]) -> dict[str, Any]:
    """Pairs signed in each phase (and before the first), beside the source's counts."""
    counts = Counter(phase_of(p.established_year) for p in pairs if p.established_year)
    rows, running = [], counts.get("before", 0)
    for phase in PHASES:
        running += counts.get(phase.code, 0)
        rows.append({
            "phase": phase.code, "first": phase.first, "last": phase.last,
            "name_en": phase.name_en, "name_zh": phase.name_zh,
            "pairs": counts.get(phase.code, 0), "cumulative": running,
            "official_cumulative": phase.official_pairs,
        })  # fmt: skip
    return {"before": counts.get("before", 0), "rows": rows, "source": SOURCE}
