"""Case search: 10,000 synthetic bilingual cases, searched on SQLite and on PostgreSQL.

Each timing is one `search_cases` call as the API makes it: total, a page of 20 ranked and
highlighted results, and the five facets' counts. PostgreSQL runs when AMITY_TEST_POSTGRES_URL
is set (scripts/with-postgres.sh sets it).

Run: scripts/with-postgres.sh .venv/bin/python -m bench.bench_cases [--cases 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy.engine import Engine

from bench.common import summary_ms, timed

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from amity.cases.schemas import CaseCreate, CaseQuery  # noqa: E402
from amity.cases.search import search_cases  # noqa: E402
from amity.cases.service import create_case  # noqa: E402
from amity.core import schema  # noqa: E402
from amity.core.db import make_engine, session_scope  # noqa: E402
from amity.places.models import Country, Place  # noqa: E402

COUNTRIES = [
    ("CN", "China", "中国"),
    ("KR", "South Korea", "韩国"),
    ("JP", "Japan", "日本"),
    ("KZ", "Kazakhstan", "哈萨克斯坦"),
    ("US", "United States", "美国"),
    ("FR", "France", "法国"),
    ("DE", "Germany", "德国"),
    ("NL", "Netherlands", "荷兰"),
]
PLACES = [
    ("Shaanxi", "陕西省", "CN"),
    ("Shandong", "山东省", "CN"),
    ("Shanghai", "上海市", "CN"),
    ("Xining", "西宁市", "CN"),
    ("Yangzhou", "扬州市", "CN"),
    ("Wenzhou", "温州市", "CN"),
    ("Chengdu", "成都市", "CN"),
    ("Guangzhou", "广州市", "CN"),
    ("Gyeonggi", "京畿道", "KR"),
    ("Osaka", "大阪", "JP"),
    ("Almaty", "阿拉木图", "KZ"),
    ("Houston", "休斯敦", "US"),
    ("Lyon", "里昂", "FR"),
    ("Hamburg", "汉堡", "DE"),
    ("The Hague", "海牙", "NL"),
]
TOPICS = [  # (Chinese words, English words, field, mode)
    ("苹果 果园 种植 技术 农业", "apple orchards planting techniques farming", "agriculture",
     "investment"),
    ("大学 联盟 学生 交流 夏令营", "university federation students exchange summer camp",
     "education", "university_federation"),
    ("摄影 展览 城市 印象 文化", "photo exhibition city impressions culture", "culture",
     "exhibition"),
    ("代表团 访问 接待 民间 友好", "delegation visit reception people friendship", "culture",
     "people_to_people_visit"),
    ("生态 城市 研讨会 环境 保护", "ecological city seminar environment protection",
     "environment", "seminar"),
    ("经贸 投资 合作 园区 企业", "trade investment cooperation park companies", "economy_trade",
     "investment"),
    ("医疗 卫生 医院 培训 医生", "medical health hospital training doctors", "health", "training"),
    ("城市 建设 规划 交通 住房", "city construction planning transport housing",
     "city_construction", "high_level_visit"),
]  # fmt: skip
# Words every case may use, whatever its topic (so that common words match thousands).
FILLER_ZH = "友城 友好城市 公共外交 城市外交 双方 共同 推动 发展 项目 成果 经验 地方政府 合作"
FILLER_EN = (
    "sister city friendship public diplomacy both sides jointly promote development "
    "project results experience local government cooperation"
)
QUERIES = {
    "苹果 (two characters)": {"q": "苹果"},
    "大学 (two characters)": {"q": "大学"},
    "友城 (two characters, very common)": {"q": "友城"},
    "生态城市 (two words)": {"q": "生态城市"},
    "university": {"q": "university"},
    "apple orchards": {"q": "apple orchards"},
    '"public diplomacy" (phrase)': {"q": '"public diplomacy"'},
    "大学 + field=education + country=KR": {"q": "大学", "field": ("education",),
                                           "country": ("KR",)},
    "no words, mode=seminar": {"mode": ("seminar",)},
    "investment + year=2015": {"q": "investment", "year": (2015,)},
}  # fmt: skip


def synthetic_case(rng: random.Random, place_ids: list[int]) -> CaseCreate:
    """A case about one or two topics, between one or two places, in both languages."""
    topics = rng.sample(TOPICS, rng.choice((1, 1, 2)))
    zh_words = [w for t in topics for w in t[0].split()]
    en_words = [w for t in topics for w in t[1].split()]

    def sentence(words: list[str], filler: list[str], n: int, glue: str) -> str:
        return glue.join(rng.choice(words + filler) for _ in range(n))

    return CaseCreate(
        title_zh=sentence(zh_words, [], 4, ""),
        title_en=sentence(en_words, [], 5, " ").capitalize(),
        summary_zh=sentence(zh_words, FILLER_ZH.split(), 20, "") + "。",
        summary_en=sentence(en_words, FILLER_EN.split(), 25, " ").capitalize() + ".",
        body_zh="。".join(sentence(zh_words, FILLER_ZH.split(), 25, "") for _ in range(6)) + "。",
        body_en=". ".join(sentence(en_words, FILLER_EN.split(), 30, " ") for _ in range(6)) + ".",
        year=rng.randint(2000, 2020),
        fields=sorted({t[2] for t in topics}),
        modes=sorted({t[3] for t in topics}),
        place_ids=rng.sample(place_ids, rng.choice((1, 2))),
        source="synthetic",
    )


def fill(engine: Engine, cases: int, seed: int = 20140520) -> float:
    """Create the countries, places and cases; seconds spent writing and indexing the cases."""
    rng = random.Random(seed)
    with session_scope(engine) as session:
        for iso2, en, zh in COUNTRIES:
            session.add(Country(iso2=iso2, iso3=iso2 + "X", name_en=en, name_zh=zh))
        session.flush()
        places = [Place(kind="city", name=n, name_zh=z, country_code=c, source="bench")
                  for n, z, c in PLACES]  # fmt: skip
        session.add_all(places)
        session.flush()
        place_ids = [p.id for p in places]
    start = time.perf_counter()
    with session_scope(engine) as session:
        for _ in range(cases):
            create_case(session, synthetic_case(rng, place_ids))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    return time.perf_counter() - start


def bench_engine(engine: Engine, cases: int, repeat: int) -> dict:
    schema.upgrade(engine)
    index_seconds = fill(engine, cases)
    results = {}
    with session_scope(engine) as session:
        for label, params in QUERIES.items():
            query = CaseQuery(**params)
            total = search_cases(session, query)["total"]  # warm the caches once
            results[label] = {"total": total, **summary_ms(timed(
                lambda q=query: search_cases(session, q), repeat))}  # fmt: skip
    medians = [r["median_ms"] for r in results.values()]
    return {
        "cases": cases,
        "index_seconds": round(index_seconds, 1),
        "queries": results,
        "median_of_medians_ms": sorted(medians)[len(medians) // 2],
        "worst_median_ms": max(medians),
    }


def run(cases: int = 10_000, repeat: int = 30) -> dict:
    """Search timings on SQLite, and on PostgreSQL when a server is given."""
    report = {}
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'cases.db'}")
        report["sqlite"] = bench_engine(engine, cases, repeat)
        engine.dispose()
    if os.environ.get("AMITY_TEST_POSTGRES_URL"):
        from tests.conftest import create_postgres_database, drop_postgres_database

        url = create_postgres_database()
        engine = make_engine(url)
        try:
            report["postgresql"] = bench_engine(engine, cases, repeat)
        finally:
            engine.dispose()
            drop_postgres_database(url)
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    json.dump(run(args.cases, args.repeat), sys.stdout, indent=2, ensure_ascii=False)
