"""Small vectorised helpers over NumPy arrays of grouped rows."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

DAY_US = 86_400_000_000


def starts_of(counts: Ints) -> Ints:
    """Offsets of consecutive groups of these sizes."""
    out = np.zeros(len(counts), dtype=np.int64)
    if len(counts) > 1:
        np.cumsum(counts[:-1], out=out[1:])
    return out


def group_of(counts: Ints) -> Ints:
    """For rows laid out group after group, the group index of each row."""
    return np.repeat(np.arange(len(counts), dtype=np.int64), counts)


def rank_in_group(counts: Ints) -> Ints:
    """For rows laid out group after group, each row's position inside its group."""
    total = int(counts.sum())
    return np.arange(total, dtype=np.int64) - np.repeat(starts_of(counts), counts)


def first_in_runs(keys: Ints) -> Bools:
    """True where a sorted key array starts a new run."""
    out = np.ones(len(keys), dtype=np.bool_)
    if len(keys) > 1:
        out[1:] = keys[1:] != keys[:-1]
    return out


def last_in_runs(keys: Ints) -> Bools:
    """True where a sorted key array ends a run."""
    out = np.ones(len(keys), dtype=np.bool_)
    if len(keys) > 1:
        out[:-1] = keys[1:] != keys[:-1]
    return out


def cumsum_before_in_runs(values: Ints, keys: Ints) -> Ints:
    """Sum of the earlier values in the same run of a sorted key array."""
    cum = np.cumsum(values) - values
    starts = np.flatnonzero(first_in_runs(keys))
    lengths = np.diff(np.append(starts, len(keys)))
    return cum - np.repeat(cum[starts], lengths)


def choice(rng: np.random.Generator, weights: Floats, size: int) -> Ints:
    """Draw ``size`` indices with these (unnormalised) weights."""
    cum = np.cumsum(weights, dtype=np.float64)
    drawn: Ints = np.searchsorted(cum, rng.random(size) * cum[-1], side="right")
    return drawn.astype(np.int64)


def ids(prefix: str, numbers: Ints, width: int) -> pa.Array:
    """``prefix`` + zero-padded numbers, e.g. ACC-000042, as an Arrow string array."""
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers, type=pa.int64()), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def take(values: pa.Array | list[str], index: Ints, mask: Bools | None = None) -> pa.Array:
    """Strings by code; entries where ``mask`` is True become null."""
    dictionary = values if isinstance(values, pa.Array) else pa.array(values, type=pa.string())
    return dictionary.take(pa.array(index, type=pa.int64(), mask=mask))


def timestamps(us: Ints, mask: Bools | None = None) -> pa.Array:
    """Microseconds since the epoch as timestamp[us, tz=UTC]."""
    return pa.array(us, type=pa.int64(), mask=mask).cast(pa.timestamp("us", tz="UTC"))
