"""Social network generators: structure, statistics, sampling and argument checks."""

import re

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from model.network import (
    NETWORK_KINDS,
    CompleteNetwork,
    CsrNetwork,
    SocialNetwork,
    check_network_args,
    make_network,
)

SPARSE_KINDS = tuple(k for k in NETWORK_KINDS if k != "complete")
Z = 4.0  # two-sided normal bound: a correct generator fails a check with p ~ 6e-5


def build(kind: str, n: int, seed: int, **kwargs) -> SocialNetwork:
    return make_network(kind, n, np.random.default_rng(seed), **kwargs)


def dense(net: SocialNetwork) -> np.ndarray:
    """Adjacency matrix built from `neighbors(i)`, independently of the CSR internals."""
    a = np.zeros((net.n, net.n), dtype=np.int64)
    for i in range(net.n):
        np.add.at(a[i], net.neighbors(i), 1)
    return a


def assert_simple(net: SocialNetwork) -> None:
    """Symmetric, no self loops, no repeated ties, sorted rows, degree = row lengths."""
    n = net.n
    assert net.degree.dtype == np.int64 and net.degree.shape == (n,)
    if isinstance(net, CompleteNetwork):
        assert np.all(net.degree == n - 1) and net.n_edges == n * (n - 1) // 2
        return
    indptr, indices = net.indptr.astype(np.int64), net.indices.astype(np.int64)
    assert indptr.shape == (n + 1,) and indptr[0] == 0 and indptr[-1] == indices.size
    assert np.array_equal(net.degree, np.diff(indptr))
    assert np.all((indices >= 0) & (indices < n))
    rows = np.repeat(np.arange(n), net.degree)
    assert not np.any(rows == indices), "self loop"
    same_row = rows[1:] == rows[:-1]
    assert np.all(indices[1:][same_row] > indices[:-1][same_row]), "unsorted or repeated tie"
    assert np.array_equal(np.sort(rows * n + indices), np.sort(indices * n + rows)), "asymmetric"
    assert 2 * net.n_edges == indices.size


def edge_set(g: nx.Graph) -> set[tuple[int, int]]:
    return {(min(u, v), max(u, v)) for u, v in g.edges()}


def average_clustering(adjacency) -> float:
    """Mean local clustering (0 for degree < 2), as networkx.average_clustering."""
    a = adjacency.astype(np.float64)
    triangles = np.asarray((a @ a).multiply(a).sum(axis=1)).ravel() / 2
    d = np.asarray(a.sum(axis=1)).ravel()
    return float(np.mean(np.where(d > 1, 2 * triangles / np.maximum(d * (d - 1), 1), 0.0)))


# ------------------------------------------------------------------------ structure
@pytest.mark.parametrize("kind", NETWORK_KINDS)
@pytest.mark.parametrize(
    ("n", "kwargs"),
    [
        (10, {"mean_degree": 4, "n_blocks": 2}),
        (500, {"mean_degree": 10}),
        (2, {"mean_degree": 1.5}),
    ],
)
def test_every_kind_is_a_simple_symmetric_graph(kind, n, kwargs):
    if kind in ("erdos_renyi", "stochastic_block") and kwargs["mean_degree"] > n - 1:
        kwargs = {**kwargs, "mean_degree": n - 1, "n_blocks": 1, "within_block_share": 1.0}
    net = build(kind, n, 1, **kwargs)
    assert net.n == n and net.kind == kind
    assert_simple(net)
    assert net.n_edges > 0


@pytest.mark.parametrize("kind", NETWORK_KINDS)
def test_networkx_export_has_the_same_ties(kind):
    net = build(kind, 40, 3, mean_degree=6, n_blocks=4)
    g = net.to_networkx()
    assert sorted(g.nodes) == list(range(40))
    assert edge_set(g) == {(i, j) for i in range(40) for j in net.neighbors(i) if i < j}
    assert np.array_equal(nx.to_numpy_array(g, nodelist=range(40)), dense(net))


@pytest.mark.parametrize("kind", NETWORK_KINDS)
def test_same_seed_same_graph_other_seed_other_graph(kind):
    a, b, c = (build(kind, 300, seed, mean_degree=8) for seed in (5, 5, 6))
    if kind == "complete":
        assert a.n_edges == c.n_edges and np.array_equal(dense(a), dense(c))
        return
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    assert not (a.indices.size == c.indices.size and np.array_equal(a.indices, c.indices))


def test_complete_is_implicit_and_ignores_mean_degree():
    net = build("complete", 1_000_000, 0, mean_degree=5e6)  # would need ~8 TB as a CSR
    assert net.n_edges == 499_999_500_000 and net.degree[0] == 999_999
    mask = np.zeros(net.n, dtype=bool)
    mask[[3, 10]] = True
    counts = net.neighbor_counts(mask)
    assert counts[3] == 1 and counts[0] == 2 and counts.dtype == np.int64
    assert np.array_equal(net.neighbors(1)[:3], [0, 2, 3])
    assert edge_set(build("complete", 7, 0).to_networkx()) == edge_set(nx.complete_graph(7))


# ----------------------------------------------------------------------- statistics
def test_erdos_renyi_edge_count_and_degree_variance_are_binomial():
    n, mean_degree = 20_000, 20.0
    net = build("erdos_renyi", n, 11, mean_degree=mean_degree)
    pairs, p = n * (n - 1) / 2, mean_degree / (n - 1)
    z_edges = (net.n_edges - pairs * p) / np.sqrt(pairs * p * (1 - p))
    assert abs(z_edges) < Z
    # Degrees ~ Binomial(n - 1, p); SE of a sample variance: sqrt((mu4 - sigma^4) / n).
    var = (n - 1) * p * (1 - p)
    mu4 = var * (1 + 3 * (n - 3) * p * (1 - p))  # binomial fourth central moment
    se = np.sqrt((mu4 - var**2) / n)
    assert abs(net.degree.var(ddof=1) - var) < Z * se


