"""Re-vendor src/amity/data/facts/countries.csv with Chinese country names from CLDR.

    .venv/bin/python scripts/vendor_countries.py [SOURCE]

SOURCE defaults to ../shared/data/facts/countries.csv (codes, English names, continents, UN
regions). `name_zh` is CLDR's simplified-Chinese territory name (Babel, locale zh_Hans), the one
standard list; the only overrides are the home-country convention (amity.core.conventions):
with China as home, HK, MO and TW are 中国香港, 中国澳门, 中国台湾 (HOME_REGIONS), and a
country is named as China's government names it where CLDR differs (HOME_COUNTRY_NAMES_ZH):
PS is 巴勒斯坦, the State of Palestine that China recognises, not CLDR's 巴勒斯坦领土
("Palestinian territories"). `name_zh_iso` is kept as is.
tests/places/test_countries.py checks the shipped file against Babel.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from babel import Locale

from amity.core.conventions import HOME_COUNTRY_NAMES_ZH, HOME_REGIONS

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/amity/data/facts/countries.csv"
DEFAULT_SOURCE = ROOT.parents[1] / "shared/data/facts/countries.csv"


def cldr_name_zh(iso2: str) -> str | None:
    """The country's name under the convention: CLDR zh_Hans, or the home country's name for it."""
    if iso2 in HOME_REGIONS["CN"]:
        return HOME_REGIONS["CN"][iso2][1]
    if iso2 in HOME_COUNTRY_NAMES_ZH["CN"]:
        return HOME_COUNTRY_NAMES_ZH["CN"][iso2]
    return Locale.parse("zh_Hans").territories.get(iso2)


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    changed = 0
    for row in rows:
        name = cldr_name_zh(row["iso2"])
        if name is None:
            raise SystemExit(f"CLDR has no Chinese name for {row['iso2']}")
        changed += name != row["name_zh"]
        row["name_zh"] = name
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    OUT.write_bytes(text.getvalue().encode("utf-8"))  # keeps the source's CRLF line ends
    print(f"{len(rows)} countries, {changed} Chinese names taken from CLDR, wrote {OUT}")


if __name__ == "__main__":
    main()
