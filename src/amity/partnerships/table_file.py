"""The registry's facet table saved in the data directory (AMITY_STATE_DIR), so that a start (or a
second worker) loads it and replays the change log since, instead of building it from the
database.

One file per database (named after a hash of its URL): a numpy .npz archive of plain arrays and
one JSON text (no pickled objects), tagged with the database's identity (a random number set
once per database, migration 0013) and the change log's seq it reflects. It is written to a
temporary file and renamed, so a reader never sees half a file. A file of another database, one
newer than the database's log, or one that cannot be read is ignored: the table is rebuilt, and
saved again.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from pathlib import Path

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amity.core import cache
from amity.core.settings import get_settings
from amity.core.state_files import read_meta, write_npz
from amity.partnerships.facet_table import (
    OWN,
    SIDE_FACETS,
    SORTS,
    PlacePositions,
    RegistryTable,
    Side,
)
from amity.partnerships.models import RegistryChange

log = logging.getLogger(__name__)

# The layout of the file: a file of another layout is ignored.
FORMAT = 2
MASKED = (*OWN, *SIDE_FACETS)


def path_for(session: Session) -> Path:
    url = cache.database_key(session)
    name = hashlib.sha256(url.encode("utf-8")).hexdigest()[:20]
    return Path(get_settings().state_dir) / f"registry-table-{name}.npz"


def save(session: Session, table: RegistryTable) -> None:
    """Write the table's file (failures are logged: the file is only a head start)."""
    try:
        write(path_for(session), table)
    except Exception:  # noqa: BLE001 (a full disk must not fail the request)
        log.warning("could not save the registry's facet table", exc_info=True)


_saving = threading.Lock()
# A patched table is saved at most this often (seconds): a start replays what came since.
SAVE_EVERY = 30.0
_saved_at: dict[Path, float] = {}


def save_later(session: Session, table: RegistryTable) -> None:
    """Save in a background thread, at most every SAVE_EVERY seconds and one at a time (a save
    under way makes this one skip). The table is never changed once built: safe to read."""
    path = path_for(session)
    engine = session.get_bind().engine
    now = time.monotonic()
    if now - _saved_at.get(path, -SAVE_EVERY) < SAVE_EVERY or not _saving.acquire(blocking=False):
        return
    _saved_at[path] = now

    def run() -> None:
        try:
            # Only a state others can see (committed): a number of the change log that is
            # rolled back is handed out again on SQLite.
            with engine.connect() as connection:
                last = connection.execute(select(func.max(RegistryChange.seq))).scalar() or 0
            if last >= table.seq:
                write(path, table)
        except Exception:  # noqa: BLE001
            log.warning("could not save the registry's facet table", exc_info=True)
        finally:
            _saving.release()

    threading.Thread(target=run, name="save-registry-table", daemon=True).start()


def write(path: Path, table: RegistryTable) -> None:
    live = table.live()
    arrays: dict[str, np.ndarray] = {f"column_{k}": v for k, v in table.columns.items()}
    arrays["full"] = np.packbits(live, bitorder="little")
    for sort, (ranked, unranked) in table.orders.items():
        arrays[f"order_{sort}"], arrays[f"unranked_{sort}"] = ranked, unranked
    nbytes = (table.size + 7) // 8
    values = {}
    for facet in MASKED:
        by_value = table.masks[facet]
        values[facet] = list(by_value)
        arrays[f"mask_{facet}"] = np.frombuffer(
            b"".join(m.to_bytes(nbytes, "little") for m in by_value.values()), dtype=np.uint8
        )
    # The place lists as one sorted run per place (patched lists folded in).
    rows = PlacePositions.of(table.columns["a"], table.columns["b"], live)
    arrays["place_keys"], arrays["place_starts"] = rows.keys, rows.starts
    arrays["place_positions"] = rows.positions
    place_meta = _write_places(arrays, [table.places[p] for p in sorted(table.places)])
    meta = {
        "format": FORMAT,
        "identity": table.identity,
        "seq": table.seq,
        "size": table.size,
        "vocab": table.vocab,
        "labels": {f: [[k, *v] for k, v in by.items()] for f, by in table.labels.items()},
        "values": values,
        "places": place_meta,
    }
    write_npz(path, arrays, meta)


