"""Index frameworks kept as YAML files: pillars, indicators and the method, checked on load.

Every problem is reported with its place in the file ("pillars[1].indicators[0].direction: ..."),
all at once, so a framework author fixes a file in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from amity.core.errors import InvalidInput, NotFound
from amity.indices.indicators import AMITY_INDICATORS

FRAMEWORKS = Path(__file__).resolve().parent / "frameworks"
IMPUTATIONS = ("none", "mean", "pillar_mean", "worst")
NORMALISATIONS = ("minmax", "zscore", "rank", "target")
WEIGHTINGS = ("equal", "config", "pca")
AGGREGATIONS = ("arithmetic", "geometric")
CHOICES = {
    "imputation": IMPUTATIONS,
    "normalisation": NORMALISATIONS,
    "weighting": WEIGHTINGS,
    "aggregation": AGGREGATIONS,
}
DIRECTIONS = {"+": 1, "positive": 1, "-": -1, "negative": -1}
SOURCES = ("amity", "external")
TRANSFORMS = (None, "log1p")
MISSING = (None, "zero")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
MAX_RUNS = 10_000
# Coverage rules (docs/index.md, "Coverage"): an indicator enters the index of a level only when
# at least INDICATOR_COVERAGE of that level's places have a recorded value for it, since below
# half the column would be mostly imputed or zero-by-absence and rank the few places somebody
# recorded; a place is ranked only with records for at least UNIT_COVERAGE of the entering
# indicators (two thirds, rounded down so that 2 of 3 passes) and one in every entering pillar.
INDICATOR_COVERAGE = 0.5
UNIT_COVERAGE = 0.66


@dataclass(frozen=True)
class Indicator:
    code: str
    label: dict[str, str]
    source: str
    direction: int
    weight: float
    transform: str | None
    missing: str | None
    target: float | None
    unit: str | None
    note: dict[str, str]


@dataclass(frozen=True)
class Pillar:
    code: str
    label: dict[str, str]
    description: dict[str, str]
    weight: float
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Framework:
    name: str
    title: dict[str, str]
    description: dict[str, str]
    reference: str
    method: dict[str, str]
    alternatives: dict[str, tuple[str, ...]]
    weight_noise: float
    runs: int
    seed: int
    pillars: tuple[Pillar, ...]
    indicator_coverage: float = INDICATOR_COVERAGE
    unit_coverage: float = UNIT_COVERAGE
    path: str = field(default="", compare=False)

    @property
    def indicators(self) -> list[Indicator]:
        return [ind for pillar in self.pillars for ind in pillar.indicators]


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def mapping(self, value: Any, where: str) -> dict:
        if not isinstance(value, dict):
            self.fail(where, "must be a mapping")
            return {}
        return value

    def text(self, data: dict, key: str, where: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where}.{key}", "must be non-empty text")
            return ""
        return value.strip()

    def bilingual(self, data: dict, key: str, where: str, *, required: bool = True) -> dict:
        value = data.get(key)
        if value is None and not required:
            return {}
        if not isinstance(value, dict) or not all(
            isinstance(value.get(lang), str) and value[lang].strip() for lang in ("en", "zh")
        ):
            self.fail(f"{where}.{key}", "must give text in both languages: {en: ..., zh: ...}")
            return {"en": "", "zh": ""}
        return {"en": value["en"].strip(), "zh": value["zh"].strip()}

    def number(self, data: dict, key: str, where: str, default: float | None, *, positive: bool):
        value = data.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(f"{where}.{key}", f"must be a number (got {value!r})")
            return default
        if positive and value <= 0:
            self.fail(f"{where}.{key}", f"must be greater than 0 (got {value!r})")
            return default
        return float(value)

    def choice(self, value: Any, allowed: tuple, where: str) -> Any:
        if value not in allowed:
            shown = ", ".join(repr(a) for a in allowed if a is not None)
            self.fail(where, f"must be one of {shown} (got {value!r})")
            return allowed[0]
        return value

    def code(self, data: dict, where: str, seen: set[str]) -> str:
        code = data.get("code")
        if not isinstance(code, str) or not CODE.match(code):
            self.fail(f"{where}.code", f"must be lower-case letters, digits and _ (got {code!r})")
            return ""
        if code in seen:
            self.fail(f"{where}.code", f"{code!r} is used twice")
        seen.add(code)
        return code


def parse_framework(data: Any, *, path: str = "") -> Framework:
    """A Framework from parsed YAML; InvalidInput lists every problem found."""
    check = _Checker()
    root = check.mapping(data, "framework")
    name = root.get("name")
    if not isinstance(name, str) or not CODE.match(name):
        check.fail("name", f"must be lower-case letters, digits and _ (got {name!r})")
    method_data = check.mapping(root.get("method", {}), "method")
    method = {}
    for key, allowed in CHOICES.items():
        method[key] = check.choice(method_data.get(key), allowed, f"method.{key}")
    unc = check.mapping(root.get("uncertainty", {}), "uncertainty")
    alternatives = {}
    for key, allowed in CHOICES.items():
        listed = unc.get(key, [method[key]])
        if not isinstance(listed, list) or not listed:
            check.fail(f"uncertainty.{key}", "must be a non-empty list")
            listed = [method[key]]
        values = tuple(check.choice(v, allowed, f"uncertainty.{key}") for v in listed)
        if method[key] not in values:
            check.fail(f"uncertainty.{key}", f"must include the method's choice {method[key]!r}")
        alternatives[key] = tuple(dict.fromkeys(values))
    noise = check.number(unc, "weight_noise", "uncertainty", 0.0, positive=False)
    if noise is not None and not 0 <= noise < 1:
        check.fail("uncertainty.weight_noise", f"must be in [0, 1) (got {noise})")
    runs = unc.get("runs", 1000)
    if not isinstance(runs, int) or isinstance(runs, bool) or not 1 <= runs <= MAX_RUNS:
        check.fail("uncertainty.runs", f"must be a whole number from 1 to {MAX_RUNS}")
        runs = 1000
    seed = unc.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        check.fail("uncertainty.seed", "must be a whole number ≥ 0")
        seed = 0
    coverage = check.mapping(root.get("coverage", {}), "coverage")
    thresholds = {}
    for key, default in (("indicator", INDICATOR_COVERAGE), ("unit", UNIT_COVERAGE)):
        value = check.number(coverage, key, "coverage", default, positive=True)
        if value is not None and value > 1:
            check.fail(f"coverage.{key}", f"must be a share in (0, 1] (got {value})")
        thresholds[key] = value if value is not None else default
    pillars_data = root.get("pillars")
    if not isinstance(pillars_data, list) or not pillars_data:
        check.fail("pillars", "must be a non-empty list")
        pillars_data = []
    pillars, pillar_codes, indicator_codes = [], set(), set()
    for i, raw in enumerate(pillars_data):
        pillars.append(_pillar(check, raw, f"pillars[{i}]", pillar_codes, indicator_codes))
    if check.problems:
        where = f" ({path})" if path else ""
        raise InvalidInput(
            f"The framework{where} is not valid: " + "; ".join(check.problems),
            {"problems": check.problems, "path": path},
        )
    return Framework(
        name=name,
        title=check.bilingual(root, "title", "framework"),
        description=check.bilingual(root, "description", "framework"),
        reference=check.text(root, "reference", "framework", required=False),
        method=method,
        alternatives=alternatives,
        weight_noise=noise or 0.0,
        runs=runs,
        seed=seed,
        pillars=tuple(pillars),
        indicator_coverage=thresholds["indicator"],
        unit_coverage=thresholds["unit"],
        path=path,
    )


def _pillar(check: _Checker, raw: Any, where: str, codes: set, indicator_codes: set) -> Pillar:
    data = check.mapping(raw, where)
    code = check.code(data, where, codes)
    items = data.get("indicators")
    if not isinstance(items, list) or not items:
        check.fail(f"{where}.indicators", "must be a non-empty list")
        items = []
    indicators = tuple(
        _indicator(check, item, f"{where}.indicators[{j}]", indicator_codes)
        for j, item in enumerate(items)
    )
    return Pillar(
        code=code,
        label=check.bilingual(data, "label", where),
        description=check.bilingual(data, "description", where, required=False),
        weight=check.number(data, "weight", where, 1.0, positive=True) or 1.0,
        indicators=indicators,
    )


def _indicator(check: _Checker, raw: Any, where: str, codes: set) -> Indicator:
    data = check.mapping(raw, where)
    code = check.code(data, where, codes)
    source = check.choice(data.get("source"), SOURCES, f"{where}.source")
    if source == "amity" and code and code not in AMITY_INDICATORS:
        known = ", ".join(sorted(AMITY_INDICATORS))
        check.fail(f"{where}.code", f"{code!r} is not an Amity indicator (known: {known})")
    direction = data.get("direction")
    if direction not in DIRECTIONS:
        check.fail(
            f"{where}.direction",
            f"must be 'positive' or 'negative' (or a quoted '+' / '-'), got {direction!r}",
        )
    label = check.bilingual(data, "label", where, required=source == "external")
    if not label and code in AMITY_INDICATORS:
        label = dict(AMITY_INDICATORS[code].label)
    return Indicator(
        code=code,
        label=label,
        source=source,
        direction=DIRECTIONS.get(direction, 1),
        weight=check.number(data, "weight", where, 1.0, positive=True) or 1.0,
        transform=check.choice(data.get("transform"), TRANSFORMS, f"{where}.transform"),
        missing=check.choice(data.get("missing"), MISSING, f"{where}.missing"),
        target=check.number(data, "target", where, None, positive=True),
        unit=data.get("unit") if isinstance(data.get("unit"), str) else None,
        note=check.bilingual(data, "note", where, required=False),
    )


def load_framework_file(path: Path) -> Framework:
    """Read and check one framework file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InvalidInput(f"The framework ({path.name}) is not valid YAML: {exc}") from exc
    return parse_framework(data, path=path.name)


@lru_cache(maxsize=1)
def frameworks() -> dict[str, Framework]:
    """The frameworks shipped with Amity, by name."""
    found = {}
    for path in sorted(FRAMEWORKS.glob("*.yaml")):
        framework = load_framework_file(path)
        found[framework.name] = framework
    return found


DEFAULT_FRAMEWORK = "prr"


def get_framework(name: str | None) -> Framework:
    """A shipped framework by name (the Popularity–Reputation–Recognition one by default)."""
    name = name or DEFAULT_FRAMEWORK
    known = frameworks()
    if name not in known:
        raise NotFound(f"No index framework named {name!r}", {"known": sorted(known)})
    return known[name]
