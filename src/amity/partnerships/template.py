"""The blank table an office fills in to import its partnerships, in Chinese or English.

Its headers are the ones official tables use (序号 / 省份 / 中方城市 / 外方城市 / 国家 / 结好时间
/ 备注), so the importer's column guess maps every one of them without --map; the test
`tests/partnerships/test_official_tables.py` checks that both languages round-trip.
"""

from __future__ import annotations

import csv
import io

HEADERS = {
    "zh": ("序号", "省份", "中方城市", "外方城市", "国家", "结好时间", "备注"),
    "en": ("No.", "Province", "Chinese city", "Foreign city", "Foreign country", "Established",
           "Note"),
}  # fmt: skip

# How to fill it in, as the second sheet of the workbook says it.
NOTES = {
    "zh": (
        "每行一对友好关系。中方城市可以是省（如“江苏省”），也可以是城市（如“南京”）。",
        "省份可留空；同名城市时用它区分。",
        "国家写外方国家，中文或英文均可（如“日本”“Japan”）。",
        "结好时间可写 1973年6月24日、1973年6月、1973、1973.6.24 或 1973-06-24；"
        "不知道的部分不要填。",
        "导入：amity import 文件名 --dry-run 先检查；再 amity import 文件名（草拟提案）"
        "或 amity import 文件名 --as-steward（登记管理员直接登记）。",
    ),
    "en": (
        "One partnership per row. The Chinese side may be a province (Jiangsu) or a city "
        "(Nanjing).",
        "Province may stay empty; it tells two places of the same name apart.",
        "Foreign country: in Chinese or English (日本, Japan).",
        "Established: 1973-06-24, 1973-06, 1973, 1973.6.24 or 1973年6月24日; leave out what is "
        "not known (never guess a day).",
        "Import: amity import FILE --dry-run to check; then amity import FILE (draft proposals) "
        "or amity import FILE --as-steward (the registry steward records them).",
    ),
}


def template_csv(lang: str) -> bytes:
    """The header row as CSV, UTF-8 with a byte-order mark (so that Excel shows the Chinese)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(HEADERS[lang])
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(lang: str) -> bytes:
    """A workbook: the table to fill in (first sheet, the one imported), then the notes."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "友好城市" if lang == "zh" else "Partnerships"
    sheet.append(HEADERS[lang])
    for column, width in zip("ABCDEFG", (6, 10, 16, 20, 14, 16, 30), strict=True):
        sheet.column_dimensions[column].width = width
    notes = workbook.create_sheet("填写说明" if lang == "zh" else "How to fill it in")
    for line in NOTES[lang]:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
