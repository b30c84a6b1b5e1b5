"""Sponsor trees from a participant table: build, sample, lay out and draw (for the notebooks).

The sponsor tree has an edge from each participant's recruiting sponsor to
the participant (the `sponsor` column of the participant table, see
docs/architecture.md); participants without a sponsor (founders, and
customers who joined after their seller quit) are roots, so the whole is a
forest. Only the table is read, never the model.

Example:
    >>> table = pd.DataFrame({"id": [0, 1, 2], "sponsor": pd.array([None, 0, 0], "Int64"),
    ...                       "net_profit": [50.0, -20.0, -30.0]})
    >>> tree = sponsor_tree(table)
    >>> sorted(tree.successors(0))
    [1, 2]
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable

import matplotlib as mpl
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import SymLogNorm

__all__ = [
    "draw_sponsor_tree",
    "hierarchy_layout",
    "largest_roots",
    "sample_roots",
    "sponsor_tree",
    "top_levels",
]


def sponsor_tree(participants: pd.DataFrame) -> nx.DiGraph:
    """The sponsor forest of a run: sponsor -> recruit edges, every column as node attributes.

    Args:
        participants: the participant table (needs `id` and `sponsor`; a missing
            sponsor marks a root).

    Returns:
        A directed forest with one node per row (id as the node), each carrying
        the row's other columns as attributes.

    Raises:
        ValueError: if a sponsor is not itself in the table.
    """
    tree = nx.DiGraph()
    records = participants.set_index("id", drop=False).to_dict(orient="index")
    tree.add_nodes_from(records.items())
    sponsors = participants["sponsor"]
    has = sponsors.notna().to_numpy()
    ids = participants["id"].to_numpy()[has]
    parents = sponsors[has].to_numpy(dtype=np.int64)
    unknown = set(parents.tolist()) - set(records)
    if unknown:
        raise ValueError(f"sponsors not in the table: {sorted(unknown)[:5]}")
    tree.add_edges_from(zip(parents.tolist(), ids.tolist(), strict=True))
    return tree


def sample_roots(
    tree: nx.DiGraph, k: int, rng: np.random.Generator, min_recruits: int = 1
) -> list[Hashable]:
    """A random sample of roots that recruited at least `min_recruits` people directly.

    Args:
        tree: a sponsor forest.
        k: how many roots (fewer when fewer qualify).
        rng: the random generator drawing the sample.
        min_recruits: least number of direct recruits of a sampled root.

    Returns:
        The sampled roots, sorted.
    """
    roots = sorted(n for n in tree if tree.in_degree(n) == 0 and tree.out_degree(n) >= min_recruits)
    if len(roots) <= k:
        return roots
    picked = rng.choice(len(roots), size=k, replace=False)
    return sorted(roots[i] for i in picked)


def largest_roots(tree: nx.DiGraph, k: int) -> list[Hashable]:
    """The `k` roots with the largest downlines (all generations), largest first.

    Args:
        tree: a sponsor forest.
        k: how many roots (fewer when the forest has fewer).

    Returns:
        The roots, by descending downline size (ties by ascending node).
    """
    roots = [n for n in tree if tree.in_degree(n) == 0]
    sizes = {root: len(nx.descendants(tree, root)) for root in roots}
    return sorted(roots, key=lambda root: (-sizes[root], root))[:k]


def top_levels(tree: nx.DiGraph, roots: Iterable[Hashable], levels: int) -> nx.DiGraph:
    """The subtrees of `roots` cut after `levels` generations.

    Args:
        tree: a sponsor forest.
        roots: the nodes to start from (generation 0).
        levels: generations kept below each root (0: the roots alone).

    Returns:
        A copy of the induced subgraph, each node with a `generation` attribute
        (0 for the roots).
    """
    generation: dict[Hashable, int] = {}
    for root in roots:
        lengths = nx.single_source_shortest_path_length(tree, root, cutoff=levels)
        generation.update(lengths)
    sub = tree.subgraph(generation).copy()
    nx.set_node_attributes(sub, generation, "generation")
    return sub


def hierarchy_layout(tree: nx.DiGraph, gap: float = 1.0) -> dict[Hashable, tuple[float, float]]:
    """A layered drawing of a forest: generation down the y axis, leaves side by side.

    Leaves get consecutive x positions in depth-first order (roots and children
    by ascending node id), each parent sits midway between its first and last
    child, and trees are separated by `gap` extra leaf widths. Roots are at
    y = 0 and each generation one unit lower.

    Args:
        tree: a directed forest.
        gap: extra horizontal space between trees.

    Returns:
        Node -> (x, y).

    Raises:
        ValueError: if `tree` is not a directed forest.
    """
    if tree.number_of_nodes() and not nx.is_forest(tree):
        raise ValueError("hierarchy_layout needs a directed forest")
    pos: dict[Hashable, tuple[float, float]] = {}
    next_x = 0.0
    for root in sorted(n for n in tree if tree.in_degree(n) == 0):
        stack: list[tuple[Hashable, int, bool]] = [(root, 0, False)]
        while stack:
            node, depth, expanded = stack.pop()
            children = sorted(tree.successors(node))
            if not children:
                pos[node] = (next_x, -float(depth))
                next_x += 1.0
            elif expanded:
                pos[node] = ((pos[children[0]][0] + pos[children[-1]][0]) / 2, -float(depth))
            else:
                stack.append((node, depth, True))
                stack.extend((child, depth + 1, False) for child in reversed(children))
        next_x += gap
    return pos


def draw_sponsor_tree(
    ax: Axes,
    tree: nx.DiGraph,
    value: str = "net_profit",
    cmap: str = "RdBu",
    linthresh: float = 100.0,
) -> ScalarMappable:
    """Draw a (small) sponsor forest on `ax`, nodes coloured by a node attribute.

    The colour scale is symmetric about zero and logarithmic beyond
    `linthresh`, so losses are red and profits blue with the default map, and
    a few large earners do not wash out everyone else.

    Args:
        ax: axes to draw on (its frame is hidden).
        tree: the forest, e.g. from `top_levels` (nodes need `value`).
        value: the node attribute setting the colour.
        cmap: a diverging matplotlib colour map name.
        linthresh: half-width of the linear part of the scale (same unit as `value`).

    Returns:
        The colour mapping, for `figure.colorbar`.
    """
    nodes = list(tree)
    values = np.array([tree.nodes[n][value] for n in nodes], dtype=np.float64)
    bound = max(float(np.abs(values).max()) if values.size else 0.0, linthresh)
    norm = SymLogNorm(linthresh=linthresh, vmin=-bound, vmax=bound)
    colours = mpl.colormaps[cmap]
    pos = hierarchy_layout(tree)
    size = float(np.clip(3000.0 / math.sqrt(max(len(nodes), 1)), 8.0, 300.0))
    nx.draw_networkx_edges(tree, pos, ax=ax, arrows=False, edge_color="0.6", width=0.6)
    nx.draw_networkx_nodes(
        tree,
        pos,
        nodelist=nodes,
        node_color=colours(norm(values)),
        node_size=size,
        edgecolors="0.3",
        linewidths=0.3,
        ax=ax,
    )
    ax.set_axis_off()
    return ScalarMappable(norm=norm, cmap=colours)
