"""Keeping the registry's facet table up to date: patch it with the partnerships that changed,
or rebuild it.

When the registry version has changed, `refresh` reads the change log (migration 0013) since the
`seq` the table reflects. If only partnership rows changed, and not too many, they are read again
and patched into a COPY of the table (copy-on-write: requests in other threads keep reading the
old one, whose arrays and bitsets are never changed): a changed row is updated where it is, an
added one (ids grow, table order is id order) appended, a removed one left as a hole that no
mask, order or place's list holds. A write to places or countries (a marker line), a gap in the
log (pruned lines the table had not seen), a foreign database or too many changes rebuild it.
Memos of the old table are not carried over.
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections import defaultdict

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amity.core.facets import bitset
from amity.partnerships import table_file
from amity.partnerships.facet_table import (
    SORTS,
    PlacePositions,
    RegistryTable,
    build,
    encode,
    facet_labels,
    log_state,
    read_pairs,
    read_sides,
    text_index,
)
from amity.partnerships.models import Partnership, RegistryChange

log = logging.getLogger(__name__)

# At most this many changed rows are patched (or this share of the table, if more); beyond, the
# table is rebuilt, which is then about as fast.
PATCH_ROWS = 2_000
PATCH_SHARE = 0.02
# A table with more holes than this share of its positions is rebuilt.
HOLE_SHARE = 0.2
# Places whose rows changed are kept apart; beyond this many, the place lists are recomputed.
CHANGED_PLACES = 20_000


def patch_limit(table: RegistryTable) -> int:
    return max(PATCH_ROWS, int(table.size * PATCH_SHARE))


def refresh(session: Session, old: RegistryTable | None) -> RegistryTable:
    """The table for the database's current state, from `old` (this process's previous table,
    or the one saved in the data directory) and the changes since, or built from scratch."""
    identity, last, first = log_state(session)
    saved = False
    if old is None or old.identity != identity:
        old = table_file.load(session, identity, last)
        saved = old is not None
    if old is not None and old.identity == identity:
        table = catch_up(session, old, last, first)
        if table is not None and saved and len(table.pairs) != _count_pairs(session):
            # A copy of the database that went its own way with the same identity (a file
            # moved over another): the saved table was for the other one.
            log.info("the saved registry table does not match the database: rebuilding")
            table = None
        if table is not None:
            if (table.seq != old.seq or saved) and not _writing(session):
                table_file.save_later(session, table)
            return table
    table = build(session)
    if not _writing(session):
        table_file.save(session, table)
    return table


def _writing(session: Session) -> bool:
    """Has the session written to the registry in a transaction not yet committed? A table read
    then may hold rows that are rolled back: it is not saved (facet_table forgets it then)."""
    return bool(session.info.get("registry_changed"))


def _count_pairs(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Partnership)) or 0


def catch_up(session: Session, old: RegistryTable, last: int, first: int | None):
    """`old` with the changes logged after its seq up to `last`, or None if it must be rebuilt."""
    if last == old.seq:
        return old.renewed()  # a version change that no partnership saw (a place added)
    if last < old.seq:
        return None  # a log behind the table: another database, or one restored from a backup
    if first is None or first > old.seq + 1:
        return None  # lines the table had not seen were pruned
    limit = patch_limit(old)
    lines = session.execute(
        select(RegistryChange.table_name, RegistryChange.row_id)
        .where(RegistryChange.seq > old.seq, RegistryChange.seq <= last)
        .order_by(RegistryChange.seq)
        .limit(limit + 1)
    ).all()
    if len(lines) > limit or any(row_id is None for _table, row_id in lines):
        return None
    return patched(session, old, {row_id for _table, row_id in lines}, last)


def patched(session: Session, old: RegistryTable, ids: set[int], seq: int):
    """A copy of `old` with these partnerships read again, or None if it must be rebuilt."""
    rows = {row[0]: row for row in read_pairs(session, ids)}
    known = old.columns["id"]
    live = old.live()
    n = old.size
    updated: list[tuple[int, tuple]] = []  # (position, row)
    removed: list[int] = []
    added: list[tuple] = []
    for row_id in sorted(ids):
        at = int(np.searchsorted(known, row_id))
        row = rows.get(row_id)
        if at < n and known[at] == row_id:
            if row is not None:
                updated.append((at, row))
            elif live[at]:
                removed.append(at)
        elif row is not None:
            if n and row_id < known[-1]:
                return None  # an id below the last: it has no place in id order
            added.append(row)
    alive = int(live.sum()) - len(removed) + sum(not live[p] for p, _row in updated) + len(added)
    holes = n + len(added) - alive
    if holes > HOLE_SHARE * (n + len(added)) + 100:
        return None

    # The old values of the rows that change or go (their bits are cleared).
    touched = [p for p, _row in updated] + removed
    before = {p: old.values_of(p) for p in touched if live[p]}
    old_places = {p: (int(old.columns["a"][p]), int(old.columns["b"][p])) for p in touched}

    # New columns: copies, changed where rows changed, longer by the rows added.
    vocab = {name: list(words) for name, words in old.vocab.items()}
    changed_rows = [row for _p, row in updated]
    new = encode(changed_rows + added, vocab)
    columns = {}
    positions = np.array([p for p, _row in updated], dtype=np.int64)
    for name, column in old.columns.items():
        column = column.copy()
        column[positions] = new[name][: len(updated)]
        columns[name] = np.concatenate((column, new[name][len(updated) :]))
    size = n + len(added)
    added_at = list(range(n, size))
    fresh = [p for p, _row in updated] + added_at  # rows with new values

    # Places: the new ones are read; those left without pairs go.
    places = dict(old.places)
    wanted = {int(columns[s][p]) for p in fresh for s in ("a", "b")} - places.keys()
    if wanted:
        places.update(read_sides(session, wanted))
    full = old.full & ~bitset(removed, size) | bitset(fresh, size)

    table = RegistryTable(
        columns=columns, vocab=vocab, places=places, place_rows=old.place_rows, masks={},
        orders={}, labels=old.labels, full=full, identity=old.identity, seq=seq,
    )  # fmt: skip
    table.place_rows = _place_rows(old.place_rows, table, old_places, touched, fresh)
    for place in {p for pair in old_places.values() for p in pair}:
        if place in places and not len(table.place_rows.of_place(place)):
            del places[place]
    table.masks = _masks(old, table, before, fresh)
    table.orders = {sort: _order(old, table, sort, touched, fresh) for sort in SORTS}
    provinces = table.masks["province"].keys()
    if provinces != old.labels["province"].keys():
        names = old.labels["province"]
        missing = provinces - names.keys()
        if missing:
            names = {**names, **facet_labels(session, missing)["province"]}
        table.labels = {**old.labels, "province": {p: names[p] for p in provinces if p in names}}
    if old._text is not None:
        table._text = _text_with(old._text, [places[p] for p in wanted if p in places])
    return table


def _masks(old: RegistryTable, table: RegistryTable, before: dict, fresh: list[int]) -> dict:
    """The old masks with the old values' bits cleared and the new ones' set, per value."""
    clear: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    put: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    for position, values in before.items():
        for facet, vs in values.items():
            for v in vs:
                clear[facet][v].append(position)
    for position in fresh:
        for facet, vs in table.values_of(position).items():
            for v in vs:
                put[facet][v].append(position)
    masks = {}
    for facet, by_value in old.masks.items():
        by_value = dict(by_value)
        for value in clear[facet].keys() | put[facet].keys():
            mask = by_value.get(value, 0) & ~bitset(clear[facet].get(value, ()), table.size)
            mask |= bitset(put[facet].get(value, ()), table.size)
            if mask:
                by_value[value] = mask
            else:
                by_value.pop(value, None)
        masks[facet] = by_value
    return masks


def _order(old: RegistryTable, table: RegistryTable, sort: str, touched, fresh) -> tuple:
    """An old order without the touched rows, with the fresh ones inserted where they rank."""
    ranked, unranked = old.orders[sort]
    if touched:
        gone = np.asarray(touched, dtype=np.int64)
        ranked = ranked[~np.isin(ranked, gone)]
        unranked = unranked[~np.isin(unranked, gone)]
    keyed = [(table.sort_key(sort, p), p) for p in fresh]
    ranking = sorted((k, p) for k, p in keyed if k is not None)
    if ranking:

        def key(position):
            return table.sort_key(sort, int(position))

        at = [bisect_left(ranked, k, key=key) for k, _p in ranking]
        ranked = np.insert(ranked, at, [p for _k, p in ranking]).astype(np.int32)
    without = sorted(p for k, p in keyed if k is None)
    if without:  # those without a key stay in table order
        unranked = np.insert(unranked, np.searchsorted(unranked, without), without)
        unranked = unranked.astype(np.int32)
    return ranked, unranked


def _place_rows(old: PlacePositions, table: RegistryTable, old_places: dict, touched, fresh):
    """Place lists with the touched rows taken out of their old places' lists and the fresh
    rows put into their places' lists."""
    a, b = table.columns["a"], table.columns["b"]
    affected: dict[int, list[int]] = defaultdict(list)
    for pair in old_places.values():
        for place in pair:
            affected.setdefault(place, [])
    for position in fresh:
        affected[int(a[position])].append(position)
        affected[int(b[position])].append(position)
    if len(old.changed) + len(affected) > CHANGED_PLACES:
        return PlacePositions.of(a, b, table.live())
    gone = np.asarray(touched, dtype=np.int64)
    changed = dict(old.changed)
    for place, rows in affected.items():
        current = old.of_place(place)
        current = current[~np.isin(current, gone)]
        changed[place] = np.union1d(current, np.asarray(rows, dtype=np.int32)).astype(np.int32)
    return PlacePositions(old.keys, old.starts, old.positions, changed)


def _text_with(text: tuple, sides: list) -> tuple:
    """The old text index with new places' haystacks after it."""
    hay, starts, ids = text
    if not sides:
        return text
    more, more_starts, more_ids = text_index(sides)
    offset = len(hay) + 1
    return (
        hay + "\0" + more,
        np.concatenate((starts, more_starts + offset)),
        np.concatenate((ids, more_ids)),
    )