def test_stochastic_block_degree_share_and_blocks():
    n, mean_degree, n_blocks, share = 20_000, 20.0, 20, 0.9
    net = build(
        "stochastic_block",
        n,
        12,
        mean_degree=mean_degree,
        n_blocks=n_blocks,
        within_block_share=share,
    )
    block = net.block
    assert block.shape == (n,) and np.all(np.diff(block) >= 0)  # contiguous ids
    sizes = np.bincount(block)
    assert sizes.size == n_blocks and sizes.max() - sizes.min() <= 1
    u, v = net.edges()
    inside = block[u] == block[v]
    # Expected ties n * mean_degree / 2; variance of a sum of binomials <= its mean.
    expected = n * mean_degree / 2
    assert abs(net.n_edges - expected) < Z * np.sqrt(expected)
    # Given the count, ties inside blocks ~ Binomial(n_edges, share).
    se = np.sqrt(share * (1 - share) / net.n_edges)
    assert abs(inside.mean() - share) < Z * se


@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [
        ("erdos_renyi", {"mean_degree": 2.0}),
        ("stochastic_block", {"mean_degree": 2.0, "n_blocks": 2, "within_block_share": 0.7}),
    ],
)
def test_every_pair_is_tied_with_its_probability(kind, kwargs):
    n, reps = 7, 3_000
    counts = np.zeros((n, n))
    for seed in range(reps):
        counts += dense(build(kind, n, seed, **kwargs))
    if kind == "erdos_renyi":
        p = np.full((n, n), kwargs["mean_degree"] / (n - 1))
    else:  # blocks {0..2} and {3..6}: 9 pairs inside, 12 across
        block = np.arange(n) * 2 // n
        share, ties = kwargs["within_block_share"], n * kwargs["mean_degree"] / 2
        p = np.where(block[:, None] == block[None, :], share * ties / 9, (1 - share) * ties / 12)
    upper = np.triu_indices(n, 1)
    z = (counts[upper] - reps * p[upper]) / np.sqrt(reps * p[upper] * (1 - p[upper]))
    assert np.abs(z).max() < 3.5, z  # 21 pairs: Bonferroni at 1%


def test_vanishing_probabilities_give_no_ties():
    assert build("erdos_renyi", 1_000, 0, mean_degree=1e-12).n_edges == 0
    inside = build("stochastic_block", 1_000, 0, mean_degree=5, n_blocks=5, within_block_share=1)
    u, v = inside.edges()
    assert np.all(inside.block[u] == inside.block[v]) and inside.n_edges > 0
    across = build("stochastic_block", 1_000, 0, mean_degree=5, n_blocks=5, within_block_share=0)
    u, v = across.edges()
    assert np.all(across.block[u] != across.block[v]) and across.n_edges > 0


def test_stochastic_block_with_one_block_is_erdos_renyi():
    net = build("stochastic_block", 300, 2, mean_degree=299, n_blocks=1, within_block_share=1)
    assert net.n_edges == 300 * 299 // 2 and np.all(net.block == 0)


@pytest.mark.parametrize(
    ("n", "k"), [(30, 4), (100, 10), (11, 7), (10, 9), (9, 8), (20, 2), (1000, 20)]
)
def test_watts_strogatz_without_rewiring_is_the_networkx_ring_lattice(n, k):
    net = build("watts_strogatz", n, 0, mean_degree=k, rewire_prob=0.0)
    assert edge_set(net.to_networkx()) == edge_set(nx.watts_strogatz_graph(n, k, 0))


@pytest.mark.parametrize("rewire_prob", [0.1, 0.5])
def test_watts_strogatz_mean_degree_a_hair_below_k(rewire_prob):
    n, k = 2_000, 10
    net = build("watts_strogatz", n, 4, mean_degree=k, rewire_prob=rewire_prob)
    # A rewired tie is dropped if its new end is the person itself or one of about
    # k people already tied: lost ties ~ Poisson with mean <= ties * beta * (k + 1) / n.
    lost = n * k // 2 - net.n_edges
    bound = n * k / 2 * rewire_prob * (k + 1) / n
    assert 0 <= lost < bound + Z * np.sqrt(bound)
    assert k * 0.99 < net.mean_degree <= k
    assert net.degree.max() > k  # some ties were rewired onto people


def test_watts_strogatz_clustering_matches_networkx():
    n, k, beta, seeds = 2_000, 10, 0.1, range(5)
    ours = [
        average_clustering(build("watts_strogatz", n, s, mean_degree=k, rewire_prob=beta).adjacency)
        for s in seeds
    ]
    theirs = [
        average_clustering(nx.to_scipy_sparse_array(nx.watts_strogatz_graph(n, k, beta, seed=s)))
        for s in seeds
    ]
    se = np.sqrt(np.var(ours, ddof=1) / len(ours) + np.var(theirs, ddof=1) / len(theirs))
    assert abs(np.mean(ours) - np.mean(theirs)) < Z * se
    assert 0.4 < np.mean(ours) < 0.6  # ~ 3(k-2)/(4(k-1)) (1-beta)^3 = 0.486


