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
    out = np.full((levels, sources.size), -1, dtype=np.int64)
    cur = sources.astype(np.int64)
    for level in range(levels):
        cur = next_marked_ancestor(parent, marked, cur)
        out[level] = cur
    return out


def next_marked_ancestor(parent: np.ndarray, marked: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """The closest proper marked ancestor of each of `nodes` (-1 for none or for node -1).

    Walks up the chains of the given nodes only, so the work is proportional
    to their number times the unmarked stretches above them.
    """
    cur = np.where(nodes >= 0, parent[np.maximum(nodes, 0)], -1)
    todo = np.flatnonzero(cur >= 0)
    todo = todo[~marked[cur[todo]]]
    while todo.size:
        cur[todo] = parent[cur[todo]]
        todo = todo[cur[todo] >= 0]
        todo = todo[~marked[cur[todo]]]
    return cur


def depths(parent: np.ndarray) -> np.ndarray:
    """Generations below the root of every node (roots 0), by pointer jumping.

    Args:
        parent: parent of each node (-1 for roots).

    Returns:
        int64 array of depths.
    """
    jump = parent.astype(np.int64, copy=True)
    depth = (jump >= 0).astype(np.int64)
    todo = np.flatnonzero(jump >= 0)
    while todo.size:
        nxt = jump[todo]
        depth[todo] += depth[nxt]
        jump[todo] = jump[nxt]
        todo = todo[jump[todo] >= 0]
    return depth


def levels_bottom_up(parent: np.ndarray) -> list[np.ndarray]:
    """The non-root nodes grouped by depth, deepest group first.

    Processing the groups in this order visits every child before its parent,
    so per-level vectorised updates can roll values up the tree.

    Args:
        parent: parent of each node (-1 for roots).

    Returns:
        Arrays of node ids, one per depth, from the deepest level to depth 1.
    """
    nodes = np.flatnonzero(parent >= 0)
    if nodes.size == 0:
        return []
    depth = depths(parent)[nodes]
    order = np.argsort(-depth, kind="stable")
    nodes, depth = nodes[order], depth[order]
    return np.split(nodes, np.flatnonzero(np.diff(depth)) + 1)


def subtree_sums(parent: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Each node's value plus the values of all its descendants.

    Args:
        parent: parent of each node (-1 for roots).
        values: one value per node.

    Returns:
        float array of subtree totals.
    """
    total = values.astype(np.float64, copy=True)
    for group in levels_bottom_up(parent):
        np.add.at(total, parent[group], total[group])
    return total


def pay_by_level(
    parent: np.ndarray,
    marked: np.ndarray,
    pv: np.ndarray,
    rates: tuple[float, ...],
    payable: np.ndarray | None = None,
) -> np.ndarray:
    """Level commissions: `rates[k]` of each node's PV to its (k+1)-th marked ancestor.

    Args:
        parent: placement parent of each node (-1 for roots).
        marked: who counts as a level (qualified members under dynamic
            compression, active members when only quitters are skipped).
        pv: personal volume of each node.
        rates: share of PV per level, nearest first.
        payable: who may be paid (default: `marked`); a level held by a marked
            node that is not payable is forfeited (breakage).

    Returns:
        float array of commissions per node.
    """
    n = pv.size
    sources = np.flatnonzero(pv > 0)
    paid = np.zeros(n)
    if sources.size:
        payees = ancestors_at_levels(parent, marked, sources, len(rates))
        amounts = np.asarray(rates)[:, None] * pv[sources]
        ok = payees >= 0
        if payable is not None:
            ok[ok] = payable[payees[ok]]
        paid += np.bincount(payees[ok], weights=amounts[ok], minlength=n)
    return paid
