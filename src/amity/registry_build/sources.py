"""Readers for the vendored raw sources (see data/sources/README.md)."""

from __future__ import annotations

import csv
import gzip
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[3]
SOURCES_DIR = REPO_DIR / "data" / "sources"
WIKIPEDIA = "wikipedia_twin_cities_hekman.csv.gz"
WIKIDATA_GRAPH = "wikidata_p190_cities.gexf.gz"
WIKIDATA_QUERY = "wikidata_p190_query_2021-11-12.csv.gz"
SOURCE_LABELS = {
    "wikipedia": "wikipedia-lists via Hekman/twincities",
    "wikidata": "wikidata P190 via albertoursino/graphs-comparison (query 2021-11)",
}
_POINT = re.compile(r"Point\(([-\d.eE]+) ([-\d.eE]+)\)")


@dataclass
class Side:
    """One side of a source row as the source wrote it, plus what the rules decide about it."""

    name: str
    country_raw: str
    lat: float | None
    lon: float | None
    wikidata: str | None = None
    population: int | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, set by countries.country_code
    flags: list[str] = field(default_factory=list)


@dataclass
class SourceRow:
    """One row of a source: an undirected pair as one list or one statement gave it."""

    row_id: str  # wp00001 = line 1 of the Wikipedia scrape, wd00001 = line 1 of the query
    source: str  # wikipedia | wikidata
    a: Side
    b: Side


def _text(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8")


def _float(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def read_wikipedia(directory: Path = SOURCES_DIR, limit: int | None = None) -> list[SourceRow]:
    """The rows of the Wikipedia-list scrape, numbered by their line in the file."""
    reader = csv.DictReader(io.StringIO(_text(directory / WIKIPEDIA), newline=""))
    rows = []
    for number, r in enumerate(reader, start=1):
        if limit is not None and number > limit:
            break
        rows.append(
            SourceRow(
                f"wp{number:05d}",
                "wikipedia",
                *(
                    Side(r[f"city{n}"].strip(), r[f"country{n}"].strip(),
                         _float(r[f"lat{n}"]), _float(r[f"lng{n}"]))
                    for n in (1, 2)
                ),
            )
        )
    return rows


@dataclass(frozen=True)
class WikidataCity:
    qid: str
    label: str
    lat: float | None
    lon: float | None
    population: int | None
    country_raw: str


def read_wikidata_graph(directory: Path = SOURCES_DIR) -> dict[str, WikidataCity]:
    """The GEXF graph's cities by Q-id (the only Wikidata file that names countries)."""
    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ET.fromstring(_text(directory / WIKIDATA_GRAPH))
    cities = {}
    for node in root.iterfind(".//g:node", ns):
        values = {v.get("for"): v.get("value") for v in node.iterfind(".//g:attvalue", ns)}
        population = _float(values.get("3", ""))
        cities[node.get("id")] = WikidataCity(
            node.get("id"),
            node.get("label") or "",
            _float(values.get("2", "")),
            _float(values.get("1", "")),
            int(population) if population else None,
            values.get("4", ""),
        )
    return cities


def _qid(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def _point(wkt: str) -> tuple[float | None, float | None]:
    match = _POINT.search(wkt or "")
    return (float(match.group(2)), float(match.group(1))) if match else (None, None)


# The query's labels are Italian ("Pechino", "Distretto di Wuzhong", "Nord Jeolla").
_ITALIAN_UNIT = re.compile(
    r"(?i)^(?:città|citta|comune|distretto|municipalità|provincia|contea|regione|prefettura|"
    r"area metropolitana|circondario|distretto speciale)\s+(?:di|del|della|dello|dei|de|d')\s*")
_ITALIAN_DIRECTION = {"nord": "North", "sud": "South", "ovest": "West", "est": "East"}


def italian_label(label: str) -> str:
    """Rule: an Italian query label without its unit words, directions in English: the graph
    file's English label is used instead wherever it knows the city."""
    text = _ITALIAN_UNIT.sub("", label.strip())
    first, _, rest = text.partition(" ")
    if rest and first.lower() in _ITALIAN_DIRECTION:
        text = f"{_ITALIAN_DIRECTION[first.lower()]} {rest}"
    return text


def read_wikidata(directory: Path = SOURCES_DIR, limit: int | None = None) -> list[SourceRow]:
    """The P190 statements of the query, one row per statement (both directions are kept: the
    pair rules merge them), with countries and English labels from the graph file where it
    knows the city (the query's labels are Italian)."""
    graph = read_wikidata_graph(directory)
    reader = csv.DictReader(io.StringIO(_text(directory / WIKIDATA_QUERY), newline=""))
    rows = []
    for number, r in enumerate(reader, start=1):
        if limit is not None and number > limit:
            break
        sides = []
        for prefix in ("city", "sister"):
            qid = _qid(r[prefix])
            lat, lon = _point(r[f"{prefix}_coordinate_location"])
            population = _float(r[f"{prefix}_population"])
            known = graph.get(qid)
            sides.append(
                Side(
                    known.label if known else italian_label(r[f"{prefix}Label"]),
                    known.country_raw if known else "",
                    lat,
                    lon,
                    wikidata=qid,
                    population=int(population) if population else None,
                )
            )
        rows.append(SourceRow(f"wd{number:05d}", "wikidata", *sides))
    return rows
