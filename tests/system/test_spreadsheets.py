"""Spreadsheet cells stay text: the guard against CSV and formula injection."""

from openpyxl import Workbook

from amity.core.spreadsheets import csv_text, xlsx_cell


def test_csv_cells_that_would_start_a_formula_get_a_quote():
    for lead in ("=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert csv_text(lead) == "'" + lead
    assert csv_text("Xi'an") == "Xi'an" and csv_text("西安") == "西安"
    assert csv_text(-3) == -3 and csv_text(None) is None


def test_xlsx_cells_keep_formula_text_as_text_and_drop_control_characters():
    sheet = Workbook().active
    sheet.append([xlsx_cell(sheet, v) for v in ("=1+1", "Pa\x07ris", 7, "-5")])
    a, b, c, d = next(sheet.iter_rows(min_row=1, max_row=1))
    assert (a.value, a.data_type) == ("=1+1", "s")
    assert b.value == "Paris" and c.value == 7 and d.value == "-5"
