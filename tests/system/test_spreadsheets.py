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


def test_csv_bytes_start_with_a_bom_in_utf8_and_cover_everything_in_gb18030():
    from amity.core.spreadsheets import encode_csv

    text = "name\r\n西安市\r\nSão Paulo\r\n서울\r\nالقاهرة\r\n𠀀 (CJK B)\r\nZürich 🏙\r\n"
    utf8 = b"".join(encode_csv([text[:10], text[10:]]))
    assert utf8.startswith(b"\xef\xbb\xbf") and utf8.count(b"\xef\xbb\xbf") == 1
    assert utf8.decode("utf-8-sig") == text
    gb = b"".join(encode_csv([text], "gb18030"))
    assert gb.decode("gb18030") == text  # every character survives, none is replaced
    assert "西安市".encode("gb18030") in gb  # two bytes a character, as GBK has them
    assert b"".join(encode_csv([])) == b"\xef\xbb\xbf"


def test_text_width_counts_chinese_characters_twice():
    from amity.core.spreadsheets import text_width

    assert text_width("Paris") == 5 and text_width("西安市") == 6 and text_width(None) == 0