def test_barabasi_albert_has_m_distinct_ties_per_newcomer():
    n, m = 3_000, 4
    net = build("barabasi_albert", n, 7, mean_degree=2 * m)
    assert net.n_edges == m * (n - m)  # as networkx: no tie is lost to repeats
    assert net.degree[m + 1 :].min() >= m
    later = [net.neighbors(i) for i in range(m + 1, n, 97)]
    assert all(np.sum(nb < i) == m for i, nb in zip(range(m + 1, n, 97), later, strict=True))


def test_barabasi_albert_tail_matches_networkx():
    n, m, seeds = 5_000, 3, range(6)
    ours = np.concatenate([build("barabasi_albert", n, s, mean_degree=2 * m).degree for s in seeds])
    theirs = np.concatenate(
        [[d for _, d in nx.barabasi_albert_graph(n, m, seed=s).degree()] for s in seeds]
    )
    for threshold in (4 * m, 8 * m):  # P(K >= k) ~ m(m+1)/k^2: power-law tail
        p1, p2 = (ours >= threshold).mean(), (theirs >= threshold).mean()
        pooled = (p1 + p2) / 2
        assert abs(p1 - p2) < Z * np.sqrt(pooled * (1 - pooled) * 2 / ours.size)
    max_ours = ours.reshape(len(seeds), n).max(axis=1)
    max_theirs = theirs.reshape(len(seeds), n).max(axis=1)
    assert max_ours.min() > 10 * 2 * m  # heavy tail: hubs far above the mean
    assert 0.6 < max_ours.mean() / max_theirs.mean() < 1.6  # ~ m sqrt(n), noisy


def test_barabasi_albert_first_people_match_networkx():
    # The early hubs are where a naive edge-list sampler with merged repeats goes
    # wrong (person 0 ends up with about twice networkx's degree).
    n, m, reps = 200, 4, 300
    ours = np.array(
        [build("barabasi_albert", n, s, mean_degree=2 * m).degree[:6] for s in range(reps)]
    )
    theirs = np.array(
        [
            [d for _, d in sorted(nx.barabasi_albert_graph(n, m, seed=s).degree())][:6]
            for s in range(reps)
        ]
    )
    se = np.sqrt((ours.var(axis=0, ddof=1) + theirs.var(axis=0, ddof=1)) / reps)
    z = (ours.mean(axis=0) - theirs.mean(axis=0)) / se
    # Six correlated comparisons: Bonferroni at 1% needs |z| < 3.
    assert np.abs(z).max() < 3.0, z


def test_large_sparse_graphs_do_not_need_n_squared_memory():
    n = 1_000_000
    er = build("erdos_renyi", n, 0, mean_degree=2)
    sbm = build("stochastic_block", n, 0, mean_degree=2, n_blocks=50)
    for net in (er, sbm):
        assert abs(net.n_edges - n) < Z * np.sqrt(n)


# ------------------------------------------------------------------------- sampling
def small_graph() -> CsrNetwork:
    """Star 0-(1..5), a node of degree 7 (12) in the middle, a path, and isolated 20."""
    u = [0, 0, 0, 0, 0, 6, 7, *[12] * 7]
    v = [1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15, 16]
    return CsrNetwork.from_edges(21, u, v)


@pytest.mark.parametrize(
    ("source", "expected"), [(0, [1, 2, 3, 4, 5]), (12, [9, 10, 11, 13, 14, 15, 16])]
)
def test_random_neighbors_is_uniform(source, expected):
    net = small_graph()
    draws = net.random_neighbors(np.full(35_000, source), np.random.default_rng(2))
    values, counts = np.unique(draws, return_counts=True)
    assert values.tolist() == expected
    assert stats.chisquare(counts).pvalue > 1e-3


def test_random_neighbors_of_the_complete_graph_is_uniform_over_others():
    net = build("complete", 6, 0)
    draws = net.random_neighbors(np.full(30_000, 2), np.random.default_rng(3))
    values, counts = np.unique(draws, return_counts=True)
    assert values.tolist() == [0, 1, 3, 4, 5]
    assert stats.chisquare(counts).pvalue > 1e-3
    sources = np.random.default_rng(4).integers(0, 6, size=(100, 30))
    draws = net.random_neighbors(sources, np.random.default_rng(5))
    assert draws.shape == sources.shape and not np.any(draws == sources)


def test_random_neighbors_isolated_people_get_minus_one():
    net = small_graph()
    sources = np.array([20, 6, 20, 8, 0])
    draws = net.random_neighbors(sources, np.random.default_rng(0))
    assert draws[0] == -1 and draws[2] == -1 and draws[1] == 7 and draws[3] == 7
    assert draws[4] in range(1, 6) and draws.dtype == np.int64
    assert net.random_neighbors(np.array([], dtype=int), np.random.default_rng(0)).size == 0


@pytest.mark.parametrize("kind", SPARSE_KINDS)
def test_random_neighbors_returns_real_neighbours(kind):
    net = build(kind, 300, 8, mean_degree=3)
    a = dense(net)
    sources = np.random.default_rng(9).integers(0, 300, size=(50, 100))
    draws = net.random_neighbors(sources, np.random.default_rng(10))
    assert draws.shape == sources.shape
    isolated = net.degree[sources] == 0
    assert np.all(draws[isolated] == -1)
    assert np.all(a[sources[~isolated], draws[~isolated]] == 1)


