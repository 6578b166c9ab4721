"""Importing partnership files: formats, encodings, validation, all or nothing, re-imports."""

import io
import json
from datetime import datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from amity.core.db import session_scope
from amity.core.errors import InvalidInput
from amity.partnerships.importer import import_partnerships
from amity.partnerships.models import ImportBatch, Partnership
from amity.places.models import Place


def _run(engine, data, **options):
    with session_scope(engine) as session:
        return import_partnerships(session, data, **options)


def _counts(engine):
    with session_scope(engine) as session:
        return tuple(
            session.scalar(select(func.count()).select_from(t))
            for t in (Partnership, Place, ImportBatch)
        )


def test_good_csv_imports_every_row(gazetteer_any, data_dir):
    report = _run(gazetteer_any, data_dir / "good.csv")
    assert (report.rows_read, report.imported, report.rejected_rows) == (5, 5, 0)
    assert report.written and report.encoding == "utf-8"
    with session_scope(gazetteer_any) as session:
        pairs = session.scalars(select(Partnership)).all()
        by_names = {frozenset((p.place_a.name, p.place_b.name)): p for p in pairs}
        gifu = by_names[frozenset(("Hangzhou", "Gifu"))]
        assert (gifu.kind, gifu.established, gifu.established_year) == (
            "friendship_city",
            "1979-02-21",
            1979,
        )
        assert gifu.note == "first pairing of Zhejiang"
        assert {p.level for p in pairs} == {"city_city"}
        assert all(p.place_a_id < p.place_b_id for p in pairs)
        batch = session.get(ImportBatch, report.batch_id)
        assert batch.sha256 == report.sha256 and batch.report["imported"] == 5


def test_reimport_adds_nothing_and_succeeds(gazetteer_any, data_dir):
    first = _run(gazetteer_any, data_dir / "good.csv")
    before = _counts(gazetteer_any)
    again = _run(gazetteer_any, data_dir / "good.csv")
    assert (again.imported, again.duplicates, again.rejected_rows) == (0, 5, 0)
    assert again.written and again.previous_batch_id == first.batch_id
    assert _counts(gazetteer_any)[:2] == before[:2]


def test_dry_run_changes_nothing(gazetteer_any, data_dir):
    before = _counts(gazetteer_any)
    report = _run(gazetteer_any, data_dir / "hekman_slice.csv", dry_run=True)
    assert report.rows_read == 323 and report.new_places > 0
    assert not report.written and report.imported == 0
    assert _counts(gazetteer_any) == before


MALFORMED = """city1,country1,city2,country2,date,kind
Beijing,China,Tokyo,Japan,1979,
Beijing,China,Beijing,China,1990,
Shanghai,China,Yokohama,Japan,1973-02-30,
Tianjin,China,Kobe,Japan,2999,
Xi'an,China,Kyoto,Japan,1974,marriage
,China,Nara,Japan,1974,
Atlantis,Nowhere,Kobe,Japan,,
Springfield,United States,Guangzhou,China,,
"""


def test_any_bad_row_rejects_the_whole_file(gazetteer_any):
    before = _counts(gazetteer_any)
    report = _run(gazetteer_any, MALFORMED.encode(), filename="bad.csv")
    assert not report.written
    assert _counts(gazetteer_any) == before
    problems = {p.line: p for p in report.problems}
    assert sorted(problems) == [3, 4, 5, 6, 7, 8, 9]
    assert "same place" in problems[3].reason
    assert "Not a real date" in problems[4].reason
    assert "out of range" in problems[5].reason
    assert "kind" in problems[6].reason
    assert problems[8].status == "unresolved" and "Nowhere" in problems[8].reason
    assert problems[9].status == "ambiguous" and len(problems[9].candidates) > 1
    assert (report.invalid, report.unresolved, report.ambiguous) == (5, 1, 1)


def test_partial_imports_the_good_rows(gazetteer_any):
    report = _run(gazetteer_any, MALFORMED.encode(), filename="bad.csv", partial=True)
    assert report.written and report.imported == 1 and report.rejected_rows == 7
    assert _counts(gazetteer_any)[0] == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"town,year\nLyon,1988\n", "lacks the columns"),
        (b"", "empty"),
        (bytes(range(256)) * 10, "not readable"),
        (b"This is a letter, not a table.\nRegards\n", "lacks the columns"),
    ],
)
def test_unusable_files_fail_before_any_row(gazetteer_engine, data, message):
    before = _counts(gazetteer_engine)
    with pytest.raises(InvalidInput, match=message):
        _run(gazetteer_engine, data, filename="upload.csv")
    assert _counts(gazetteer_engine) == before


def test_gb18030_file_with_chinese_headers(gazetteer_any, data_dir):
    report = _run(gazetteer_any, data_dir / "chinese_gb18030.csv")
    assert report.encoding == "gb18030"
    assert report.columns["b_country"] == "国家"
    assert (report.imported, report.rejected_rows) == (4, 0)
    with session_scope(gazetteer_any) as session:
        hangzhou = session.scalar(select(Place).where(Place.gb_code == "330100"))
        pair = session.scalar(
            select(Partnership).where(
                (Partnership.place_a_id == hangzhou.id) | (Partnership.place_b_id == hangzhou.id)
            )
        )
        assert pair.established == "1979-02-21" and pair.kind == "friendship_city"


def test_utf8_bom_and_semicolons(gazetteer_engine, data_dir):
    text = (data_dir / "good.csv").read_text(encoding="utf-8").replace(",", ";")
    report = _run(gazetteer_engine, text.encode("utf-8-sig"), filename="good.csv")
    assert report.encoding == "utf-8-bom" and report.imported == 5


def test_xlsx_first_sheet_with_date_cells(gazetteer_engine):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["中方城市", "外方城市", "对方国家", "结好时间"])
    sheet.append(["天津", "Kobe", "Japan", datetime(1973, 6, 24)])
    sheet.append(["Beijing", "Tokyo", "JP", 1979])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = _run(gazetteer_engine, buffer.getvalue(), filename="pairs.xlsx")
    assert report.format == "xlsx" and report.imported == 2
    with session_scope(gazetteer_engine) as session:
        assert set(session.scalars(select(Partnership.established))) == {"1973-06-24", "1979"}


def test_json_object_with_partnerships(gazetteer_engine):
    document = {
        "partnerships": [
            {"a_name": "Shanghai", "b_name": "Yokohama", "b_country": "JP", "established": 1973},
            {"a_name": "Guangzhou", "b_name": "Fukuoka", "b_country": "JP", "status": "dormant"},
        ]
    }
    report = _run(gazetteer_engine, json.dumps(document).encode(), filename="p.json")
    assert report.format == "json" and report.imported == 2
    with session_scope(gazetteer_engine) as session:
        assert set(session.scalars(select(Partnership.status))) == {"active", "dormant"}


def test_messy_wikipedia_slice(gazetteer_engine, data_dir):
    report = _run(gazetteer_engine, data_dir / "hekman_slice.csv", partial=True)
    assert report.rows_read == 323
    assert report.imported + report.duplicates + report.rejected_rows == report.rows_read
    assert report.imported > 280 and report.new_places > 50
    with session_scope(gazetteer_engine) as session:
        berat = session.scalars(select(Place).where(Place.name == "Berat")).all()
        assert len(berat) == 1  # six rows name Berat: one place
        new = session.scalars(select(Place).where(Place.source == "import")).all()
        assert len(new) == report.new_places
        assert all(p.lat is not None and p.country_code for p in new)
