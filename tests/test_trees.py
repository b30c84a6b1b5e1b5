import networkx as nx
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from experiments.present import trees

#  0        5
#  ├─1      └─6
#  │ └─3
#  └─2
#    └─4
#      └─7
SPONSORS = {0: None, 1: 0, 2: 0, 3: 1, 4: 2, 5: None, 6: 5, 7: 4, 8: None}


def table():
    ids = list(SPONSORS)
    return pd.DataFrame(
        {
            "id": ids,
            "sponsor": pd.array(list(SPONSORS.values()), dtype="Int64"),
            "net_profit": [500.0, -20.0, -30.0, -5.0, 0.0, 12.0, -400.0, -1.0, -9.0],
        }
    )


def test_sponsor_tree_edges_and_attributes():
    tree = trees.sponsor_tree(table())
    assert set(tree.edges) == {(s, i) for i, s in SPONSORS.items() if s is not None}
    assert tree.nodes[6]["net_profit"] == -400.0
    assert nx.is_forest(tree)


def test_unknown_sponsor_is_refused():
    bad = table()
    bad.loc[3, "sponsor"] = 99
    with pytest.raises(ValueError, match="99"):
        trees.sponsor_tree(bad)


def test_roots():
    tree = trees.sponsor_tree(table())
    assert trees.largest_roots(tree, 2) == [0, 5]
    assert trees.largest_roots(tree, 10) == [0, 5, 8]
    assert trees.sample_roots(tree, 5, np.random.default_rng(0)) == [0, 5]  # 8 recruited no one
    assert trees.sample_roots(tree, 5, np.random.default_rng(0), min_recruits=2) == [0]
    picked = trees.sample_roots(tree, 1, np.random.default_rng(3))
    assert len(picked) == 1 and picked[0] in (0, 5)


def test_top_levels_cuts_generations():
    tree = trees.sponsor_tree(table())
    sub = trees.top_levels(tree, [0], 2)
    assert set(sub) == {0, 1, 2, 3, 4}
    assert sub.nodes[4]["generation"] == 2 and sub.nodes[0]["generation"] == 0
    assert set(trees.top_levels(tree, [0, 5], 0)) == {0, 5}


def test_hierarchy_layout_is_layered_and_centred():
    tree = trees.sponsor_tree(table())
    pos = trees.hierarchy_layout(tree, gap=1.0)
    assert pos[0][1] == 0 and pos[1][1] == -1 and pos[7][1] == -3
    # leaves in depth-first order: 3, 7, then (gap) 6, then (gap) 8
    assert (pos[3][0], pos[7][0], pos[6][0], pos[8][0]) == (0.0, 1.0, 3.0, 5.0)
    assert pos[0][0] == (pos[1][0] + pos[2][0]) / 2
    assert pos[4][0] == pos[7][0]
    assert len(set(pos.values())) == len(pos)


def test_hierarchy_layout_refuses_cycles():
    with pytest.raises(ValueError, match="forest"):
        trees.hierarchy_layout(nx.DiGraph([(0, 1), (1, 0)]))


def test_draw_sponsor_tree_colours_by_value():
    tree = trees.top_levels(trees.sponsor_tree(table()), [0, 5], 3)
    ax = Figure().subplots()
    mapping = trees.draw_sponsor_tree(ax, tree)
    assert mapping.norm.vmin == -500.0 and mapping.norm.vmax == 500.0
    (nodes,) = ax.collections[1:]  # edges first, then nodes
    colours = nodes.get_facecolors()
    assert len(colours) == tree.number_of_nodes()
    order = list(tree)
    red, blue = colours[order.index(6)], colours[order.index(0)]
    assert red[0] > red[2] and blue[2] > blue[0]  # RdBu: losses red, profits blue


def test_tree_of_a_real_run():
    from model import MarketModel

    model = MarketModel(rng=2, n_people=500, plan="unilevel")
    model.run(24)
    participants = model.participant_table()
    tree = trees.sponsor_tree(participants)
    assert tree.number_of_nodes() == len(participants)
    assert nx.is_forest(tree)
    depth = participants.set_index("id")["depth"]
    for root in trees.largest_roots(tree, 3):
        for node, generation in trees.top_levels(tree, [root], 10).nodes(data="generation"):
            assert depth[node] == depth[root] + generation
