"""The shipped registry is the build's output, and its report was written from it."""

import os
import re

import pytest

from amity.partnerships.registry import REGISTRY_FILE, read_registry
from amity.registry_build import pipeline, report


def test_shipped_registry_has_the_build_columns_and_no_homophone_conflict():
    rows = read_registry()
    assert tuple(rows[0]) == pipeline.COLUMNS
    assert report.homophone_conflicts(rows) == 0
    keys = {r[f"{s}_key"] for r in rows for s in "ab"}
    assert all(keys)
    # One source row gives at most one pair.
    seen = [row_id for r in rows for row_id in r["source_rows"].split()]
    assert len(seen) == len(set(seen))


def test_report_matches_the_shipped_registry():
    text = report.REPORT.read_text(encoding="utf-8")
    assert "Written by `amity data build`" in text
    pairs = re.search(r"^\| pairs \| [\d,]+ \| ([\d,]+) \|$", text, re.M)
    assert pairs and int(pairs.group(1).replace(",", "")) == len(read_registry())


@pytest.mark.skipif(not os.environ.get("AMITY_FULL_BUILD"),
                    reason="a full build takes minutes: set AMITY_FULL_BUILD=1")
def test_a_fresh_full_build_equals_the_shipped_registry(tmp_path):
    fresh = pipeline.write_registry(pipeline.build(), tmp_path / "fresh.csv.gz")
    assert fresh == REGISTRY_FILE.read_bytes()
