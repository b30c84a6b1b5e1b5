"""Vectorised helpers on the placement tree (parent arrays, -1 = company)."""

from __future__ import annotations

import numpy as np


def nearest_marked_ancestor(parent: np.ndarray, marked: np.ndarray) -> np.ndarray:
    """For every node, the closest proper ancestor with `marked` True (-1 if none).

    This is compression: unqualified or inactive members are skipped and their
    volume rolls up to the next qualified upline. Computed by pointer jumping,
    so it takes O(log depth) vectorised rounds.

    Args:
        parent: parent of each node (-1 for roots), int array.
        marked: bool array, which nodes may be returned.

    Returns:
        int64 array of ancestors (-1: no marked ancestor).
    """
    jump = parent.astype(np.int64, copy=True)
    has = jump >= 0
    found = ~has
    found[has] = marked[jump[has]]
    todo = np.flatnonzero(~found)
    while todo.size:
        nxt = jump[todo]
        jump[todo] = jump[nxt]
        found[todo] = found[nxt]
        todo = todo[~found[todo]]
    return jump


def ancestors_at_levels(
    parent: np.ndarray, marked: np.ndarray, sources: np.ndarray, levels: int
) -> np.ndarray:
    """The first `levels` marked ancestors of each source, nearest first.

    Args:
        parent: parent of each node (-1 for roots).
        marked: which nodes count as a level (qualified members).
        sources: nodes whose uplines are wanted.
        levels: how many marked ancestors.

    Returns:
        int64 array of shape (levels, len(sources)); -1 where the chain ends.
    """
    up = nearest_marked_ancestor(parent, marked)
    out = np.full((levels, sources.size), -1, dtype=np.int64)
    cur = sources.astype(np.int64)
    for level in range(levels):
        ok = cur >= 0
        cur = np.where(ok, up[np.maximum(cur, 0)], -1)
        out[level] = cur
    return out
