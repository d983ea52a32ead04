"""Lay out an oversight tree top-down, as a tidy tree computed from each body's depth under its parent.

A force-directed ("spring") layout of an oversight structure puts related bodies near each other but
says nothing about who is above whom. Here depth in the parent tree is the vertical position, so every
overseer sits above what it oversees, and each subtree gets its own band of columns, so no two labels
at one depth share a column and no edge crosses another.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def _checked(parent: Mapping[str, str | None]) -> dict[str, str | None]:
    """The parent map with parents outside the node set treated as absent (the node becomes a root)."""
    tree = {node: (up if up in parent and up != node else None) for node, up in parent.items()}
    for node in tree:
        seen = [node]
        current = tree[node]
        while current is not None:
            if current in seen:
                raise ValueError("oversight links form a cycle: " + " -> ".join(seen + [current]))
            seen.append(current)
            current = tree[current]
    return tree


def depths(parent: Mapping[str, str | None]) -> dict[str, int]:
    """How many links separate each node from the root of its tree (a root has depth 0)."""
    tree = _checked(parent)
    result: dict[str, int] = {}
    for node in tree:
        depth, current = 0, tree[node]
        while current is not None:
            depth, current = depth + 1, tree[current]
        result[node] = depth
    return result


def children_of(parent: Mapping[str, str | None], order: Sequence[str] | None = None) -> dict[str, list[str]]:
    """Each node's children, in ``order`` (default: alphabetical), so the layout is deterministic."""
    tree = _checked(parent)
    rank = {node: i for i, node in enumerate(order)} if order is not None else {}
    key = lambda node: (rank.get(node, len(rank)), node)  # noqa: E731 - nodes missing from order go last
    children: dict[str, list[str]] = {node: [] for node in tree}
    for node in sorted(tree, key=key):
        if tree[node] is not None:
            children[tree[node]].append(node)
    return children


def roots(parent: Mapping[str, str | None], order: Sequence[str] | None = None) -> list[str]:
    tree = _checked(parent)
    rank = {node: i for i, node in enumerate(order)} if order is not None else {}
    return sorted((n for n, up in tree.items() if up is None), key=lambda n: (rank.get(n, len(rank)), n))


def descendants(parent: Mapping[str, str | None], node: str) -> set[str]:
    """Every body below ``node`` in the tree (children, their children, ...), not ``node`` itself."""
    children = children_of(parent)
    found: set[str] = set()
    stack = list(children[node])
    while stack:
        current = stack.pop()
        found.add(current)
        stack.extend(children[current])
    return found


def lineage(parent: Mapping[str, str | None]) -> dict[str, list[str]]:
    """Each node with the chain above it: ``[node, its parent, ..., its root]``.

    Built once, top down, so the cost is linear in the tree's size (one chain is shared by everything
    below it): what crediting a body with its subordinates' events needs, without a search per body.
    """
    tree = _checked(parent)
    chains: dict[str, list[str]] = {}
    for node in tree:
        path = []
        current: str | None = node
        while current is not None and current not in chains:
            path.append(current)
            current = tree[current]
        chain = chains[current] if current is not None else []
        for member in reversed(path):  # from the top of the new stretch down to ``node``
            chain = [member, *chain]
            chains[member] = chain
    return chains


def tidy_tree_layout(
    parent: Mapping[str, str | None], order: Sequence[str] | None = None, gap: float = 0.6
) -> dict[str, tuple[float, float]]:
    """Positions (x, y) for every node: y = -depth; leaves one unit apart; a parent centred over its children.

    Trees (one per root) are placed left to right, ``gap`` units apart, in ``order`` (default alphabetical);
    so are siblings. Each subtree occupies its own interval of x, so nodes at one depth never coincide.
    """
    children = children_of(parent, order)
    depth = depths(parent)
    position: dict[str, tuple[float, float]] = {}
    next_x = 0.0

    def place(node: str) -> float:
        nonlocal next_x
        if not children[node]:
            x = next_x
            next_x += 1.0
        else:
            xs = [place(child) for child in children[node]]
            x = (xs[0] + xs[-1]) / 2
        position[node] = (x, -float(depth[node]))
        return x

    for root in roots(parent, order):
        place(root)
        next_x += gap
    return position
