# SPDX-License-Identifier: AGPL-3.0-or-later
"""The three sizes of issue 24, each in a database of its own, built once and kept.

Every synthetic EPCI is the demo territory (CC Les Trois Provinces: its 11 communes and
221 PLUi zones) scaled by one half and laid 4 × 4 times side by side: 176 communes and
3,536 zones over about 50 × 40 km, a dense PLUi as a real intercommunalité has. The EPCI
are then laid on a 22-column grid from Lambert-93's south-west corner of France, each
with its own SIREN, INSEE codes, PLUi document and version. Nothing is random: points are
drawn by ST_GeneratePoints with a fixed seed per EPCI, everything else is arithmetic on
the row number.

  ×1:   6 EPCI, 21,216 zones, about 105,000 contributions and 31,800 signalements
  ×10:  57 EPCI, 201,552 zones, about 997,500 contributions and 302,100 signalements
  ×100: 566 EPCI, 2,001,376 zones, zoning only

Each participating EPCI has an open concertation over its outline (the demo's phases,
themes and modules), 2,000 residents, 17,500 contributions (one in fifteen a line, one in
twenty-one an area; every status; zones and commune linked), about one vote per
contribution and 5,300 signalements. One person (``bench-heavy@example.org``) wrote
1,000 of the first EPCI's contributions, for "download my data" and account deletion.

A database is stamped (stamp.py): a later run reuses it, migrates it when only the
migrations changed, redoes a step derived from the data (generalise.py) when only that
step's code changed, and rebuilds it when the generator (sizes, db, zoning,
participation) changed. ``python -m tests.bench.scale.build x10`` builds one size.
"""

import time

from . import stamp as stamps
from .db import Timed, connect, database_url, manage, recreate
from .generalise import generalise
from .sizes import HEAVY_EMAIL, SIZES, Size
from .zoning import generate

__all__ = ["HEAVY_EMAIL", "SIZES", "Size", "database_url", "ensure", "settle"]

# The derived steps (stamp.DERIVED), by name.
STEPS = {"generalise": generalise}


def ensure(size: Size) -> dict:
    """The size's database, built, or brought up to date as stamp.to_redo says."""
    url = database_url(size)
    found = stamps.read(url)
    want = stamps.wanted(size.name)
    redo = stamps.to_redo(found, want)
    if redo == [stamps.BUILD]:
        return {**_summary(build(size)), "reused": False}
    started = time.perf_counter()
    for step in redo:
        if step == stamps.MIGRATE:
            manage(url, "migrate", "-v", "0")
        else:
            STEPS[step](url, size)
    if redo:
        found = _stamp(url, want, seconds=found.seconds)
    return {
        **_summary(found),
        "reused": True,
        "redone": redo,
        "redo_seconds": round(time.perf_counter() - started, 1),
    }


def settle(size: Size) -> float:
    """VACUUM ANALYZE the size's database before it is measured, its indexes cleaned
    whatever the count of dead rows; its seconds. A measuring run writes: each account
    deletion, rolled back, leaves its 1,000 contributions' new index entries dead (6,000
    a run), and a redone step rewrites rows. Below 2 % of a table's pages VACUUM leaves
    dead index entries in place (INDEX_CLEANUP AUTO): at ×10 they piled up run after run
    (the list's bbox matched 23,522 index entries for its 698 ideas after six runs) until
    they passed that bound, and a regeneralised ×1 z8 tile took 48.6 ms instead of 32
    without its visibility map."""
    started = time.perf_counter()
    # VACUUM cannot run inside a transaction.
    with connect(database_url(size), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE, INDEX_CLEANUP ON)")
    return round(time.perf_counter() - started, 1)


def seed() -> str:
    """The migrated database with the demo loaded, which every size starts as a copy of
    (migrated again when the migrations change, rebuilt when the generator does)."""
    url = database_url(Size("seed", 0, False))
    want = stamps.wanted("seed", derived=())
    redo = stamps.to_redo(stamps.read(url), want)
    if redo == [stamps.BUILD]:
        recreate(url)
        manage(url, "migrate", "-v", "0")
        manage(url, "load_demo")
    elif redo:
        manage(url, "migrate", "-v", "0")
    if redo:
        _stamp(url, want)
    return url


def build(size: Size) -> stamps.Stamp:
    url = database_url(size)
    started = time.perf_counter()
    recreate(url, template=seed().rsplit("/", 1)[1])
    with connect(url, autocommit=True) as raw:
        raw.execute("SET client_min_messages = warning; DROP TABLE bench_scale_stamp")
        generate(Timed(raw), size)
    for step in stamps.DERIVED:
        STEPS[step](url, size)
    with connect(url, autocommit=True) as conn:
        Timed(conn).execute("VACUUM ANALYZE")
    return _stamp(url, stamps.wanted(size.name), seconds=round(time.perf_counter() - started, 1))


def _stamp(url: str, want: stamps.Stamp, seconds: float = 0) -> stamps.Stamp:
    with connect(url, autocommit=True) as conn:
        size_bytes = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        stamp = stamps.Stamp(**{**want.__dict__, "seconds": seconds, "bytes": size_bytes})
        stamps.write(conn, stamp)
    return stamp


def _summary(stamp: stamps.Stamp) -> dict:
    return {
        "size": stamp.size,
        "generator": stamp.generator,
        "seconds": stamp.seconds,
        "bytes": stamp.bytes,
    }
