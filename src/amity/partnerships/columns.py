"""Which column of an uploaded table holds which field of a partnership."""

from __future__ import annotations

import re

from amity.core.errors import InvalidInput

REQUIRED = ("a_name", "b_name")

# Headers seen in English and Chinese registers, compared after normalise_header().
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "a_name": (
        "city1",
        "citya",
        "aname",
        "acity",
        "city",
        "name1",
        "place1",
        "placea",
        "homecity",
        "chinesecity",
        "chineseside",
        "城市",
        "城市1",
        "中方城市",
        "中方",
        "中方省市",
        "国内城市",
        "本方城市",
        "中方城市名称",
        "中方省份",
        "中方省区市",
        "中方省州",
        "中方地方政府",
        "中方单位",
    ),
    "a_country": (
        "country1",
        "countrya",
        "acountry",
        "acountryiso2",
        "countrycode1",
        "国家",
        "国家1",
        "中方国家",
    ),
    "a_lat": ("lat1", "lata", "alat", "latitude1", "纬度1"),
    "a_lon": ("lng1", "lon1", "long1", "lona", "alon", "alng", "longitude1", "经度1"),
    "a_wikidata": ("awikidata", "wikidata1", "wikidataa"),
    "b_name": (
        "city2",
        "cityb",
        "bname",
        "bcity",
        "partner",
        "partnercity",
        "foreigncity",
        "foreignside",
        "sistercity",
        "twincity",
        "name2",
        "place2",
        "placeb",
        "外方城市",
        "友好城市",
        "对方城市",
        "外方",
        "城市2",
        "外方省市",
        "外方城市名称",
        "结好城市",
        "外方省州",
        "外方省份",
        "外方省州市",
        "外方城市省州",
        "外方地方政府",
        "外方单位",
    ),
    "b_country": (
        "country2",
        "countryb",
        "bcountry",
        "bcountryiso2",
        "countrycode2",
        "partnercountry",
        "foreigncountry",
        "对方国家",
        "外方国家",
        "国家2",
        "所在国家",
        "外方国别",
        "国别",
    ),
    "b_lat": ("lat2", "latb", "blat", "latitude2", "纬度2"),
    "b_lon": ("lng2", "lon2", "long2", "lonb", "blon", "blng", "longitude2", "经度2"),
    "b_wikidata": ("bwikidata", "wikidata2", "wikidatab"),
    "established": (
        "date",
        "established",
        "signed",
        "signedon",
        "signingdate",
        "since",
        "year",
        "签约日期",
        "结好时间",
        "签约时间",
        "结好日期",
        "建立时间",
        "缔结时间",
        "结好年份",
        "缔结日期",
        "结好年月",
        "签署时间",
        "签字时间",
        "确认时间",
    ),
    # The Chinese province of the home side, in tables that list 省份 beside 中方城市: a hint
    # that tells two namesakes apart; alone (a provincial table) it is the home side itself.
    "a_province": (
        "province1", "aprovince", "province", "chineseprovince",
        "省份", "所属省份", "省区市", "省别", "省市",
    ),  # fmt: skip
    "kind": ("kind", "type", "relationship", "类型", "关系类型", "关系"),
    "level": ("level", "级别", "层级"),
    "status": ("status", "state", "状态"),
    "note": ("note", "notes", "remark", "remarks", "comment", "comments", "备注", "说明"),
    "source": ("source", "来源", "数据来源"),
    "source_ref": ("sourceref", "ref", "reference", "pairid", "编号"),
}
FIELDS = tuple(HEADER_ALIASES)
_LOOKUP = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}


def normalise_header(header: str) -> str:
    """Lower-case a header and drop spaces, punctuation and a BOM: "City 1" -> "city1"."""
    return re.sub(r"[\s_\-\.()（）:：/]+", "", header.replace("\ufeff", "")).lower()


def parse_mapping(text: str | None) -> dict[str, str]:
    """Parse "city1=a_name,城市=b_name" into {field: header}; either side may name the field."""
    mapping: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        left, sep, right = (s.strip() for s in part.partition("="))
        if not sep or not left or not right:
            raise InvalidInput(f"Bad mapping {part!r}: write HEADER=FIELD.")
        if right in FIELDS:
            mapping[right] = left
        elif left in FIELDS:
            mapping[left] = right
        else:
            raise InvalidInput(
                f"Bad mapping {part!r}: no known field (fields: {', '.join(FIELDS)}).",
            )
    return mapping


def guess_columns(headers: list[str], mapping: dict[str, str] | None = None) -> dict[str, str]:
    """Map fields to headers, explicit mapping first; raise if the two place names are missing."""
    mapping = dict(mapping or {})
    unknown = [h for h in mapping.values() if h not in headers]
    if unknown:
        raise InvalidInput(
            f"Mapped column(s) not in the file: {', '.join(unknown)}.",
            {"headers": headers, "unknown": unknown},
        )
    columns = dict(mapping)
    taken = set(mapping.values())
    for header in headers:
        name = _LOOKUP.get(normalise_header(header))
        if name and name not in columns and header not in taken:
            columns[name] = header
            taken.add(header)
    _lone_country_is_foreign(columns, headers, mapping)
    if "a_province" in columns and "a_name" not in columns and "a_province" not in mapping:
        columns["a_name"] = columns.pop("a_province")  # a table of provinces: 省份 is the side
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise InvalidInput(
            "The file lacks the columns naming the two places "
            f"({', '.join(missing)}); found: {', '.join(headers) or 'no headers'}. "
            "Use --map HEADER=FIELD to say which column is which.",
            {"headers": headers, "missing": missing},
        )
    return columns


def _lone_country_is_foreign(columns: dict[str, str], headers: list[str], mapping: dict) -> None:
    # A Chinese register with 中方城市/外方城市 and one 国家 column gives the foreign country.
    country = columns.get("a_country")
    if (
        country
        and "a_country" not in mapping
        and "b_country" not in columns
        and normalise_header(country) == "国家"
        and any(normalise_header(h).startswith(("中方", "外方")) for h in headers)
    ):
        columns["b_country"] = columns.pop("a_country")
