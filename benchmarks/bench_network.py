"""Generation time of the social networks, against networkx.

Prints one JSON object: for each kind, the wall time of `make_network` at
each size (best and median of the repeats, mean degree 20), and networkx's
time for the same kinds at the small size, including conversion to a CSR
matrix. Targets: every kind at n = 10,000 in under 50 ms (complete: ~0);
n = 1,000,000 in a few seconds (here: under 5 s).

Usage: python benchmarks/bench_network.py [--sizes 10000 1000000] [--repeats R]
    [--large-repeats R] [--no-networkx]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable

import networkx as nx
import numpy as np
import scipy

from model.network import NETWORK_KINDS, make_network

MEAN_DEGREE = 20
REWIRE_PROB = 0.1
N_BLOCKS = 20
WITHIN_BLOCK_SHARE = 0.9
SMALL, LARGE = 10_000, 1_000_000
TARGET_SMALL_S, TARGET_LARGE_S = 0.050, 5.0


def best_of(build: Callable[[int], object], repeats: int) -> dict:
    """Best and median wall time of `build(seed)` over `repeats` seeds."""
    times = []
    for seed in range(repeats):
        start = time.perf_counter()
        build(seed)
        times.append(time.perf_counter() - start)
    return {"best_s": round(min(times), 4), "median_s": round(float(np.median(times)), 4)}


def ours(kind: str, n: int) -> Callable[[int], object]:
    def build(seed: int) -> object:
        return make_network(
            kind,
            n,
            np.random.default_rng(seed),
            mean_degree=MEAN_DEGREE,
            rewire_prob=REWIRE_PROB,
            n_blocks=N_BLOCKS,
            within_block_share=WITHIN_BLOCK_SHARE,
        )

    return build


def networkx_builder(kind: str, n: int) -> Callable[[int], object] | None:
    """networkx's generator for `kind` followed by conversion to CSR (None: not compared)."""
    if kind == "watts_strogatz":
        make = lambda s: nx.watts_strogatz_graph(n, MEAN_DEGREE, REWIRE_PROB, seed=s)  # noqa: E731
    elif kind == "barabasi_albert":
        make = lambda s: nx.barabasi_albert_graph(n, MEAN_DEGREE // 2, seed=s)  # noqa: E731
    elif kind == "erdos_renyi":
        make = lambda s: nx.fast_gnp_random_graph(n, MEAN_DEGREE / (n - 1), seed=s)  # noqa: E731
    elif kind == "stochastic_block":
        sizes = np.bincount(np.arange(n) * N_BLOCKS // n).tolist()
        pairs_in = sum(s * (s - 1) // 2 for s in sizes)
        pairs_out = n * (n - 1) // 2 - pairs_in
        ties = MEAN_DEGREE * n / 2
        p_in, p_out = (
            WITHIN_BLOCK_SHARE * ties / pairs_in,
            (1 - WITHIN_BLOCK_SHARE) * ties / pairs_out,
        )
        probs = np.full((N_BLOCKS, N_BLOCKS), p_out)
        np.fill_diagonal(probs, p_in)
        make = lambda s: nx.stochastic_block_model(sizes, probs.tolist(), seed=s, sparse=True)  # noqa: E731
    else:
        return None
    return lambda s: nx.to_scipy_sparse_array(make(s), format="csr")


def main() -> None:
    """Run the benchmark and print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[SMALL, LARGE])
    parser.add_argument("--repeats", type=int, default=7, help="repeats at sizes < 100,000")
    parser.add_argument("--large-repeats", type=int, default=2, help="repeats at larger sizes")
    parser.add_argument("--networkx-repeats", type=int, default=3)
    parser.add_argument("--no-networkx", action="store_true")
    args = parser.parse_args()

    for kind in NETWORK_KINDS:  # warm-up: imports, first-touch allocations
        ours(kind, 1_000)(0)
    timings = {
        kind: {
            f"n={n}": best_of(ours(kind, n), args.repeats if n < 100_000 else args.large_repeats)
            for n in args.sizes
        }
        for kind in NETWORK_KINDS
    }
    reference = {}
    if not args.no_networkx:
        for kind in NETWORK_KINDS:
            build = networkx_builder(kind, SMALL)
            if build is not None:
                reference[kind] = {f"n={SMALL}": best_of(build, args.networkx_repeats)}
    small, large = f"n={SMALL}", f"n={LARGE}"
    speedup = {
        kind: round(reference[kind][small]["best_s"] / timings[kind][small]["best_s"], 1)
        for kind in reference
        if small in timings[kind]
    }
    meets = all(
        (small not in t or t[small]["best_s"] < TARGET_SMALL_S)
        and (large not in t or t[large]["best_s"] < TARGET_LARGE_S)
        for t in timings.values()
    )
    print(
        json.dumps(
            {
                "mean_degree": MEAN_DEGREE,
                "ours": timings,
                "networkx_to_csr": reference,
                "speedup_vs_networkx": speedup,
                "targets": {f"{small}_s_max": TARGET_SMALL_S, f"{large}_s_max": TARGET_LARGE_S},
                "meets_targets": meets,
                "numpy": np.__version__,
                "scipy": scipy.__version__,
                "networkx": nx.__version__,
                "python": platform.python_version(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
