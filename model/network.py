"""Social networks: vectorised random-graph generators and an implicit complete graph.

Every generator is vectorised with numpy (no per-person Python loops; only
short loops over pointer-chasing rounds, chunks or sampling batches) and
draws all its randomness from the `numpy.random.Generator` it is given. Sparse graphs are
stored in compressed sparse row (CSR) form with sorted neighbour lists
(`CsrNetwork`); the complete graph is implicit and never materialises its
n(n-1)/2 ties (`CompleteNetwork`). Both share the `SocialNetwork` interface
the model uses: `degree`, `random_neighbors` and `neighbor_counts`.

Generators (`make_network(kind, n, rng, ...)`), documented in detail in
`make_network`:

- ``watts_strogatz``: ring lattice plus rewiring (Watts & Strogatz 1998).
- ``barabasi_albert``: preferential attachment (Barabási & Albert 1999),
  generated with the edge-list algorithm of Batagelj & Brandes (2005).
- ``erdos_renyi``: G(n, p) (Erdős & Rényi 1959) by geometric skipping.
- ``stochastic_block``: communities of contiguous ids (Holland, Laskey &
  Leinhardt 1983).
- ``complete``: everyone tied to everyone else (implicit).

References:
    Batagelj, V. & Brandes, U. (2005). Efficient generation of large random
    networks. Physical Review E 71: 036113.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:
    import networkx

NETWORK_KINDS = ("watts_strogatz", "barabasi_albert", "erdos_renyi", "stochastic_block", "complete")
"""Names accepted by `make_network`."""

_INT32_MAX = np.iinfo(np.int32).max


# --------------------------------------------------------------------------- classes
class SocialNetwork(ABC):
    """Undirected simple graph over people 0..n-1 (no self loops, no multi-edges).

    Attributes:
        kind: name of the generator that made it (one of `NETWORK_KINDS`, or
            ``"custom"`` for `CsrNetwork.from_edges`).
        n: number of people.
        degree: int64 array (n,), number of ties of each person.
        block: int64 array (n,) of community ids for ``stochastic_block``,
            else None.
    """

    kind: str
    n: int
    degree: np.ndarray
    block: np.ndarray | None

    @property
    @abstractmethod
    def n_edges(self) -> int:
        """Number of (undirected) ties."""

    @property
    def mean_degree(self) -> float:
        """Realised mean number of ties per person."""
        return 2.0 * self.n_edges / self.n

    @abstractmethod
    def random_neighbors(self, sources: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One uniformly random neighbour for each entry of `sources`.

        Draws are independent, so repeated sources may get repeated neighbours.

        Args:
            sources: integer array of people (any shape, values in 0..n-1).
            rng: generator for the draws.

        Returns:
            int64 array shaped like `sources`; -1 where the source has no ties.
        """

    @abstractmethod
    def random_marked_neighbors(
        self, sources: np.ndarray, mask: np.ndarray, rng: np.random.Generator
    ) -> np.ndarray:
        """For each source, a uniformly random neighbour among those with `mask` set.

        Args:
            sources: 1-d integer array of people.
            mask: boolean array (n,).
            rng: generator for the draws (one uniform per source).

        Returns:
            int64 array like `sources`; -1 where no neighbour is marked.
        """

    @abstractmethod
    def neighbor_counts(self, mask: np.ndarray) -> np.ndarray:
        """For every person, how many of their neighbours have `mask` True.

        Args:
            mask: array (n,). Boolean or integer: counts (weighted by the
                integer). Float: the weighted sum of the neighbours' values.

        Returns:
            int64 array (n,) for a boolean or integer mask, else float64 (n,).
        """

    @abstractmethod
    def tie_counts(self, people: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """For every person, the sum of `weights` over their ties among `people`.

        The same as ``neighbor_counts`` of a mask holding `weights` at `people`
        and 0 elsewhere, in time proportional to the ties of `people`.

        Args:
            people: distinct people (1-d integer array).
            weights: integer weight of each of `people`.

        Returns:
            int64 array (n,).
        """

    @abstractmethod
    def neighbors(self, i: int) -> np.ndarray:
        """Sorted int64 array of the neighbours of person `i`."""

    @abstractmethod
    def to_networkx(self) -> networkx.Graph:
        """The graph as a `networkx.Graph` (for small graphs, drawing and tests)."""

    # ------------------------------------------------------------------ helpers
    def _sources(self, sources: np.ndarray) -> np.ndarray:
        s = np.asarray(sources)
        if s.size == 0:
            return s.astype(np.int64)
        if not np.issubdtype(s.dtype, np.integer):
            raise TypeError(f"sources must be an integer array, got dtype {s.dtype}")
        lo, hi = int(s.min()), int(s.max())
        if lo < 0 or hi >= self.n:
            bad = lo if lo < 0 else hi
            raise ValueError(f"sources must be people in 0..{self.n - 1}, got {bad}")
        return s.astype(np.int64, copy=False)

    def _mask(self, mask: np.ndarray) -> np.ndarray:
        m = np.asarray(mask)
        if m.shape != (self.n,):
            raise ValueError(f"mask must have shape ({self.n},), got {m.shape}")
        if m.dtype == np.bool_ or np.issubdtype(m.dtype, np.integer):
            return m.astype(np.int64, copy=False)
        return m.astype(np.float64, copy=False)

    def _person(self, i: int) -> int:
        if not isinstance(i, int | np.integer) or isinstance(i, bool) or not 0 <= i < self.n:
            raise ValueError(f"i must be a person in 0..{self.n - 1}, got {i!r}")
        return int(i)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(kind={self.kind!r}, n={self.n}, n_edges={self.n_edges}, "
            f"mean_degree={self.mean_degree:.3f})"
        )


class CsrNetwork(SocialNetwork):
    """A sparse network stored as a symmetric CSR adjacency with sorted neighbour lists.

    Build one with `make_network` or `CsrNetwork.from_edges`; the constructor
    trusts its arguments to be canonical (symmetric, sorted, no self loops,
    no duplicates).

    Attributes:
        indptr: int array (n + 1,); the neighbours of i are
            ``indices[indptr[i]:indptr[i + 1]]``.
        indices: int array (2 * n_edges,), sorted within each row.
    """

    def __init__(
        self,
        indptr: np.ndarray,
        indices: np.ndarray,
        *,
        kind: str = "custom",
        block: np.ndarray | None = None,
    ) -> None:
        """Wrap canonical CSR arrays.

        Args:
            indptr: row pointers (n + 1,).
            indices: column indices, symmetric and sorted within rows.
            kind: generator name, for display.
            block: community of each person, if any.
        """
        self.kind = kind
        self.n = int(indptr.size - 1)
        self.indptr = indptr
        self.indices = indices
        self.degree = np.diff(indptr).astype(np.int64)
        self.block = block
        data = np.ones(indices.size, dtype=np.int8)
        self.adjacency = sp.csr_array((data, indices, indptr), shape=(self.n, self.n))
        """scipy.sparse.csr_array of 0/1 (int8) entries, sharing `indices`/`indptr`."""

    @classmethod
    def from_edges(
        cls,
        n: int,
        u: np.ndarray,
        v: np.ndarray,
        *,
        kind: str = "custom",
        block: np.ndarray | None = None,
    ) -> CsrNetwork:
        """Build a simple undirected graph from an edge list.

        Self loops are dropped and repeated ties (in either direction) merged.

        Args:
            n: number of people (>= 1).
            u: int array of one end of each tie.
            v: int array of the other end, same length as `u`.
            kind: generator name, for display.
            block: community of each person, if any.

        Returns:
            The network.
        """
        n = _check_int("n", n, 1)
        u, v = np.asarray(u).ravel(), np.asarray(v).ravel()
        for name, ends in (("u", u), ("v", v)):
            if ends.size and not np.issubdtype(ends.dtype, np.integer):
                raise TypeError(f"{name} must be an integer array, got dtype {ends.dtype}")
        if u.shape != v.shape:
            raise ValueError(f"u and v must have the same length, got {u.size} and {v.size}")
        if u.size and (min(u.min(), v.min()) < 0 or max(u.max(), v.max()) >= n):
            raise ValueError(f"edge ends (u, v) must be people in 0..{n - 1}")
        indptr, indices = _csr_from_edges(n, u, v)
        return cls(indptr, indices, kind=kind, block=block)

    @property
    def n_edges(self) -> int:
        """Number of (undirected) ties."""
        return int(self.indices.size // 2)

    def random_neighbors(self, sources: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One uniformly random neighbour per source; -1 for people without ties.

        Picks ``indices[indptr[s] + floor(u * degree[s])]`` with u ~ U[0, 1).

        Args:
            sources: integer array of people (any shape).
            rng: generator for the draws (one uniform per source).

        Returns:
            int64 array shaped like `sources`.
        """
        s = self._sources(sources)
        shape = s.shape
        s = s.ravel()
        deg = self.degree[s]
        offset = (rng.random(s.size) * deg).astype(np.int64)
        np.minimum(offset, deg - 1, out=offset)  # guards float rounding up to deg
        has = deg > 0
        out = np.full(s.size, -1, dtype=np.int64)
        out[has] = self.indices[self.indptr[s[has]] + offset[has]]
        return out.reshape(shape)

    def random_marked_neighbors(
        self, sources: np.ndarray, mask: np.ndarray, rng: np.random.Generator
    ) -> np.ndarray:
        """For each source, a uniformly random marked neighbour (-1 if none).

        Gathers the sources' neighbour lists, keeps the marked ones and picks
        ``floor(u * count)``-th of each source's marked neighbours, u ~ U[0, 1).
        """
        s = self._sources(sources).ravel()
        marked = np.asarray(mask, dtype=bool)
        u = rng.random(s.size)
        lengths = self.degree[s]
        total = int(lengths.sum())
        slots = np.repeat(self.indptr[s] - np.cumsum(lengths) + lengths, lengths)
        ties = self.indices[slots + np.arange(total)]
        owner = np.repeat(np.arange(s.size), lengths)
        keep = marked[ties]
        ties, owner = ties[keep], owner[keep]
        count = np.bincount(owner, minlength=s.size)
        pick = np.cumsum(count) - count + np.minimum((u * count).astype(np.int64), count - 1)
        out = np.full(s.size, -1, dtype=np.int64)
        has = count > 0
        out[has] = ties[pick[has]]
        return out

    def neighbor_counts(self, mask: np.ndarray) -> np.ndarray:
        """Per person, the number (or weighted sum) of neighbours with `mask` set.

        A sparse matrix-vector product with the adjacency; for a boolean or
        integer mask set on few people, a count over just their neighbour lists
        (the adjacency is symmetric, so both give the same numbers).

        Args:
            mask: boolean, integer or float array (n,).

        Returns:
            int64 (boolean/integer mask) or float64 (float mask) array (n,).
        """
        m = self._mask(mask)
        if m.dtype == np.int64:
            people = np.flatnonzero(m)
            lengths = self.degree[people]
            total = int(lengths.sum())
            weights = m[people]
            if total <= self.indices.size // 8 and np.abs(weights).max(initial=0) < 2**20:
                starts = self.indptr[people] - np.cumsum(lengths) + lengths
                ties = self.indices[np.repeat(starts, lengths) + np.arange(total)]
                if (weights == 1).all():
                    return np.bincount(ties, minlength=self.n).astype(np.int64)
                summed = np.bincount(ties, weights=np.repeat(weights, lengths), minlength=self.n)
                return np.rint(summed).astype(np.int64)  # exact: small integer weights
        return self.adjacency @ m

    def tie_counts(self, people: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Sum of `weights` over each person's ties among `people` (see the base class)."""
        lengths = self.degree[people]
        total = int(lengths.sum())
        starts = self.indptr[people] - np.cumsum(lengths) + lengths
        ties = self.indices[np.repeat(starts, lengths) + np.arange(total)]
        summed = np.bincount(ties, weights=np.repeat(weights, lengths), minlength=self.n)
        return np.rint(summed).astype(np.int64)

    def neighbors(self, i: int) -> np.ndarray:
        """Sorted int64 array of the neighbours of person `i`."""
        i = self._person(i)
        return self.indices[self.indptr[i] : self.indptr[i + 1]].astype(np.int64)

    def edges(self) -> tuple[np.ndarray, np.ndarray]:
        """Every tie once, as int64 arrays (u, v) with u < v, sorted by (u, v)."""
        rows = np.repeat(np.arange(self.n, dtype=np.int64), self.degree)
        cols = self.indices.astype(np.int64)
        upper = rows < cols
        return rows[upper], cols[upper]

    def to_networkx(self) -> networkx.Graph:
        """The graph as a `networkx.Graph` with nodes 0..n-1 (and a ``block`` attribute)."""
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(range(self.n))
        if self.block is not None:
            nx.set_node_attributes(g, dict(enumerate(self.block.tolist())), "block")
        u, v = self.edges()
        g.add_edges_from(zip(u.tolist(), v.tolist(), strict=True))
        return g


class CompleteNetwork(SocialNetwork):
    """Everyone tied to everyone else, represented implicitly (O(n) memory)."""

    def __init__(self, n: int) -> None:
        """Complete graph on `n` >= 2 people."""
        self.kind = "complete"
        self.n = _check_int("n", n, 2)
        self.degree = np.full(self.n, self.n - 1, dtype=np.int64)
        self.block = None

    @property
    def n_edges(self) -> int:
        """Number of (undirected) ties, n(n-1)/2."""
        return self.n * (self.n - 1) // 2

    def random_neighbors(self, sources: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A uniformly random other person for each source.

        Args:
            sources: integer array of people (any shape).
            rng: generator for the draws (one bounded integer per source).

        Returns:
            int64 array shaped like `sources`.
        """
        s = self._sources(sources)
        other = rng.integers(0, self.n - 1, size=s.shape, dtype=np.int64)
        other += other >= s
        return other

    def random_marked_neighbors(
        self, sources: np.ndarray, mask: np.ndarray, rng: np.random.Generator
    ) -> np.ndarray:
        """For each source, a uniformly random other marked person (-1 if none)."""
        s = self._sources(sources).ravel()
        marked_people = np.flatnonzero(np.asarray(mask, dtype=bool))
        u = rng.random(s.size)
        own = np.searchsorted(marked_people, s)
        is_marked = (
            (own < marked_people.size)
            & (marked_people[np.minimum(own, max(marked_people.size - 1, 0))] == s)
            if marked_people.size
            else np.zeros(s.size, dtype=bool)
        )
        count = marked_people.size - is_marked
        k = np.minimum((u * count).astype(np.int64), np.maximum(count - 1, 0))
        k += is_marked & (k >= own)  # skip oneself
        out = np.full(s.size, -1, dtype=np.int64)
        has = count > 0
        out[has] = marked_people[k[has]]
        return out

    def neighbor_counts(self, mask: np.ndarray) -> np.ndarray:
        """Per person, the total of `mask` over everyone else: ``mask.sum() - mask``.

        Args:
            mask: boolean, integer or float array (n,).

        Returns:
            int64 (boolean/integer mask) or float64 (float mask) array (n,).
        """
        m = self._mask(mask)
        return m.sum() - m

    def tie_counts(self, people: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Sum of `weights` over each person's ties among `people`: all but oneself."""
        counts = np.full(self.n, int(np.sum(weights)), dtype=np.int64)
        counts[people] -= np.asarray(weights, dtype=np.int64)
        return counts

    def neighbors(self, i: int) -> np.ndarray:
        """Everyone but `i` (int64, sorted)."""
        i = self._person(i)
        return np.delete(np.arange(self.n, dtype=np.int64), i)

    def to_networkx(self) -> networkx.Graph:
        """`networkx.complete_graph(n)`."""
        import networkx as nx

        return nx.complete_graph(self.n)


# --------------------------------------------------------------------------- factory
def make_network(
    kind: str,
    n: int,
    rng: np.random.Generator,
    *,
    mean_degree: float = 20,
    rewire_prob: float = 0.1,
    n_blocks: int = 20,
    within_block_share: float = 0.9,
) -> SocialNetwork:
    """Generate a social network of `n` people.

    Degrees are rounded half up: ``k = floor(mean_degree + 0.5)``.

    - ``watts_strogatz``: ring lattice where each person is tied to its
      ``k // 2`` nearest people on each side (an odd k is rounded down to even,
      as networkx does); the far end of each lattice tie is then moved with
      probability `rewire_prob` to a uniformly random person. Unlike networkx,
      which redraws a new end that would make a self loop or a repeated tie,
      such ties are dropped, so the mean degree is a hair below the lattice's
      k (an expected share of at most about ``rewire_prob * (k + 1) / n`` of
      the ties is lost).
    - ``barabasi_albert``: ``m = floor(mean_degree / 2 + 0.5)`` ties per
      newcomer, the networkx model: people 0..m start as a star centred on 0
      and each later person ties to m distinct earlier people, each chosen
      with probability proportional to degree, so there are exactly
      ``m (n - m)`` ties (mean degree ``2 m (n - m) / n``). Vectorised with the
      edge-list trick of Batagelj & Brandes (2005), "Efficient generation of
      large random networks", Phys. Rev. E 71, 036113: a tie's target is a
      uniformly chosen endpoint of an earlier tie, and the chains of such
      references are resolved by pointer chasing; a newcomer's repeated picks
      are redrawn as in networkx (see `_Attachment`).
    - ``erdos_renyi``: G(n, p) with ``p = mean_degree / (n - 1)``: every pair
      independently, sampled by geometric skipping over the n(n-1)/2 pairs
      (memory proportional to the ties, not to n^2).
    - ``stochastic_block``: `n_blocks` communities of contiguous ids (person i
      is in block ``i * n_blocks // n``; sizes differ by at most one). Pairs
      inside a block are tied with probability p_in, pairs across blocks with
      p_out, chosen so that the expected mean degree is `mean_degree` and the
      expected share of ties inside blocks is `within_block_share`. The
      blocks are stored as `network.block`.
    - ``complete``: implicit complete graph (`mean_degree`, `rewire_prob`,
      `n_blocks` and `within_block_share` are ignored).

    Args:
        kind: one of `NETWORK_KINDS`.
        n: number of people (>= 2).
        rng: numpy Generator; the only source of randomness.
        mean_degree: target mean number of ties, 0 < mean_degree < n (and
            <= n - 1 for erdos_renyi and stochastic_block; >= 1.5 for
            watts_strogatz, >= 1 for barabasi_albert; any positive value for
            complete, which ignores it).
        rewire_prob: Watts-Strogatz rewiring probability, 0..1.
        n_blocks: number of stochastic-block communities, 1..n.
        within_block_share: expected share of ties inside one's block, 0..1.

    Returns:
        A `CsrNetwork`, or a `CompleteNetwork` for ``complete``.

    Raises:
        ValueError: an argument is out of range (the message names it).
        TypeError: `rng` is not a numpy Generator.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    check_network_args(
        kind,
        n,
        mean_degree=mean_degree,
        rewire_prob=rewire_prob,
        n_blocks=n_blocks,
        within_block_share=within_block_share,
    )
    if kind == "complete":
        return CompleteNetwork(n)
    if kind == "watts_strogatz":
        return _watts_strogatz(n, mean_degree, rewire_prob, rng)
    if kind == "barabasi_albert":
        return _barabasi_albert(n, mean_degree, rng)
    if kind == "erdos_renyi":
        return _erdos_renyi(n, mean_degree, rng)
    return _stochastic_block(n, mean_degree, n_blocks, within_block_share, rng)


def check_network_args(
    kind: str,
    n: int,
    *,
    mean_degree: float = 20,
    rewire_prob: float = 0.1,
    n_blocks: int = 20,
    within_block_share: float = 0.9,
) -> None:
    """Check that `make_network` can build this network, without building it.

    Args:
        kind: one of `NETWORK_KINDS`.
        n: number of people.
        mean_degree: target mean number of ties.
        rewire_prob: Watts-Strogatz rewiring probability.
        n_blocks: number of stochastic-block communities.
        within_block_share: expected share of ties inside one's block.

    Raises:
        ValueError: an argument is out of range (the message names it).
    """
    if kind not in NETWORK_KINDS:
        raise ValueError(f"kind must be one of {NETWORK_KINDS}, got {kind!r}")
    n = _check_int("n", n, 2)
    _check_unit("rewire_prob", rewire_prob)
    share = _check_unit("within_block_share", within_block_share)
    n_blocks = _check_int("n_blocks", n_blocks, 1)
    mean_degree = _check_float("mean_degree", mean_degree)
    if mean_degree <= 0:
        raise ValueError(f"mean_degree must be > 0, got {mean_degree}")
    if kind == "complete":
        return
    if mean_degree >= n:
        raise ValueError(f"mean_degree must be > 0 and < n ({n}), got {mean_degree}")
    if kind == "watts_strogatz" and math.floor(mean_degree + 0.5) < 2:
        raise ValueError(
            f"mean_degree must be >= 1.5 for watts_strogatz (round(mean_degree) >= 2), "
            f"got {mean_degree}"
        )
    if kind == "barabasi_albert" and math.floor(mean_degree / 2 + 0.5) < 1:
        raise ValueError(
            f"mean_degree must be >= 1 for barabasi_albert (m = round(mean_degree / 2) >= 1), "
            f"got {mean_degree}"
        )
    if kind in ("erdos_renyi", "stochastic_block") and mean_degree > n - 1:
        raise ValueError(f"mean_degree must be <= n - 1 ({n - 1}) for {kind}, got {mean_degree}")
    if kind == "stochastic_block":
        if n_blocks > n:
            raise ValueError(f"n_blocks must be <= n ({n}) for stochastic_block, got {n_blocks}")
        p_in, p_out = _block_tie_probabilities(n, mean_degree, n_blocks, share)
        if max(p_in, p_out) > 1 + 1e-12:  # (slack for rounding when a block is full)
            where = "inside" if p_in > p_out else "between"
            raise ValueError(
                f"stochastic_block cannot fit mean_degree={mean_degree} with "
                f"within_block_share={share} and n_blocks={n_blocks} (n={n}): "
                f"the tie probability {where} blocks would exceed 1; lower mean_degree, or "
                f"change within_block_share or n_blocks"
            )


def _block_tie_probabilities(
    n: int, mean_degree: float, n_blocks: int, share: float
) -> tuple[float, float]:
    """Tie probabilities inside and between blocks for the target degree and share."""
    size = np.bincount(np.arange(n, dtype=np.int64) * n_blocks // n, minlength=n_blocks)
    pairs_in = int((size * (size - 1)).sum()) // 2
    pairs_out = n * (n - 1) // 2 - pairs_in
    ties_in, ties_out = share * mean_degree * n / 2, (1 - share) * mean_degree * n / 2
    p_in = ties_in / pairs_in if pairs_in else (math.inf if ties_in > 0 else 0.0)
    p_out = ties_out / pairs_out if pairs_out else (math.inf if ties_out > 0 else 0.0)
    return p_in, p_out


# ------------------------------------------------------------------------ generators
def _watts_strogatz(
    n: int, mean_degree: float, beta: float, rng: np.random.Generator
) -> CsrNetwork:
    k = math.floor(mean_degree + 0.5)
    half = k // 2
    # Lattice ties ordered by offset, then by person (the order networkx rewires in).
    dtype = np.int32 if 2 * n * half <= _INT32_MAX else np.int64
    src = np.tile(np.arange(n, dtype=dtype), half)
    dst = src + np.repeat(np.arange(1, half + 1, dtype=dtype), n)
    dst[dst >= n] -= n
    if beta > 0:
        rewired = np.flatnonzero(rng.random(src.size) < beta)
        dst[rewired] = rng.integers(0, n, size=rewired.size, dtype=dtype)
    return CsrNetwork.from_edges(n, src, dst, kind="watts_strogatz")


def _barabasi_albert(n: int, mean_degree: float, rng: np.random.Generator) -> CsrNetwork:
    m = math.floor(mean_degree / 2 + 0.5)
    attachment = _Attachment(n, m, rng)
    person = np.repeat(np.arange(m + 1, n, dtype=np.int64), m)
    u = np.concatenate([np.arange(1, m + 1, dtype=np.int64), person])
    v = attachment.ends.astype(np.int64)
    return CsrNetwork.from_edges(n, u, v, kind="barabasi_albert")


class _Attachment:
    """Preferential-attachment targets by the Batagelj-Brandes edge list, vectorised.

    The edge list holds tie t's two ends at positions 2t (the newcomer) and
    2t + 1 (the target). Ties 0..m-1 are the initial star (t + 1, 0); row r
    (newcomer m + 1 + r) owns ties m + rm .. m + rm + m - 1 and picks each
    target as the person at a uniformly drawn position among the 2m(r + 1)
    ends of the earlier ties, i.e. with probability proportional to degree
    (Batagelj & Brandes 2005). A drawn odd position is itself a reference
    ("the target of tie t"); chains of references are resolved by vectorised
    pointer chasing, each round settling about half of the rest.

    As in networkx, a newcomer's m targets are distinct: a pick that repeats
    one of its earlier picks is discarded and redrawn (rejection sampling).
    Because later picks copy the targets of earlier ties, this makes rows
    depend on one another; the rows are settled in chunks of growing size (x4),
    each by fixed-point iteration: resolve the chunk's targets, redraw the
    repeats of the rows that have some, re-resolve only the ties whose chains
    ran through a changed tie, and repeat until nothing changes. A chunk's
    first row depends only on earlier chunks, so the iteration is exact (it
    reproduces the sequential algorithm on the same random draws) and ends
    after a few passes, since repeats are rare beyond the first rows.

    Attributes:
        target: (n - m - 1, m) view of `ends`, the targets of each newcomer's ties.
    """

    def __init__(self, n: int, m: int, rng: np.random.Generator) -> None:
        self.m, self.rng = m, rng
        rows = max(n - m - 1, 0)
        dtype = np.int32 if 2 * m * (n - m) <= _INT32_MAX else np.int64
        span = 2 * m * np.arange(1, rows + 1, dtype=dtype)[:, None]
        # Each row's stream of drawn positions: the first m picks, then (for rows
        # with repeats) the extra picks in `extra_row`/`extra_pos`, in drawing order.
        self.draws = (rng.random((rows, m)) * span).astype(dtype)
        np.minimum(self.draws, span - 1, out=self.draws)  # guards float rounding to span
        self.extra_row = np.empty(0, dtype=dtype)
        self.extra_pos = np.empty(0, dtype=dtype)
        self.chosen = self.draws.copy()  # the accepted position of each drawn tie
        self.ends = np.zeros(m + rows * m, dtype=dtype)  # target of every tie (star: 0)
        self.target = self.ends[m:].reshape(rows, m)
        lo, size = 0, 8
        while lo < rows:
            hi = min(rows, lo + size)
            self._settle(lo, hi)
            lo, size = hi, 4 * size

    def _value(self, pos: np.ndarray) -> np.ndarray:
        """Person at each edge-list position, given the targets settled so far."""
        m = self.m
        tie = pos >> 1
        newcomer = np.where(tie < m, tie + 1, tie // m + m)
        return np.where((pos & 1).astype(bool), self.ends[tie], newcomer)

    def _resolve(self, ties: np.ndarray, first: int, chains: list[np.ndarray]) -> None:
        """Targets of `ties` (all >= `first`, ties before it settled), by pointer chasing.

        Appends to `chains` the pairs (tie, earlier tie of the chunk its target
        was copied through), as two stacked rows.
        """
        m, chosen = self.m, self.chosen.ravel()
        ref = chosen[ties - m]
        todo = np.flatnonzero((ref & 1).astype(bool) & (ref >> 1 >= first))
        while todo.size:
            via = ref[todo] >> 1
            chains.append(np.stack([ties[todo], via]))
            ref[todo] = nxt = chosen[via - m]
            todo = todo[(nxt & 1).astype(bool) & (nxt >> 1 >= first)]
        self.ends[ties] = self._value(ref)

    def _settle(self, lo: int, hi: int) -> None:
        """Fixed-point iteration over rows lo..hi-1 (all earlier rows settled)."""
        m = self.m
        first, last = m + lo * m, m + hi * m
        ties = np.arange(first, last, dtype=self.ends.dtype)
        rows = np.arange(lo, hi)
        chains: list[np.ndarray] = []
        deviating = np.zeros(hi - lo, dtype=bool)  # accepted != first m draws
        while True:
            self._resolve(ties, first, chains)
            ordered = np.sort(self.target[rows], axis=1)
            repeats = rows[(ordered[:, 1:] == ordered[:, :-1]).any(axis=1)]
            check = np.union1d(repeats, np.flatnonzero(deviating) + lo)
            if check.size == 0:
                return
            accepted = self._first_distinct(check)
            moved = (accepted != self.chosen[check]).any(axis=1)
            if not moved.any():
                return
            rows = check[moved]
            self.chosen[rows] = accepted[moved]
            deviating[rows - lo] = (accepted[moved] != self.draws[rows]).any(axis=1)
            # Redo the moved rows' ties and every tie whose chain ran through one.
            hit = np.zeros(last - first, dtype=bool)
            hit[(((rows - lo) * m)[:, None] + np.arange(m)).ravel()] = True  # tie - first
            if chains:
                pairs = np.concatenate(chains, axis=1)
                hit[pairs[0][hit[pairs[1] - first]] - first] = True
            ties = np.flatnonzero(hit).astype(self.ends.dtype) + first
            rows = np.unique((ties - m) // m)

    def _first_distinct(self, rows: np.ndarray) -> np.ndarray:
        """Positions of the first m distinct persons in each row's stream (sorted rows)."""
        m = self.m
        while True:
            extra = np.isin(self.extra_row, rows)
            row = np.concatenate([np.repeat(rows, m), self.extra_row[extra]])
            pos = np.concatenate([self.draws[rows].ravel(), self.extra_pos[extra]])
            order = np.argsort(row, kind="stable")  # stream order within each row
            row, pos = row[order], pos[order]
            val = self._value(pos)
            by = np.lexsort((np.arange(row.size), val, row))
            new = np.ones(row.size, dtype=bool)
            new[1:] = (row[by][1:] != row[by][:-1]) | (val[by][1:] != val[by][:-1])
            is_first = np.empty(row.size, dtype=bool)
            is_first[by] = new
            keep = np.flatnonzero(is_first)
            start = np.searchsorted(row[keep], rows)
            count = np.searchsorted(row[keep], rows, side="right") - start
            short = rows[count < m]
            if short.size == 0:
                rank = np.arange(keep.size) - np.repeat(start, count)
                return pos[keep[rank < m]].reshape(rows.size, m)
            # Too few distinct persons drawn: double these rows' streams.
            length = np.searchsorted(row, short, side="right") - np.searchsorted(row, short)
            more = np.repeat(short, length).astype(self.draws.dtype)
            span = 2 * m * (more + 1)
            drawn = np.minimum((self.rng.random(more.size) * span).astype(more.dtype), span - 1)
            self.extra_row = np.concatenate([self.extra_row, more])
            self.extra_pos = np.concatenate([self.extra_pos, drawn])


def _erdos_renyi(n: int, mean_degree: float, rng: np.random.Generator) -> CsrNetwork:
    i = np.arange(n, dtype=np.int64)
    u, v = _bernoulli_pairs(n - 1 - i, i + 1, mean_degree / (n - 1), rng)
    return CsrNetwork.from_edges(n, u, v, kind="erdos_renyi")


def _stochastic_block(
    n: int, mean_degree: float, n_blocks: int, share: float, rng: np.random.Generator
) -> CsrNetwork:
    i = np.arange(n, dtype=np.int64)
    block = i * n_blocks // n
    end = np.cumsum(np.bincount(block, minlength=n_blocks))[block]  # one past i's block
    p_in, p_out = _block_tie_probabilities(n, mean_degree, n_blocks, share)
    u_in, v_in = _bernoulli_pairs(end - 1 - i, i + 1, p_in, rng)
    u_out, v_out = _bernoulli_pairs(n - end, end, p_out, rng)
    return CsrNetwork.from_edges(
        n,
        np.concatenate([u_in, u_out]),
        np.concatenate([v_in, v_out]),
        kind="stochastic_block",
        block=block,
    )


# --------------------------------------------------------------------------- helpers
def _bernoulli_pairs(
    count: np.ndarray, first: np.ndarray, p: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Keep each candidate pair independently with probability `p`.

    Candidate pairs are (i, first[i]), ..., (i, first[i] + count[i] - 1) for
    every person i, numbered row by row; the kept numbers are drawn by
    geometric skipping and decoded back to pairs.

    Returns:
        int64 arrays (u, v) of the kept pairs, sorted by number.
    """
    total = int(count.sum())
    keep = _bernoulli_indices(total, p, rng)
    bounds = np.concatenate([[0], np.cumsum(count)])
    per_row = np.diff(np.searchsorted(keep, bounds))
    u = np.repeat(np.arange(count.size, dtype=np.int64), per_row)
    v = first[u] + keep - bounds[u]
    return u, v


def _bernoulli_indices(total: int, p: float, rng: np.random.Generator) -> np.ndarray:
    """Sorted int64 indices in 0..total-1, each present independently with probability `p`.

    Geometric skipping: the gaps between successive kept indices are
    Geometric(p), drawn in batches a few standard deviations above the
    expected number of successes (usually one batch).
    """
    if total <= 0 or p <= 0:
        return np.empty(0, dtype=np.int64)
    if p >= 1:
        return np.arange(total, dtype=np.int64)
    chunks = []
    last = -1
    while last < total - 1:
        remaining = (total - 1 - last) * p
        batch = int(remaining + 5 * math.sqrt(remaining) + 16)
        gaps = rng.geometric(p, size=batch)
        np.minimum(gaps, total + 1, out=gaps)  # (a tiny p gives gaps that overflow a sum)
        idx = last + np.cumsum(gaps)
        beyond = idx >= total
        if beyond.any():
            chunks.append(idx[: np.argmax(beyond)])
            break
        chunks.append(idx)
        last = int(idx[-1])
    return np.concatenate(chunks) if chunks else np.empty(0, dtype=np.int64)


def _csr_from_edges(n: int, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Canonical symmetric CSR arrays (sorted rows, no loops, no duplicates) of an edge list."""
    dtype = np.int32 if max(n, 2 * u.size) <= _INT32_MAX else np.int64
    keep = u != v
    u, v = u[keep].astype(dtype), v[keep].astype(dtype)
    rows = np.concatenate([u, v])
    cols = np.concatenate([v, u])
    del u, v
    # Counting sort by row, then per-row sort and merge of repeats (scipy's C++).
    a = sp.csr_array((np.ones(rows.size, dtype=np.int8), (rows, cols)), shape=(n, n))
    a.sum_duplicates()
    return a.indptr.astype(dtype, copy=False), a.indices.astype(dtype, copy=False)


def _check_int(name: str, value: object, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    if value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    return int(value)


def _check_float(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return float(value)


def _check_unit(name: str, value: object) -> float:
    value = _check_float(name, value)
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be between 0 and 1, got {value}")
    return value
