"""The recommender's arrays saved in the data directory: a restart loads them instead of reading
the registry again, and answers exactly as a build from the database does; a file of another
registry version, of another layout or damaged is not used."""

from __future__ import annotations

import dataclasses

import numpy as np

from amity.core import cache
from amity.core.db import session_scope
from amity.matching import engine_file
from amity.matching import service as matching
from amity.matching.engine import engine as current_engine
from amity.partnerships.service import registry_version


def _top(engine, place_id: int) -> list[tuple[int, float]]:
    with session_scope(engine) as session:
        result = matching.recommend(session, place_id, k=10, scope="world")
    return [(row["id"], row["score"]) for row in result["results"]]


def _saved(engine):
    engine_file.settle()
    with session_scope(engine) as session:
        return engine_file.path_for(session), registry_version(session)


def _same_index(a, b) -> None:
    for field in dataclasses.fields(a):
        x, y = getattr(a, field.name), getattr(b, field.name)
        if field.name in ("adjacency",):
            assert (x != y).nnz == 0
        elif field.name == "neighbours":
            assert len(x) == len(y) and all(np.array_equal(p, q) for p, q in zip(x, y, strict=True))
        elif field.name == "_adamic_adar":
            continue
        elif isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and np.array_equal(x, y, equal_nan=x.dtype.kind == "f")
        else:
            assert x == y, field.name


def test_a_restart_loads_the_arrays_and_answers_as_a_build_does(network):
    engine, ids = network["engine"], network["ids"]
    built = _top(engine, ids["xian"])
    path, version = _saved(engine)
    assert path.exists()
    with session_scope(engine) as session:
        fresh = current_engine(session, wait=True)
    loaded, levels, kept = engine_file.read(path, version)
    _same_index(fresh.index, loaded)
    assert levels == fresh.levels
    key, diversity = kept  # the penalties are kept too: a restart need not draw up every list
    assert np.array_equal(diversity.penalty, fresh.diversity.penalty)
    assert np.array_equal(diversity.crowd, fresh.diversity.crowd)  # layout 3
    assert diversity.as_dict() == fresh.diversity.as_dict()
    written = path.stat().st_mtime_ns
    cache.clear()  # a restart: nothing in memory
    assert _top(engine, ids["xian"]) == built
    engine_file.settle()
    assert path.stat().st_mtime_ns == written  # loaded, not built and written again


def test_a_file_of_another_version_or_damaged_is_not_used(network):
    engine, ids = network["engine"], network["ids"]
    built = _top(engine, ids["xian"])
    path, version = _saved(engine)
    assert engine_file.read(path, version + 1) is None
    path.write_bytes(path.read_bytes()[:100])
    cache.clear()
    assert _top(engine, ids["xian"]) == built
    path, _ = _saved(engine)
    assert engine_file.read(path, version) is not None  # written again, whole


def test_a_file_of_another_layout_is_not_used(network, monkeypatch):
    engine, ids = network["engine"], network["ids"]
    _top(engine, ids["xian"])
    path, version = _saved(engine)
    monkeypatch.setattr(engine_file, "FORMAT", engine_file.FORMAT + 1)
    with session_scope(engine) as session:
        assert engine_file.load(session, version) is None


def test_new_weights_save_penalties_worked_out_with_them(network):
    engine, ids = network["engine"], network["ids"]
    _top(engine, ids["xian"])
    path, version = _saved(engine)
    before = engine_file.read(path, version)[2][0]
    with session_scope(engine) as session:
        matching.learn(session)
    path, version = _saved(engine)
    after = engine_file.read(path, version)[2][0]
    assert after != before and after.split("|")[1] == before.split("|")[1]