@pytest.mark.parametrize("kind", NETWORK_KINDS)
def test_neighbor_counts_is_the_adjacency_product(kind):
    net = build(kind, 60, 13, mean_degree=6, n_blocks=3)
    a = dense(net)
    if kind == "complete":
        assert np.array_equal(a, 1 - np.eye(60, dtype=np.int64))
    rng = np.random.default_rng(14)
    mask = rng.random(60) < 0.3
    counts = net.neighbor_counts(mask)
    assert np.issubdtype(counts.dtype, np.integer) and np.array_equal(counts, a @ mask)
    weights = rng.random(60)
    total = net.neighbor_counts(weights)
    assert total.dtype == np.float64 and np.allclose(total, a @ weights)


@pytest.mark.parametrize("share", [0.0, 0.01, 0.05, 0.5])
def test_neighbor_counts_of_sparse_and_dense_masks_agree_with_the_product(share):
    """Few people set takes the neighbour-list path, many the matrix product."""
    net = build("barabasi_albert", 500, 21, mean_degree=6)
    mask = np.random.default_rng(22).random(500) < share
    expected = dense(net) @ mask.astype(np.int64)
    counts = net.neighbor_counts(mask)
    assert counts.dtype == np.int64 and np.array_equal(counts, expected)
    signed = mask.astype(np.int8) - (np.random.default_rng(23).random(500) < share)
    weighted = net.neighbor_counts(signed)
    assert weighted.dtype == np.int64
    assert np.array_equal(weighted, dense(net) @ signed.astype(np.int64))


def test_neighbor_counts_of_a_big_hub_do_not_overflow():
    net = CsrNetwork.from_edges(401, np.zeros(400, dtype=int), np.arange(1, 401))
    assert net.neighbor_counts(np.ones(401, dtype=bool))[0] == 400
    assert net.neighbor_counts(np.ones(401, dtype=np.int64))[0] == 400


# ----------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    ("kind", "n", "kwargs", "name"),
    [
        ("foo", 100, {}, r"kind must be one of \('watts_strogatz', .*\), got 'foo'"),
        ("erdos_renyi", 1, {}, r"n must be an integer >= 2, got 1"),
        ("erdos_renyi", 10.0, {}, r"n must be an integer"),
        ("erdos_renyi", 100, {"mean_degree": 0}, r"mean_degree must be > 0"),
        ("erdos_renyi", 100, {"mean_degree": 100}, r"mean_degree must be > 0 and < n \(100\)"),
        ("erdos_renyi", 100, {"mean_degree": float("nan")}, r"mean_degree must be finite"),
        ("erdos_renyi", 10, {"mean_degree": 9.5}, r"mean_degree must be <= n - 1"),
        ("watts_strogatz", 100, {"mean_degree": 1}, r"mean_degree must be >= 1.5"),
        ("barabasi_albert", 100, {"mean_degree": 0.9}, r"mean_degree must be >= 1"),
        ("watts_strogatz", 100, {"rewire_prob": 1.5}, r"rewire_prob must be between 0 and 1"),
        ("watts_strogatz", 100, {"rewire_prob": -0.1}, r"rewire_prob must be between 0 and 1"),
        ("stochastic_block", 100, {"n_blocks": 0}, r"n_blocks must be an integer >= 1"),
        ("stochastic_block", 100, {"n_blocks": 101}, r"n_blocks must be <= n \(100\)"),
        ("stochastic_block", 100, {"within_block_share": 1.2}, r"within_block_share must be"),
        (
            "stochastic_block",
            40,
            {"mean_degree": 10, "n_blocks": 20},
            r"cannot fit mean_degree=10.* within_block_share=0.9 and n_blocks=20",
        ),
    ],
)
def test_bad_arguments_are_named(kind, n, kwargs, name):
    with pytest.raises(ValueError, match=name):
        make_network(kind, n, np.random.default_rng(0), **{"mean_degree": 4, **kwargs})


def test_bad_rng_sources_and_masks_are_named():
    with pytest.raises(TypeError, match=r"rng must be a numpy\.random\.Generator"):
        make_network("erdos_renyi", 100, 42, mean_degree=4)
    net = build("erdos_renyi", 50, 0, mean_degree=4)
    with pytest.raises(ValueError, match=r"sources must be people in 0..49, got 50"):
        net.random_neighbors(np.array([1, 50]), np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"mask must have shape \(50,\)"):
        net.neighbor_counts(np.ones(49, dtype=bool))
    with pytest.raises(ValueError, match=r"i must be a person"):
        net.neighbors(50)


