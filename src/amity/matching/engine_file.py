"""The recommender's candidate arrays saved in the data directory (AMITY_STATE_DIR), so that a
restart or a second worker loads them instead of reading every place and partnership again.

One file per database (named after a hash of its URL), for one registry version: a numpy .npz
archive of plain arrays and one JSON text (no pickled objects). The registry's version changes
with every write to partnerships, places or countries and never comes back, so a file of another
version is simply not used; a file of another layout of the arrays (a field added to
`MatchIndex`), or one that cannot be read, is ignored and written again after the build. Written
to a temporary file and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import atexit
import dataclasses
import hashlib
import json
import logging
import threading
from pathlib import Path

import numpy as np
from scipy import sparse
from sqlalchemy.orm import Session

from amity.analytics.service import PlaceInfo
from amity.core import cache
from amity.core.settings import get_settings
from amity.core.state_files import read_meta, write_npz
from amity.matching.candidates import MatchIndex
from amity.matching.diversity import Diversity

log = logging.getLogger(__name__)

# 3: the diversity penalties come with each place's count of lists (Diversity.crowd).
FORMAT = 3
# Fields rebuilt from the others at load (cheap), and those kept in the JSON text.
DERIVED = ("pos", "country_pos", "neighbours", "adjacency", "_adamic_adar")
IN_TEXT = ("places", "countries", "continents", "region_pairs", "edges")


def layout() -> str:
    """The fields of MatchIndex and their types: a file of another layout is not read."""
    fields = [(f.name, str(f.type)) for f in dataclasses.fields(MatchIndex)]
    return hashlib.sha256(json.dumps([FORMAT, fields]).encode()).hexdigest()[:16]


def path_for(session: Session) -> Path:
    name = hashlib.sha256(cache.database_key(session).encode("utf-8")).hexdigest()[:20]
    return Path(get_settings().state_dir) / f"recommender-{name}.npz"


# The diversity penalties with what they were worked out from (amity.matching.engine).
KeptDiversity = tuple[str, Diversity]


def load(
    session: Session, version: int
) -> tuple[MatchIndex, dict[int, str], KeptDiversity | None] | None:
    """The saved arrays, place levels and diversity penalties of this registry version, if
    there is such a file."""
    path = path_for(session)
    if not path.exists():
        return None
    try:
        return read(path, version)
    except Exception:  # noqa: BLE001 (a damaged or outdated file is rebuilt and written again)
        log.info("not using the recommender file %s", path, exc_info=True)
        return None


def save_later(
    session: Session, version: int, index: MatchIndex, levels: dict[int, str],
    diversity: KeptDiversity | None = None,
) -> None:  # fmt: skip
    """Write the file in a background thread (the build's answer does not wait for the disk).
    The index is not changed once built: safe to read from another thread."""
    path = path_for(session)

    def run() -> None:
        try:
            write(path, version, index, levels, diversity)
        except Exception:  # noqa: BLE001 (a full disk must not fail the build)
            log.warning("could not save the recommender's arrays", exc_info=True)

    thread = threading.Thread(target=run, name="save-recommender", daemon=True)
    _saving.append(thread)
    thread.start()


_saving: list[threading.Thread] = []


def settle() -> None:
    """Wait for the files being written (tests, and a command about to exit)."""
    while _saving:
        _saving.pop().join()


# A command that exits first finishes the file, so that the next command loads it.
atexit.register(settle)


def write(
    path: Path, version: int, index: MatchIndex, levels: dict[int, str],
    diversity: KeptDiversity | None = None,
) -> None:  # fmt: skip
    arrays: dict[str, np.ndarray] = {}
    # Arrays of Python objects (texts, None) go into the JSON text; unset fields are named.
    objects: dict[str, list] = {}
    unset: list[str] = []
    for field in dataclasses.fields(MatchIndex):
        if field.name in DERIVED or field.name in IN_TEXT:
            continue
        value = getattr(index, field.name)
        if value is None:
            unset.append(field.name)
        elif isinstance(value, np.ndarray) and value.dtype == object:
            objects[field.name] = value.tolist()
        elif isinstance(value, np.ndarray):
            arrays[f"index_{field.name}"] = value
        else:
            raise TypeError(f"MatchIndex.{field.name} is not an array: add it to DERIVED")
    arrays["edges"] = np.array(index.edges, dtype=np.int64).reshape(-1, 2)
    meta = {
        "layout": layout(),
        "version": version,
        "places": [dataclasses.astuple(p) for p in index.places],
        "countries": index.countries,
        "continents": index.continents,
        "region_pairs": [
            [r, s, n] for r, row in index.region_pairs.items() for s, n in row.items()
        ],
        "levels": [[pid, level] for pid, level in levels.items()],
        "objects": objects,
        "unset": unset,
    }
    if diversity is not None:
        key, kept = diversity
        arrays["diversity_penalty"] = kept.penalty
        arrays["diversity_crowd"] = kept.crowd
        meta["diversity"] = {"key": key, "lists": kept.lists, "cap": kept.cap,
                             "max_share_before": kept.max_share_before,
                             "max_share_after": kept.max_share_after}  # fmt: skip
    write_npz(path, arrays, meta)


def read(
    path: Path, version: int
) -> tuple[MatchIndex, dict[int, str], KeptDiversity | None] | None:
    """The file's arrays, or None when it holds another registry version."""
    with np.load(path, allow_pickle=False) as archive:
        meta = read_meta(archive)
        if meta.get("version") != version:
            return None
        if meta.get("layout") != layout():
            raise ValueError("a recommender file of another layout")
        values = {
            name.removeprefix("index_"): archive[name]
            for name in archive.files
            if name.startswith("index_")
        }
        edges = archive["edges"]
        penalty = archive["diversity_penalty"] if "diversity" in meta else None
        crowd = archive["diversity_crowd"] if "diversity" in meta else None
    for name, items in meta["objects"].items():
        values[name] = np.array(items, dtype=object)
    values.update({name: None for name in meta["unset"]})
    region_pairs: dict[int, dict[int, int]] = {}
    for r, s, n in meta["region_pairs"]:
        region_pairs.setdefault(r, {})[s] = n
    countries = meta["countries"]
    indices, indptr = values["indices"], values["indptr"]
    bounds = indptr.tolist()
    index = MatchIndex(
        **values,
        pos={int(pid): i for i, pid in enumerate(values["ids"].tolist())},
        places=[PlaceInfo(*row) for row in meta["places"]],
        countries=countries,
        country_pos={c: i for i, c in enumerate(countries)},
        continents=meta["continents"],
        neighbours=[indices[s:e] for s, e in zip(bounds[:-1], bounds[1:], strict=True)],
        edges=[(int(a), int(b)) for a, b in edges.tolist()],
        region_pairs=region_pairs,
        adjacency=sparse.csr_matrix(
            (np.ones(len(indices)), indices, indptr), shape=(len(bounds) - 1, len(bounds) - 1)
        ),
    )
    kept = None
    if penalty is not None:
        about = dict(meta["diversity"])
        key = about.pop("key")
        kept = (key, Diversity(penalty=penalty, crowd=crowd, **about))
    return index, {int(pid): level for pid, level in meta["levels"]}, kept