def load(session: Session, identity: int | None, last: int) -> RegistryTable | None:
    """The saved table of this database, if there is one it can catch up from."""
    path = path_for(session)
    if not path.exists():
        return None
    try:
        table = read(path)
    except Exception:  # noqa: BLE001 (a damaged file is rebuilt, and written again)
        log.warning("ignoring the unreadable registry table file %s", path, exc_info=True)
        return None
    if table.identity != identity or identity is None or table.seq > last:
        log.info("ignoring %s: saved for another database or a later state", path)
        return None
    return table


def read(path: Path) -> RegistryTable:
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    meta = read_meta(arrays)
    if meta.get("format") != FORMAT:
        raise ValueError(f"a registry table file of format {meta.get('format')}")
    size = meta["size"]
    nbytes = (size + 7) // 8
    masks = {}
    for facet in MASKED:
        raw = arrays[f"mask_{facet}"].reshape(len(meta["values"][facet]), nbytes).tobytes()
        masks[facet] = {
            value: int.from_bytes(raw[i * nbytes : (i + 1) * nbytes], "little")
            for i, value in enumerate(meta["values"][facet])
        }
    columns = {k.removeprefix("column_"): v for k, v in arrays.items() if k.startswith("column_")}
    if any(len(c) != size for c in columns.values()):
        raise ValueError("columns of unequal lengths")
    places = _read_places(arrays, meta["places"])
    labels = {f: {k: tuple(v) for k, *v in rows} for f, rows in meta["labels"].items()}
    return RegistryTable(
        columns=columns,
        vocab=meta["vocab"],
        places=places,
        place_rows=PlacePositions(
            arrays["place_keys"], arrays["place_starts"], arrays["place_positions"], {}
        ),
        masks=masks,
        orders={s: (arrays[f"order_{s}"], arrays[f"unranked_{s}"]) for s in SORTS},
        labels=labels,
        full=int.from_bytes(arrays["full"].tobytes(), "little"),
        identity=meta["identity"],
        seq=meta["seq"],
    )


# Side fields kept as codes into a list of their values (few distinct ones).
_CODED = ("country", "country_name", "country_name_zh", "province_code", "region", "continent",
          "level")  # fmt: skip


def _write_places(arrays: dict, sides: list[Side]) -> dict:
    """The places as columns: ids, coordinates (NaN: none), names in two NUL-joined texts, and
    codes of the shared fields; returns the shared fields' values."""
    arrays["place_id"] = np.array([s.id for s in sides], dtype=np.int64)
    for field in ("lat", "lon"):
        arrays[f"place_{field}"] = np.array(
            [np.nan if getattr(s, field) is None else getattr(s, field) for s in sides],
            dtype=np.float64,
        )
    arrays["place_name"] = _blob(s.name for s in sides)
    arrays["place_name_zh"] = _blob(s.name_zh or "" for s in sides)
    arrays["place_has_zh"] = np.array([s.name_zh is not None for s in sides], dtype=bool)
    shared = {}
    for field in _CODED:
        words: dict = {}
        codes = [-1 if (v := getattr(s, field)) is None else words.setdefault(v, len(words))
                 for s in sides]  # fmt: skip
        arrays[f"place_{field}"] = np.array(codes, dtype=np.int32)
        shared[field] = list(words)
    return shared


def _blob(texts) -> np.ndarray:
    return np.frombuffer("\0".join(texts).encode("utf-8"), dtype=np.uint8)


def _read_places(arrays: dict, shared: dict) -> dict[int, Side]:
    ids = arrays["place_id"].tolist()
    if not ids:
        return {}
    names = arrays["place_name"].tobytes().decode("utf-8").split("\0")
    names_zh = arrays["place_name_zh"].tobytes().decode("utf-8").split("\0")
    has_zh = arrays["place_has_zh"].tolist()
    coords = [
        [None if v != v else v for v in arrays[f"place_{f}"].tolist()] for f in ("lat", "lon")
    ]
    coded = {}
    for field, words in shared.items():
        # Code -1 (no value) reads the None appended at the end.
        words = [*words, None]
        coded[field] = [words[c] for c in arrays[f"place_{field}"].tolist()]
    if not len(names) == len(names_zh) == len(ids):
        raise ValueError("place columns of unequal lengths")
    return {
        pid: Side(pid, name, zh if has else None, cc, en, zh_c, province, region, continent,
                  lat, lon, level)
        for pid, name, zh, has, cc, en, zh_c, province, region, continent, lat, lon, level
        in zip(ids, names, names_zh, has_zh, coded["country"], coded["country_name"],
               coded["country_name_zh"], coded["province_code"], coded["region"],
               coded["continent"], coords[0], coords[1], coded["level"], strict=True)
    }  # fmt: skip
