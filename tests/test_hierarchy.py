"""The tidy top-down tree layout: overseers above what they oversee, no two nodes in one place."""

from __future__ import annotations

import pytest

from twotracks.hierarchy import children_of, depths, descendants, lineage, roots, tidy_tree_layout

#: a small oversight forest: one root with two branches of different depth, and a second root
TREE = {
    "council": None,
    "ministry": "council",
    "institute": "ministry",
    "lab": "institute",
    "commission": "council",
    "bank": None,
    "branch": "bank",
}


def test_depth_counts_links_to_the_root():
    assert depths(TREE) == {
        "council": 0,
        "ministry": 1,
        "institute": 2,
        "lab": 3,
        "commission": 1,
        "bank": 0,
        "branch": 1,
    }


def test_a_parent_outside_the_node_set_makes_a_root():
    assert depths({"a": "missing", "b": "a"}) == {"a": 0, "b": 1}
    assert roots({"a": "missing", "b": "a"}) == ["a"]


def test_a_cycle_is_refused_and_named():
    with pytest.raises(ValueError, match="cycle: a -> b -> a"):
        depths({"a": "b", "b": "a"})


def test_children_follow_the_given_order_then_the_alphabet():
    assert children_of(TREE)["council"] == ["commission", "ministry"]
    assert children_of(TREE, order=["ministry", "commission"])["council"] == ["ministry", "commission"]


def test_descendants_are_everything_below_and_not_the_node():
    assert descendants(TREE, "council") == {"ministry", "institute", "lab", "commission"}
    assert descendants(TREE, "lab") == set()


def test_layout_puts_every_node_at_minus_its_depth():
    layout = tidy_tree_layout(TREE)
    assert set(layout) == set(TREE)
    assert all(y == -depths(TREE)[node] for node, (x, y) in layout.items())


def test_a_parent_is_centred_over_its_children():
    layout = tidy_tree_layout(TREE)
    for node, kids in children_of(TREE).items():
        if kids:
            xs = [layout[k][0] for k in kids]
            assert layout[node][0] == pytest.approx((min(xs) + max(xs)) / 2)


def test_no_two_nodes_at_one_depth_are_closer_than_one_unit():
    tree = {f"n{i}": (f"n{(i - 1) // 3}" if i else None) for i in range(40)}  # a ternary tree, 40 nodes
    tree.update({"solo": None, "solo-child": "solo"})
    layout = tidy_tree_layout(tree)
    by_depth: dict[float, list[float]] = {}
    for x, y in layout.values():
        by_depth.setdefault(y, []).append(x)
    for xs in by_depth.values():
        xs.sort()
        assert all(b - a >= 1 - 1e-9 for a, b in zip(xs, xs[1:]))


def test_trees_do_not_overlap_and_follow_the_order():
    layout = tidy_tree_layout(TREE, order=["bank", "council"], gap=2)
    bank_tree = [layout[n][0] for n in ("bank", "branch")]
    council_tree = [layout[n][0] for n in ("council", "ministry", "institute", "lab", "commission")]
    assert max(bank_tree) + 2 <= min(council_tree)


def test_layout_is_deterministic_whatever_the_input_order():
    shuffled = dict(reversed(list(TREE.items())))
    assert tidy_tree_layout(shuffled) == tidy_tree_layout(TREE)


def test_lineage_is_each_node_with_the_chain_above_it():
    chains = lineage(TREE)
    assert set(chains) == set(TREE)
    for node, chain in chains.items():
        assert chain[0] == node and depths(TREE)[node] == len(chain) - 1
        assert all(TREE[below] == above for below, above in zip(chain, chain[1:]))
        assert TREE[chain[-1]] is None


def test_lineage_agrees_with_descendants():
    chains = lineage(TREE)
    for node in TREE:
        assert {other for other, chain in chains.items() if node in chain[1:]} == descendants(TREE, node)
