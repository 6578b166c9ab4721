"""The report's figures as titled tables of typed cells, shared by the workbook and the PDF."""

from __future__ import annotations

from dataclasses import dataclass, field

from amity.reports.labels import CONTINENTS, KINDS, LEVELS, STATES, STATUSES, Words


@dataclass
class Table:
    """A sheet of the workbook, a table of the PDF: numbers stay numbers."""

    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)  # in characters, for the workbook
    empty: str = ""


def summary_rows(report: dict, w: Words) -> list[tuple[str, object]]:
    """(label, value) lines of the summary; None reads as "no dated partnerships"."""
    s = report["summary"]
    new = s["new_partnerships"]
    return [
        (w("Place"), w.place(report["place"])),
        (w("Year"), report["year"]),
        (w("Places covered"), report["places_covered"]),
        (w("Partnerships"), s["partnerships"]),
        (w("New partnerships"), new if new is not None else w("No dated partnerships")),
        (w("Dormant partnerships"), s["dormant"]),
        (w("Exchanges"), s["exchanges"]),
        (w("Partner countries and regions"), s["partner_countries"]),
        (w("Continents"), s["continents"]),
        (
            w("Dormant after"),
            w("%(years)s years without an exchange", years=report["dormant_years"]),
        ),
        (w("As of"), report["as_of"]),
    ]


def _partnership_rows(items: list[dict], w: Words) -> list[list]:
    return [
        [w.place(p["home"]), w.place(p["partner"]), w.country(p["partner"]),
         w.coded(KINDS, p["kind"]), w.coded(LEVELS, p["level"]), w.coded(STATUSES, p["status"]),
         p["established"] or "", w.coded(STATES, p["state"]), p["last_activity"] or "",
         p["exchanges_in_year"]]
        for p in items
    ]  # fmt: skip


def report_tables(report: dict, w: Words) -> list[Table]:
    """Every table of the report, in the order the outputs show them."""
    partnership_headers = [w("Place"), w("Partner"), w("Country or region"), w("Kind"),
                           w("Level"), w("Status"), w("Signed"), w("Health"),
                           w("Last activity"), w("Exchanges this year")]  # fmt: skip
    partnership_widths = [14, 20, 16, 16, 15, 10, 11, 17, 12, 12]
    return [
        Table("partnerships", w("Partnerships"), partnership_headers,
              _partnership_rows(report["partnerships"], w), partnership_widths,
              w("No partnerships recorded.")),
        Table("new", w("New partnerships"), partnership_headers,
              _partnership_rows(report["new_partnerships"], w), partnership_widths,
              w("No dated partnerships") if report["summary"]["new_partnerships"] is None
              else w("No partnership signed this year.")),
        Table("dormant", w("Dormant partnerships"), partnership_headers,
              _partnership_rows(report["dormant"], w), partnership_widths,
              w("No dormant partnerships.")),
        Table("anniversaries",
              w("Round anniversaries in %(year)s", year=report["anniversaries_year"]),
              [w("When"), w("Years"), w("Place"), w("Partner"), w("Signed")],
              [[a["when"], a["years"], w.place(a["home"]), w.place(a["partner"]),
                a["established"]] for a in report["anniversaries"]],
              [12, 8, 16, 22, 12], w("No round anniversary in these twelve months.")),
        Table("exchanges", w("Exchanges"),
              [w("Date"), w("Place"), w("Partner"), w("Mode"), w("Fields"), w("Title")],
              [[e["start"], w.place(e["home"]), w.place(e["partner"]),
                e["mode_label_zh"] if w.zh else e["mode_label"],
                "、".join(e["field_labels_zh"]) if w.zh else ", ".join(e["field_labels"]),
                e["title"] or ""] for e in report["exchanges"]],
              [12, 16, 22, 18, 28, 40], w("No exchanges recorded this year.")),
        Table("by_mode", w("Exchanges by mode"), [w("Mode"), w("Exchanges")],
              [[w.label(m), m["count"]] for m in report["by_mode"]], [24, 12],
              w("No exchanges recorded this year.")),
        Table("by_field", w("Exchanges by field"), [w("Field"), w("Exchanges")],
              [[w.label(f), f["count"]] for f in report["by_field"]], [24, 12],
              w("No exchanges recorded this year.")),
        Table("by_month", w("Exchanges by month"), [w("Month"), w("Exchanges")],
              [[w.month(m["month"]), m["count"]] for m in report["by_month"]], [16, 12]),
        Table("countries", w("Partner countries and regions"),
              [w("Country or region"), w("Continent"), w("Partnerships")],
              [[w.country(c, "name"), w.coded(CONTINENTS, c["continent"]), c["partnerships"]]
               for c in report["countries"]], [24, 16, 12], w("No partnerships recorded.")),
        Table("continents", w("Partners by continent"), [w("Continent"), w("Partnerships")],
              [[w.coded(CONTINENTS, c["continent"]), c["partnerships"]]
               for c in report["by_continent"]], [18, 12], w("No partnerships recorded.")),
    ]  # fmt: skip
