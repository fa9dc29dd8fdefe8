"""Generate a demo world: stream batches of accounts to Parquet, then record the truths."""

from __future__ import annotations

import json
import math
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from jornada.demo import world
from jornada.demo._arrays import take
from jornada.demo.batch import Carry, Context, build_batch
from jornada.demo.compiled import compile_world
from jornada.demo.config import WorldConfig
from jornada.demo.content import build_inventory
from jornada.demo.names import FIRST_NAMES, LAST_NAMES
from jornada.demo.people import REP_KEY
from jornada.demo.tables import SCHEMAS, TABLES, rep_ids
from jornada.demo.truth import realised_truths
from jornada.errors import DemoError

BATCH_ACCOUNTS = 2_500
EVENTS_PER_ACCOUNT = 60
"""A rough guess used only to size the last batches; the exact count is enforced anyway."""
MAX_EVENTS = 1_000_000_000


@dataclass(frozen=True)
class WorldSummary:
    """What a run wrote: rows per table, files, and how long it took."""

    out_dir: Path
    seed: int
    counts: dict[str, int]
    files: tuple[str, ...]
    elapsed_seconds: float
    truths: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def events(self) -> int:
        return self.counts["events"]

    @property
    def accounts(self) -> int:
        return self.counts["accounts"]


def generate_world(
    out_dir: Path,
    *,
    events: int = 200_000,
    seed: int = 7,
    config: WorldConfig | None = None,
    progress: Callable[[int], None] | None = None,
) -> WorldSummary:
    """Write a demo world of exactly ``events`` events into ``out_dir``.

    Same seed, size and config give the same tables. The directory is replaced whole at
    the end; a failed run leaves nothing behind.
    """
    started = time.perf_counter()
    config = config if config is not None else WorldConfig()
    out_dir = Path(out_dir)
    _check_arguments(out_dir, events, seed, config)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    partial = out_dir.parent / f".{out_dir.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        counts = _write_tables(partial, events, seed, config, progress)
        truths = realised_truths(partial, config, seed)
        (partial / "truth.json").write_text(
            json.dumps(truths, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        _move_into_place(partial, out_dir)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    files = tuple(sorted(f"{name}.parquet" for name in TABLES)) + ("truth.json",)
    return WorldSummary(
        out_dir, seed, counts, files, round(time.perf_counter() - started, 3), truths
    )


def _check_arguments(out_dir: Path, events: int, seed: int, config: WorldConfig) -> None:
    if isinstance(events, bool) or not isinstance(events, int):
        raise DemoError(f"events must be a whole number, got {events!r}")
    if events < 1:
        raise DemoError(f"events must be at least 1, got {events}")
    if events > MAX_EVENTS:
        raise DemoError(f"events must be at most {MAX_EVENTS:,}, got {events:,}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise DemoError(f"seed must be a whole number from 0 up, got {seed!r}")
    if not isinstance(config, WorldConfig):
        raise DemoError("config must be a WorldConfig (or None for the defaults)")
    if out_dir.exists() and not out_dir.is_dir():
        raise DemoError(f"{out_dir} is a file; give a directory to write the world into")
    for parent in out_dir.parents:
        if parent.exists():
            if not parent.is_dir():
                raise DemoError(f"{parent} is a file; give a directory to write the world into")
            break
    config.validate()


def _write_tables(
    folder: Path,
    events: int,
    seed: int,
    config: WorldConfig,
    progress: Callable[[int], None] | None,
) -> dict[str, int]:
    inventory = build_inventory(np.random.default_rng([seed, 1]), config.content_gap)
    comp = compile_world(config, inventory.content_tps, inventory.has_role)
    ctx = Context(config, comp, inventory, _horizon_us(config))
    carry = Carry()
    counts = dict.fromkeys(TABLES, 0)
    writers = {
        name: pq.ParquetWriter(folder / f"{name}.parquet", SCHEMAS[name], compression="zstd")
        for name in ("events", "accounts", "contacts", "opportunities", "feedback")
    }
    try:
        batch_no = 0
        while carry.events < events:
            room = events - carry.events
            size = min(BATCH_ACCOUNTS, math.ceil(room / EVENTS_PER_ACCOUNT * 1.1) + 3)
            rng = np.random.default_rng([seed, 2, batch_no])
            batch = build_batch(rng, size, ctx, carry, room)
            for name, writer in writers.items():
                table = getattr(batch, name)
                if table.num_rows:
                    writer.write_table(table)
                    counts[name] += table.num_rows
            batch_no += 1
            if progress is not None:
                progress(carry.events)
    finally:
        for writer in writers.values():
            writer.close()
    pq.write_table(inventory.table, folder / "content.parquet", compression="zstd")
    counts["content"] = inventory.table.num_rows
    reps = _reps(seed, sorted(carry.rep_keys))
    pq.write_table(reps, folder / "reps.parquet", compression="zstd")
    counts["reps"] = reps.num_rows
    return counts


def _horizon_us(config: WorldConfig) -> int:
    end = np.datetime64(config.data_end.isoformat(), "us") + np.timedelta64(1, "D")
    return int((end - np.datetime64("1970-01-01", "us")).astype(np.int64)) - 1


def _reps(seed: int, keys: list[int]) -> pa.Table:
    """The reps who own accounts, named in their region's main language."""
    key = np.array(keys, dtype=np.int64)
    rng = np.random.default_rng([seed, 3])
    region = key // REP_KEY
    number = key % REP_KEY
    lang_of_region = np.array(
        [
            world.LANGUAGES.index(
                next(c.language for c in world.COUNTRIES if c.code == r.countries[0][0])
            )
            for r in world.REGIONS
        ],
        dtype=np.int64,
    )
    lang = lang_of_region[region]
    first = np.floor(rng.random(len(key)) * len(FIRST_NAMES["es"])).astype(np.int64)
    last = np.floor(rng.random(len(key)) * len(LAST_NAMES["es"])).astype(np.int64)
    firsts = [n for lg in world.LANGUAGES for n in FIRST_NAMES[lg]]
    lasts = [n for lg in world.LANGUAGES for n in LAST_NAMES[lg]]
    name = pc.binary_join_element_wise(
        take(firsts, lang * len(FIRST_NAMES["es"]) + first),
        take(lasts, lang * len(LAST_NAMES["es"]) + last),
        " ",
    )
    squad = pc.cast(pa.array((number - 1) // 8 + 1, pa.int64()), pa.string())
    team = pc.binary_join_element_wise(
        take([r.names.en for r in world.REGIONS], region), " sales team ", squad, ""
    )
    return pa.Table.from_arrays(
        [rep_ids(key), name, team, take(list(world.REGION_IDS), region)],
        schema=SCHEMAS["reps"],
    )


def _move_into_place(partial: Path, out_dir: Path) -> None:
    if out_dir.exists():
        old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
        shutil.rmtree(old, ignore_errors=True)
        out_dir.rename(old)
        partial.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        partial.rename(out_dir)