# ------------------------------------------------------------------------- property
@given(
    kind=st.sampled_from(NETWORK_KINDS),
    n=st.integers(2, 200),
    fraction=st.floats(0, 1),
    rewire_prob=st.floats(0, 1),
    n_blocks=st.integers(1, 200),
    share=st.floats(0, 1),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_valid_arguments_give_a_simple_symmetric_graph(
    kind, n, fraction, rewire_prob, n_blocks, share, seed
):
    low = {"watts_strogatz": 1.5, "barabasi_albert": 1.0}.get(kind, 0.1)
    high = n - 1 if kind in ("erdos_renyi", "stochastic_block") else n - 0.01
    mean_degree = min(low + fraction * (high - low), high)
    try:
        net = build(
            kind,
            n,
            seed,
            mean_degree=mean_degree,
            rewire_prob=rewire_prob,
            n_blocks=min(n_blocks, n),
            within_block_share=share,
        )
    except ValueError as error:  # the one documented infeasible combination
        assert kind == "stochastic_block" and "cannot fit" in str(error)
        return
    assert_simple(net)
    if kind == "stochastic_block":
        assert net.block.shape == (n,) and net.block.max() < min(n_blocks, n)


@pytest.mark.parametrize("kind", ["watts_strogatz", "complete"])
def test_random_marked_neighbors_are_uniform_over_marked_ties(kind):
    net = build(kind, 40, 31, mean_degree=8)
    a = dense(net)
    mask = np.random.default_rng(32).random(40) < 0.4
    sources = np.repeat(np.arange(40), 400)
    picks = net.random_marked_neighbors(sources, mask, np.random.default_rng(33))
    for person in range(40):
        options = np.flatnonzero(a[person] & mask)
        got = picks[sources == person]
        if options.size == 0:
            assert (got == -1).all()
            continue
        assert np.isin(got, options).all()
        counts = np.array([(got == o).sum() for o in options])
        # 400 draws over k options: each count within 5 SE of 400 / k
        expected = 400 / options.size
        assert np.abs(counts - expected).max() < 5 * np.sqrt(expected), (person, counts)


def test_random_marked_neighbors_without_marks_or_sources():
    net = build("erdos_renyi", 30, 34, mean_degree=4)
    rng = np.random.default_rng(35)
    none = net.random_marked_neighbors(np.arange(30), np.zeros(30, dtype=bool), rng)
    assert (none == -1).all()
    assert net.random_marked_neighbors(np.zeros(0, dtype=int), np.ones(30, bool), rng).size == 0
    complete = build("complete", 5, 36)
    only_self = np.zeros(5, dtype=bool)
    only_self[2] = True
    assert complete.random_marked_neighbors(np.array([2, 3]), only_self, rng).tolist() == [-1, 2]


@pytest.mark.parametrize("kind", ["barabasi_albert", "complete"])
def test_tie_counts_equal_the_neighbor_counts_of_the_weighted_mask(kind):
    net = build(kind, 80, 41, mean_degree=6)
    rng = np.random.default_rng(42)
    people = rng.choice(80, size=15, replace=False)
    weights = rng.integers(-2, 3, size=15)
    mask = np.zeros(80, dtype=np.int64)
    mask[people] = weights
    assert np.array_equal(net.tie_counts(people, weights), dense(net) @ mask)


# --------------------------------------------- exact rules behind the generators
def sequential_attachment(attachment, n: int, m: int) -> np.ndarray:
    """The Batagelj-Brandes sampler with rejection, one newcomer at a time.

    Row r (newcomer m + 1 + r) reads its stream of drawn edge-list positions (its
    m first draws, then its extra draws in the order they were made) and keeps the
    first m distinct persons; position 2t is tie t's newcomer, 2t + 1 its target.
    Written independently of `_Attachment`'s chunked fixed-point iteration, which
    must give the same targets on the same draws.
    """
    rows = n - m - 1
    ends = np.zeros(m + rows * m, dtype=np.int64)  # the initial star: ties (t + 1, 0)
    extra = {r: [] for r in range(rows)}
    for r, pos in zip(attachment.extra_row.tolist(), attachment.extra_pos.tolist(), strict=True):
        extra[r].append(pos)

    def person(pos: int) -> int:
        tie = pos // 2
        if pos % 2:
            return int(ends[tie])
        return tie + 1 if tie < m else m + 1 + (tie - m) // m

    for r in range(rows):
        kept: list[int] = []
        for pos in attachment.draws[r].tolist() + extra[r]:
            assert pos < 2 * m * (r + 1), "a draw beyond the earlier ties' ends"
            if person(pos) not in kept:
                kept.append(person(pos))
            if len(kept) == m:
                break
        assert len(kept) == m, f"row {r}: too few draws for {m} distinct targets"
        ends[m + r * m : m + (r + 1) * m] = kept
    return ends


@pytest.mark.parametrize(("n", "m", "seed"), [(500, 4, 1), (700, 2, 2), (900, 2, 3), (600, 3, 4)])
def test_barabasi_albert_targets_are_the_sequential_samplers_on_the_same_draws(n, m, seed):
    from model.network import _Attachment

    attachment = _Attachment(n, m, np.random.default_rng(seed))
    # Row r's first m picks: floor(u * 2m(r + 1)), u the generator's first uniforms in order.
    span = 2 * m * np.arange(1, n - m)[:, None]
    u = np.random.default_rng(seed).random((n - m - 1, m))
    assert np.array_equal(attachment.draws, np.floor(u * span).astype(np.int64))
    assert attachment.extra_row.size > 0  # some rows needed redraws: rejection is exercised
    assert np.array_equal(attachment.ends, sequential_attachment(attachment, n, m))


@pytest.mark.parametrize(
    ("n_blocks", "share", "builds"),
    [
        (10, 0.1, False),  # one person per block: no pair inside a block to hold any tie
        (10, 0.0, True),  # ... unless every tie runs between blocks
        (1, 0.9, False),  # one block: no pair between blocks
        (1, 1.0, True),
    ],
)
def test_stochastic_block_refuses_ties_with_no_pairs_to_hold_them(n_blocks, share, builds):
    def make():
        return make_network(
            "stochastic_block",
            10,
            np.random.default_rng(0),
            mean_degree=1.0,
            n_blocks=n_blocks,
            within_block_share=share,
        )

    if builds:
        net = make()
        block = np.arange(10) * n_blocks // 10
        u, v = net.edges()
        assert net.n_edges > 0 and np.all((block[u] == block[v]) == (share == 1.0))
    else:
        with pytest.raises(ValueError, match=r"stochastic_block cannot fit mean_degree=1\.0"):
            make()


def test_a_complete_network_needs_two_people():
    with pytest.raises(ValueError, match=r"^n must be"):
        CompleteNetwork(1)


@pytest.mark.parametrize("kind", ["erdos_renyi", "complete"])
def test_a_person_is_an_integer_in_range(kind):
    net = build(kind, 10, 0, mean_degree=4)
    with pytest.raises(ValueError, match=r"i must be a person in 0\.\.9, got 10"):
        net.neighbors(10)
    with pytest.raises(ValueError, match=r"got True"):
        net.neighbors(True)
    assert net.neighbors(np.int64(3)).size == net.degree[3]


@pytest.mark.parametrize("kind", ["erdos_renyi", "complete"])
def test_a_zero_one_integer_mask_marks_the_same_people_as_a_boolean_one(kind):
    net = build(kind, 40, 3, mean_degree=6)
    marked = np.arange(40) % 3 == 0
    sources = np.arange(40)
    as_bool = net.random_marked_neighbors(sources, marked, np.random.default_rng(5))
    as_int = net.random_marked_neighbors(sources, marked.astype(int), np.random.default_rng(5))
    assert np.array_equal(as_bool, as_int) and np.all(marked[as_bool[as_bool >= 0]])


def test_complete_network_without_marks_has_no_marked_neighbour():
    net = build("complete", 6, 0)
    out = net.random_marked_neighbors(
        np.arange(6), np.zeros(6, dtype=bool), np.random.default_rng(1)
    )
    assert out.tolist() == [-1] * 6


def test_networkx_export_keeps_the_blocks():
    net = build("stochastic_block", 12, 0, mean_degree=3, n_blocks=3)
    g = net.to_networkx()
    assert [g.nodes[i]["block"] for i in range(12)] == [0] * 4 + [1] * 4 + [2] * 4
    assert build("complete", 5, 0).block is None  # no blocks: None, as documented
    assert build("erdos_renyi", 5, 0, mean_degree=2).block is None


# ------------------------------------------------- edge cases of the helper rules
class RecordingGenerator(np.random.Generator):
    """A PCG64 generator that records the size of every `geometric` batch it draws."""

    def __init__(self, seed):
        super().__init__(np.random.PCG64(seed))
        self.batches = []

    def geometric(self, p, size=None):
        self.batches.append(size)
        return super().geometric(p, size=size)


class ScriptedGaps(np.random.Generator):
    """A generator whose `geometric` gaps come from `script(size, call)`."""

    def __init__(self, script):
        super().__init__(np.random.PCG64(0))
        self.script, self.batches = script, []

    def geometric(self, p, size=None):
        self.batches.append(size)
        return np.asarray(self.script(size, len(self.batches) - 1), dtype=np.int64)


def test_bernoulli_indices_with_nothing_to_draw_or_everything_kept():
    from model.network import _bernoulli_indices

    rng = np.random.default_rng(7)
    for total, p in [(0, 0.5), (-3, 0.5), (10, 0.0), (0, 1.0)]:
        kept = _bernoulli_indices(total, p, rng)
        assert kept.dtype == np.int64 and kept.size == 0, (total, p)
    for total in (1, 5, 40):
        assert _bernoulli_indices(total, 1.0, rng).tolist() == list(range(total))
    # None of these draws anything: the generator is where a fresh one starts.
    assert rng.random() == np.random.default_rng(7).random()


def test_bernoulli_indices_can_keep_the_last_candidate():
    from model.network import _bernoulli_indices

    # One candidate kept with probability 1 - 1e-12: a first gap of 1 keeps index 0.
    assert _bernoulli_indices(1, 1 - 1e-12, np.random.default_rng(0)).tolist() == [0]
    # Two people, p = mean_degree / (n - 1) just under 1: the one pair is tied.
    net = build("erdos_renyi", 2, 0, mean_degree=1 - 1e-12)
    assert net.n_edges == 1 and net.neighbors(0).tolist() == [1]


def test_a_certain_tie_draws_nothing_from_the_generator():
    rng = np.random.default_rng(8)
    net = make_network("erdos_renyi", 30, rng, mean_degree=29)  # p = 29 / 29 = 1
    assert net.n_edges == 30 * 29 // 2
    assert rng.random() == np.random.default_rng(8).random()


def test_bernoulli_indices_draws_one_batch_a_few_sd_above_the_expected_count():
    """The first batch of gaps is int(r + 5 sqrt(r) + 16), r the expected successes.

    The batch size fixes how far the generator is advanced (what later draws
    see). Worked by hand: total 100, p 0.5 gives r = 50 and 50 + 35.36 + 16 ->
    101 gaps, whose sum (mean 202) passes the end, so one batch is all.
    """
    from model.network import _bernoulli_indices

    rng = RecordingGenerator(3)
    kept = _bernoulli_indices(100, 0.5, rng)
    assert rng.batches == [101]
    gaps = np.random.default_rng(3).geometric(0.5, size=101)
    expected = np.cumsum(gaps) - 1
    assert kept.tolist() == expected[expected < 100].tolist()
    # The generator moved past exactly those 101 gaps.
    after = np.random.default_rng(3)
    after.geometric(0.5, size=101)
    assert rng.random() == after.random()


def test_bernoulli_indices_stops_once_the_last_candidate_is_reached():
    from model.network import _bernoulli_indices

    def gaps(size, call):  # the first batch ends exactly on index 999
        assert call == 0, "a second batch was drawn"
        return [1] * (size - 1) + [1000 - (size - 1)]

    rng = ScriptedGaps(gaps)
    kept = _bernoulli_indices(1000, 0.5, rng)
    assert len(rng.batches) == 1 and rng.batches[0] < 1000
    assert kept[-1] == 999 and kept.size == rng.batches[0]


def test_bernoulli_indices_huge_gaps_do_not_wrap_around():
    from model.network import _bernoulli_indices

    big = np.iinfo(np.int64).max
    # Gaps 2 then the largest int64: only index 1 is kept; summing the raw gaps
    # would overflow to negative indices.
    rng = ScriptedGaps(lambda size, call: [2] + [big] * (size - 1))
    assert _bernoulli_indices(50, 1e-3, rng).tolist() == [1]


def test_watts_strogatz_without_rewiring_draws_nothing():
    rng = np.random.default_rng(9)
    make_network("watts_strogatz", 50, rng, mean_degree=4, rewire_prob=0.0)
    assert rng.random() == np.random.default_rng(9).random()


def test_watts_strogatz_rewires_onto_person_0_as_often_as_onto_anyone():
    """With beta = 1 every tie gets a uniform new end: people are exchangeable.

    So person 0's expected degree is the mean degree; if 0 could never be a
    new end it would keep only its own tie (degree 1 against about 1.9).
    """
    n, reps = 20, 2_000
    first, mean = np.empty(reps), np.empty(reps)
    for seed in range(reps):
        net = build("watts_strogatz", n, seed, mean_degree=2, rewire_prob=1.0)
        first[seed], mean[seed] = net.degree[0], net.mean_degree
    se = np.sqrt(first.var(ddof=1) / reps)
    assert abs(first.mean() - mean.mean()) < 5 * se
    assert (first > 1).any()


def test_networks_from_arrays_or_edges_are_custom():
    net = CsrNetwork(np.array([0, 1, 2]), np.array([1, 0]))
    assert net.kind == "custom" and net.n_edges == 1
    assert CsrNetwork.from_edges(3, [0], [2]).kind == "custom"
    assert "kind='custom'" in repr(CsrNetwork.from_edges(3, [0], [2]))


def test_from_edges_checks_its_arguments_by_name():
    one = CsrNetwork.from_edges(1, [], [])  # a single person without ties
    assert one.n == 1 and one.n_edges == 0 and one.degree.tolist() == [0]
    with pytest.raises(ValueError, match=r"^n must be an integer >= 1, got 0$"):
        CsrNetwork.from_edges(0, [], [])
    with pytest.raises(TypeError, match=r"^u must be an integer array, got dtype float64$"):
        CsrNetwork.from_edges(3, [0.0], [1])
    with pytest.raises(TypeError, match=r"^v must be an integer array, got dtype float64$"):
        CsrNetwork.from_edges(3, [0], [1.0])
    for u, v in [([-1], [2]), ([0], [5]), ([5], [0]), ([0, 1], [6, 2])]:
        with pytest.raises(ValueError, match=r"^edge ends \(u, v\) must be people in 0\.\.4$"):
            CsrNetwork.from_edges(5, u, v)
    assert CsrNetwork.from_edges(5, [0], [4]).neighbors(4).tolist() == [0]  # n - 1 is fine


def test_neighbor_counts_of_few_marked_people():
    """A mask set on few people takes the neighbour-list path: worked by hand."""
    net = small_graph()  # star 0-(1..5), 6-7-8, 12-(9, 10, 11, 13..16), 20 alone
    frac = np.zeros(21)
    frac[1], frac[8] = 0.25, 0.5
    counts = net.neighbor_counts(frac)
    assert counts.dtype == np.float64
    assert counts[0] == 0.25 and counts[7] == 0.5 and counts.sum() == 0.75
    twos = np.zeros(21, dtype=np.int64)
    twos[[1, 8]] = 2
    counts = net.neighbor_counts(twos)
    assert counts.dtype == np.int64 and counts[0] == 2 and counts[7] == 2 and counts.sum() == 4
    minus = -(twos // 2)
    assert net.neighbor_counts(minus)[[0, 7]].tolist() == [-1, -1]
    huge = np.zeros(21, dtype=np.int64)
    huge[1] = 2**53 + 1  # not a float64: must not be summed in floats
    assert int(net.neighbor_counts(huge)[0]) == 2**53 + 1


def test_neighbor_counts_without_any_ties():
    net = CsrNetwork.from_edges(3, np.array([], dtype=int), np.array([], dtype=int))
    for mask in (np.ones(3, dtype=bool), np.array([0, 2, -1])):
        counts = net.neighbor_counts(mask)
        assert counts.dtype == np.int64 and counts.tolist() == [0, 0, 0]


@pytest.mark.parametrize(
    ("sources", "bad"), [([-1, 3], -1), ([-2, 50], -2), ([0, 50], 50), ([3, 0, 51], 51)]
)
def test_bad_sources_name_the_offending_person(sources, bad):
    net = build("erdos_renyi", 50, 0, mean_degree=4)
    with pytest.raises(ValueError, match=rf"^sources must be people in 0\.\.49, got {bad}$"):
        net.random_neighbors(np.array(sources), np.random.default_rng(0))


@pytest.mark.parametrize(("n", "m", "seed"), [(500, 4, 1), (700, 2, 2), (900, 2, 3), (400, 2, 5)])
def test_barabasi_albert_redraws_double_a_row_and_use_the_next_uniforms(n, m, seed):
    """Extra picks floor(u * 2m(r + 1)) take the uniforms after the first picks, in order.

    A row short of distinct persons has its stream doubled (and only then), so
    every row's stream (first m picks and extras) holds m times a power of two
    positions.
    """
    from model.network import _Attachment

    attachment = _Attachment(n, m, np.random.default_rng(seed))
    rows, extra = n - m - 1, attachment.extra_pos.size
    u = np.random.default_rng(seed).random(rows * m + extra)[rows * m :]
    span = 2 * m * (attachment.extra_row.astype(np.int64) + 1)
    assert extra > 0
    assert np.array_equal(attachment.extra_pos, np.floor(u * span).astype(np.int64))
    doublings = (m + np.bincount(attachment.extra_row, minlength=rows)) // m
    assert np.all(doublings & (doublings - 1) == 0)  # 1, 2, 4, 8, ...
    # A row is doubled only when its stream so far has fewer than m distinct
    # persons. Checked where that count is certain: a stream of even positions
    # (newcomers) and star targets (< 2m), whose persons depend on no draw.
    streams = {r: attachment.draws[r].tolist() for r in np.unique(attachment.extra_row).tolist()}
    for r, pos in zip(attachment.extra_row.tolist(), attachment.extra_pos.tolist(), strict=True):
        streams[r].append(pos)
    checked = 0
    for stream in streams.values():
        before = stream[: len(stream) // 2]  # the stream when it was last doubled
        if all(pos % 2 == 0 or pos < 2 * m for pos in before):
            persons = {
                0 if pos % 2 else (pos // 2 + 1 if pos < 2 * m else m + 1 + (pos // 2 - m) // m)
                for pos in before
            }
            assert len(persons) < m, stream
            checked += 1
    assert checked > 0


def test_neighbor_counts_of_weights_too_big_to_add_in_floats_are_exact():
    """Weights of 3^20 - 2 on 2.6 million leaves of one hub: the sum passes 2^53.

    float64 cannot add them exactly, so they must be counted in integers even
    though few of the 2 * 10^7 tie ends are marked (the list path's case).
    """
    leaves, k = 2_600_000, 2_800  # hub 0, leaves 1..L, then a complete bipartite k x k
    a0 = leaves + 1
    b0 = a0 + k
    degree = np.concatenate([[leaves], np.ones(leaves, dtype=np.int64), np.full(2 * k, k)])
    indices = np.concatenate(
        [
            np.arange(1, leaves + 1, dtype=np.int32),
            np.zeros(leaves, dtype=np.int32),
            np.tile(np.arange(b0, b0 + k, dtype=np.int32), k),
            np.tile(np.arange(a0, a0 + k, dtype=np.int32), k),
        ]
    )
    net = CsrNetwork(np.concatenate([[0], np.cumsum(degree)]), indices)
    weight = 3**20 - 2
    mask = np.zeros(net.n, dtype=np.int64)
    mask[1 : leaves + 1] = weight
    assert leaves * weight > 2**53 and leaves <= indices.size // 8
    counts = net.neighbor_counts(mask)
    assert int(counts[0]) == leaves * weight  # 9_065_639_437_400_000 > 2^53 = 9_007_199_254_740_992
    assert counts[1] == 0 and counts[a0] == 0


# ------------------------------------------------- defaults and argument checks
def test_default_network_options():
    """Without options: mean degree 20, rewiring 0.1, 20 blocks, 90% of ties inside."""
    # Barabasi-Albert at mean degree 20: m = 10 ties per newcomer, m (n - m) ties in all
    assert build("barabasi_albert", 100, 0).n_edges == 10 * 90
    assert build("stochastic_block", 400, 0, mean_degree=4).block.max() + 1 == 20
    check_network_args("complete", 5)  # the default probabilities are valid
    with pytest.raises(ValueError, match=r"^mean_degree must be > 0 and < n \(20\), got 20"):
        check_network_args("barabasi_albert", 20)
    # 20 blocks fit in 20 people (one each, every tie between blocks)
    check_network_args("stochastic_block", 20, mean_degree=2, within_block_share=0.0)


@pytest.mark.parametrize(
    ("option", "value"),
    [("mean_degree", "4"), ("mean_degree", True), ("rewire_prob", "x"), ("rewire_prob", None)],
)
def test_network_options_that_are_not_real_numbers_are_refused_by_name(option, value):
    message = f"{option} must be a real number, got {value!r}"
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        check_network_args("erdos_renyi", 50, **{option: value})


@pytest.mark.parametrize(
    ("n_blocks", "share", "mean_degree", "where"),
    [
        (10, 0.5, 3.0, "inside"),  # blocks of 2: 15 ties inside for 10 pairs, p_in = 1.5
        (10, 0.9, 5.0, "inside"),  # 45 ties for 10 pairs: p_in = 4.5
        (1, 0.5, 2.0, "between"),  # one block: 10 ties between blocks and no such pair
    ],
)
def test_a_stochastic_block_that_cannot_fit_says_where(n_blocks, share, mean_degree, where):
    message = (
        f"stochastic_block cannot fit mean_degree={mean_degree} with within_block_share="
        f"{share} and n_blocks={n_blocks} (n=20): the tie probability {where} blocks would "
        "exceed 1; lower mean_degree, or change within_block_share or n_blocks"
    )
    options = {"mean_degree": mean_degree, "within_block_share": share, "n_blocks": n_blocks}
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        check_network_args("stochastic_block", 20, **options)


def test_a_stochastic_block_needs_mean_degree_at_most_n_minus_1():
    message = r"^mean_degree must be <= n - 1 \(9\) for stochastic_block, got 9\.5$"
    with pytest.raises(ValueError, match=message):
        check_network_args("stochastic_block", 10, mean_degree=9.5, n_blocks=2)


def test_a_network_needs_a_numpy_generator():
    with pytest.raises(TypeError, match=r"^rng must be a numpy\.random\.Generator, got int$"):
        make_network("complete", 5, 42)
