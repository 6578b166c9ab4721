"""The demo data's folder and how demo items cite the seed documents they come from."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"


@lru_cache(maxsize=1)
def seed_titles() -> dict[str, str]:
    """The seed documents by file name, with their titles."""
    return json.loads((DEMO_DIR / "seeds.json").read_text(encoding="utf-8"))


def citation(seed: str) -> str:
    """How a demo item cites its seed: the document's title and its file name."""
    return f"{seed_titles()[seed]} [seed {seed}]"
