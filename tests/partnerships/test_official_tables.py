"""The official tables' import profile: Chinese headers, Chinese and partial dates, GB18030,
XLSX with a title row, dates added to stored pairs, conflicts shown, re-imports idempotent."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from amity.core.db import session_scope
from amity.partnerships import rules
from amity.partnerships.columns import guess_columns
from amity.partnerships.importer import import_partnerships
from amity.partnerships.models import ImportBatch, Partnership
from amity.places.models import Place

SAMPLE = Path(__file__).parents[1] / "data"
ROWS = 10


def _run(engine, data, **options):
    with session_scope(engine) as session:
        return import_partnerships(session, data, **options)


def _dates(engine) -> dict[frozenset, str | None]:
    with session_scope(engine) as session:
        return {
            frozenset((p.place_a.name, p.place_b.name)): p.established
            for p in session.scalars(select(Partnership))
        }


def _counts(engine):
    with session_scope(engine) as session:
        return tuple(
            session.scalar(select(func.count()).select_from(t))
            for t in (Partnership, Place, ImportBatch)
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1973年6月24日", ("1973-06-24", 1973)),
        ("1973年6月", ("1973-06", 1973)),
        ("1973年", ("1973", 1973)),
        ("1973", ("1973", 1973)),
        ("1973.6.24", ("1973-06-24", 1973)),
        ("1973-06-24", ("1973-06-24", 1973)),
        ("1973/6/24", ("1973-06-24", 1973)),
        ("１９７３年６月２４日", ("1973-06-24", 1973)),  # full-width digits
        ("1850", ("1850", 1850)),  # dates before 1900 are accepted
        ("836", ("0836", 836)),  # Paderborn and Le Mans
        ("1897年3月", ("1897-03", 1897)),
    ],
)
def test_official_date_formats(text, expected):
    assert rules.parse_partial_date(text) == expected


@pytest.mark.parametrize("text", ["1973年13月", "1973年2月30日", "799", "3000年", "六月"])
def test_impossible_official_dates_are_refused(text):
    with pytest.raises(Exception, match="date|Date"):
        rules.parse_partial_date(text)


def test_chinese_headers_and_their_variants():
    columns = guess_columns(["序号", "省份", "中方省市", "外方城市", "国家", "结好时间"])
    assert columns == {"a_province": "省份", "a_name": "中方省市", "b_name": "外方城市",
                       "b_country": "国家", "established": "结好时间"}  # fmt: skip
    provincial = guess_columns(["省份", "外方省州", "国家", "缔结时间"])
    assert provincial["a_name"] == "省份" and provincial["b_name"] == "外方省州"
    assert provincial["established"] == "缔结时间" and provincial["b_country"] == "国家"
    assert guess_columns(["中方城市", "外方城市", "国家", "签约时间"])["established"] == "签约时间"


@pytest.mark.parametrize(
    "name", ["sample_official_table.csv", "sample_official_table_gb18030.csv",
             "sample_official_table.xlsx"],
)  # fmt: skip
def test_the_sample_official_table_imports_in_each_encoding(gazetteer_any, name):
    report = _run(gazetteer_any, SAMPLE / name)
    assert report.rejected_rows == 0, report.problems
    assert (report.rows_read, report.imported) == (ROWS, ROWS)
    if name.endswith("gb18030.csv"):
        assert report.encoding == "gb18030"
    dates = _dates(gazetteer_any)
    assert dates[frozenset(("Tianjin", "Kobe"))] == "1973-06-24"
    assert dates[frozenset(("Xi'an", "Kyoto"))] == "1974-05-10"
    assert dates[frozenset(("Chongqing", "Seattle"))] == "1987-06"
    assert dates[frozenset(("Suzhou", "Venice"))] == "1997"
    with session_scope(gazetteer_any) as session:
        levels = {
            frozenset((p.place_a.name, p.place_b.name)): p.level
            for p in session.scalars(select(Partnership))
        }
    assert levels[frozenset(("Hainan", "Jeju City"))] == "province_city"
    assert levels[frozenset(("Tianjin", "Kobe"))] == "city_city"
    with session_scope(gazetteer_any) as session:  # an official table lists friendship cities
        assert set(session.scalars(select(Partnership.kind))) == {"friendship_city"}


def test_reimport_is_idempotent(gazetteer_any):
    _run(gazetteer_any, SAMPLE / "sample_official_table.csv")
    before, dates = _counts(gazetteer_any), _dates(gazetteer_any)
    again = _run(gazetteer_any, SAMPLE / "sample_official_table_gb18030.csv")
    assert (again.imported, again.duplicates, again.dates_added) == (0, ROWS, 0)
    assert not again.date_conflicts and not again.new_dates
    assert _counts(gazetteer_any)[:2] == before[:2] and _dates(gazetteer_any) == dates


UNDATED = "中方城市,外方城市,国家\n天津,神户,日本\n西安,京都,日本\n"


def test_a_table_dates_stored_pairs_and_shows_conflicts(gazetteer_any):
    _run(gazetteer_any, UNDATED.encode(), filename="undated.csv")
    other = "中方城市,外方城市,国家,结好时间\n西安,京都,日本,1974年\n"
    _run(gazetteer_any, other.encode(), filename="partial.csv")  # a year for Xi'an–Kyoto
    report = _run(gazetteer_any, SAMPLE / "sample_official_table.csv")
    assert report.imported == ROWS - 2 and report.duplicates == 2
    # Tianjin–Kobe had no date: the table's date is added.
    assert [(n.line, n.file_date) for n in report.new_dates] == [(2, "1973-06-24")]
    assert report.dates_added == 1
    # Xi'an–Kyoto has "1974" already: the table's day is shown, not written over it.
    [conflict] = report.date_conflicts
    assert (conflict.line, conflict.stored_date, conflict.file_date) == (4, "1974", "1974-05-10")
    dates = _dates(gazetteer_any)
    assert dates[frozenset(("Tianjin", "Kobe"))] == "1973-06-24"
    assert dates[frozenset(("Xi'an", "Kyoto"))] == "1974"
    # Again: nothing new, the same conflict still shown.
    again = _run(gazetteer_any, SAMPLE / "sample_official_table.csv")
    assert again.dates_added == 0 and not again.new_dates
    assert [c.line for c in again.date_conflicts] == [4]


def test_a_proposal_import_adds_no_dates(gazetteer_engine):
    _run(gazetteer_engine, UNDATED.encode(), filename="undated.csv")
    report = _run(gazetteer_engine, SAMPLE / "sample_official_table.csv", drafts=True)
    assert report.mode == "proposals" and len(report.new_dates) == 2
    assert report.dates_added == 0
    assert _dates(gazetteer_engine)[frozenset(("Tianjin", "Kobe"))] is None


def test_a_bad_date_rejects_the_whole_table(gazetteer_any):
    bad = (SAMPLE / "sample_official_table.csv").read_text(encoding="utf-8")
    bad = bad.replace("1977年10月3日", "1977年13月3日")
    before = _counts(gazetteer_any)
    report = _run(gazetteer_any, bad.encode("gb18030"), filename="bad.csv")
    assert not report.written and report.invalid == 1
    assert report.problems[0].line == 8 and "1977年13月3日" in report.problems[0].reason
    assert _counts(gazetteer_any) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_templates_headers_are_recognised(lang, tmp_path):
    from amity.partnerships.reader import read_table
    from amity.partnerships.template import template_csv, template_xlsx

    for name, data in (("t.csv", template_csv(lang)), ("t.xlsx", template_xlsx(lang))):
        filled = data
        if name.endswith(".csv"):
            filled = data + "1,江苏,南京,名古屋,日本,1978年12月21日,\n".encode()
        else:
            from io import BytesIO

            from openpyxl import load_workbook

            book = load_workbook(BytesIO(data))
            book.worksheets[0].append([1, "江苏", "南京", "名古屋", "日本", "1978年12月21日", ""])
            out = BytesIO()
            book.save(out)
            filled = out.getvalue()
        table = read_table(filled, filename=name)
        columns = guess_columns(table.headers)
        assert set(columns) == {"a_province", "a_name", "b_name", "b_country", "established",
                                "note"}, (lang, name, columns)  # fmt: skip
        assert table.rows[0][1][columns["established"]] == "1978年12月21日"


def test_an_imported_date_changes_health_and_dormancy(gazetteer_engine):
    from datetime import date

    from amity.exchanges.health import registry_health

    _run(gazetteer_engine, UNDATED.encode(), filename="undated.csv")
    today = date(2026, 12, 1)
    with session_scope(gazetteer_engine) as session:
        before = registry_health(session, today=today)
    assert {r["code"] for h in before.values() for r in h["reasons"]} == {"no_activity"}
    dated = (
        "中方城市,外方城市,国家,结好时间\n天津,神户,日本,1973年6月24日\n西安,京都,日本,2025年3月\n"
    )
    report = _run(gazetteer_engine, dated.encode(), filename="dated.csv")
    assert report.dates_added == 2
    with session_scope(gazetteer_engine) as session:
        after = registry_health(session, today=today)
    by_code = {h["reasons"][0]["code"]: h for h in after.values()}
    # Signed in 1973 and no exchange recorded since: dormant, with the date given as the reason.
    old = by_code["none_since_signing"]
    assert old["dormant"] and old["state"] == "dormant" and old["score"] == 20
    assert "1973-06-24" in old["reasons"][0]["en"]
    # Signed less than three years ago: recent, not dormant.
    new = by_code["recently_signed"]
    assert not new["dormant"] and new["state"] == "recent" and new["score"] == 55
