"""The annual report as a printable PDF (reportlab): summary, map, charts, then the tables.

Chinese text needs a font with its glyphs. A TrueType CJK font found on the system is embedded
(subset, with a ToUnicode map, so the text can be searched and copied); without one, reportlab's
built-in CID font STSong-Light is used, which viewers render from their own CJK fonts.
"""

from __future__ import annotations

import io
import json
from functools import lru_cache
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from amity.reports.labels import CONTINENTS, Words
from amity.reports.tables import report_tables, summary_rows

# Embedded when present (first found wins); the CID font is the fallback.
TTF_CANDIDATES = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
)
CID_FONT = "STSong-Light"
WORLD = Path(__file__).resolve().parent.parent / "web" / "static" / "vendor" / "world-110m.geo.json"
BLUE, ORANGE = colors.HexColor("#1f66a8"), colors.HexColor("#d9480f")
GREY = colors.HexColor("#b9c4cc")
WIDTH = A4[0] - 30 * mm
ROWS_SHOWN = 200  # longer tables are cut in the PDF (the workbook has every row)


@lru_cache(maxsize=1)
def report_font() -> str:
    """The name of the registered font used for every string of the PDF."""
    for path, index in TTF_CANDIDATES:
        if Path(path).exists():
            pdfmetrics.registerFont(TTFont("AmityCJK", path, subfontIndex=index))
            return "AmityCJK"
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=24, spaceAfter=6),
        "h2": ParagraphStyle(
            "h2", parent=base, fontSize=12, leading=16, spaceBefore=10, spaceAfter=4, textColor=BLUE
        ),  # fmt: skip
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.5),
    }


def _table(rows: list[list], font: str, widths: list[float] | None = None) -> PdfTable:
    table = PdfTable(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dce6f0")),
        ("GRID", (0, 0), (-1, -1), 0.25, GREY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))  # fmt: skip
    return table


def _bars(items: list[tuple[str, int]], font: str, *, vertical: bool) -> Drawing:
    height = 150 if vertical else max(60, 18 * len(items) + 30)
    drawing = Drawing(WIDTH, height)
    chart = VerticalBarChart() if vertical else HorizontalBarChart()
    chart.x, chart.y = (30, 30) if vertical else (110, 15)
    chart.width, chart.height = WIDTH - chart.x - 10, height - chart.y - 10
    chart.data = [[n for _label, n in items]]
    chart.categoryAxis.categoryNames = [label for label, _n in items]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = max(1, -(-max([n for _l, n in items] or [1]) // 5))
    chart.bars[0].fillColor = BLUE
    drawing.add(chart)
    return drawing


@lru_cache(maxsize=1)
def _world() -> list[list[tuple[float, float]]]:
    rings = []
    for feature in json.loads(WORLD.read_text(encoding="utf-8"))["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        rings.extend(polygon[0] for polygon in polygons)
    return rings


def _map(report: dict, font: str) -> Drawing:
    """Equirectangular world with lines from the place to each partner (dormant ones orange)."""
    height = WIDTH / 2
    drawing = Drawing(WIDTH, height)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon + 180) / 360 * WIDTH, (lat + 90) / 180 * height

    for ring in _world():
        points = [v for lon, lat in ring for v in xy(lon, lat)]
        drawing.add(Polygon(points, fillColor=colors.HexColor("#eef2f5"), strokeColor=GREY,
                            strokeWidth=0.3))  # fmt: skip
    home = report["map"]["place"]
    if home["lat"] is None:
        return drawing
    x0, y0 = xy(home["lon"], home["lat"])
    for partner in report["map"]["partners"]:
        x, y = xy(partner["lon"], partner["lat"])
        color = ORANGE if partner["dormant"] else BLUE
        drawing.add(Line(x0, y0, x, y, strokeColor=color, strokeWidth=0.4))
        drawing.add(Circle(x, y, 1.5, fillColor=color, strokeColor=None))
    drawing.add(Circle(x0, y0, 3, fillColor=ORANGE, strokeColor=colors.white))
    drawing.add(String(x0 + 4, y0 + 4, home["name_zh"] or home["name"], fontName=font,
                       fontSize=7))  # fmt: skip
    return drawing


def report_pdf(report: dict, locale: str) -> bytes:
    """The PDF bytes of a report in `locale`'s language."""
    w = Words(locale)
    font = report_font()
    styles = _styles(font)
    story = [Paragraph(w.title(report), styles["title"])]
    summary = [[label, str(value)] for label, value in summary_rows(report, w)]
    story += [_table(summary, font, [60 * mm, 90 * mm]), Spacer(0, 4 * mm)]
    story += [Paragraph(w("Map of partners"), styles["h2"]), _map(report, font)]
    charts = [
        ("Exchanges by mode", [(w.label(m), m["count"]) for m in report["by_mode"]], False),
        ("Exchanges by field", [(w.label(f), f["count"]) for f in report["by_field"]], False),
        ("Exchanges by month",
         [(w.month(m["month"]), m["count"]) for m in report["by_month"]], True),
        ("Partners by continent",
         [(w.coded(CONTINENTS, c["continent"]), c["partnerships"])
          for c in report["by_continent"]], False),
    ]  # fmt: skip
    for title, items, vertical in charts:
        # A chart's heading stays on the chart's page.
        story.append(KeepTogether([
            Paragraph(w(title), styles["h2"]),
            _bars(items, font, vertical=vertical) if any(n for _label, n in items)
            else Paragraph(w("No exchanges recorded this year."), styles["body"]),
        ]))  # fmt: skip
    for table in report_tables(report, w):
        story.append(Paragraph(table.title, styles["h2"]))
        if not table.rows:
            story.append(Paragraph(table.empty, styles["body"]))
            continue
        rows = [[Paragraph(str(v), styles["cell"]) for v in row]
                for row in [table.headers, *table.rows[:ROWS_SHOWN]]]  # fmt: skip
        total = sum(table.widths)
        story.append(_table(rows, font, [WIDTH * x / total for x in table.widths]))
        if len(table.rows) > ROWS_SHOWN:
            story.append(
                Paragraph(
                    w(
                        "%(shown)s of %(total)s rows shown; the workbook has all.",
                        shown=ROWS_SHOWN,
                        total=len(table.rows),
                    ),
                    styles["body"],
                )
            )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=w.title(report), author="Amity",
                                 leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                                 bottomMargin=15 * mm)  # fmt: skip
    document.build(story, onFirstPage=_footer(font), onLaterPages=_footer(font))
    return buffer.getvalue()


def _footer(font: str):
    def draw(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(font, 7)
        canvas.drawRightString(A4[0] - 15 * mm, 8 * mm, str(document.page))
        canvas.restoreState()

    return draw
